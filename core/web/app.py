"""The application factory: the JSON API under ``/api/v1`` (with its OpenAPI document
at ``/api/v1/schema``) and the server-rendered interface at ``/``."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from partage.core import __version__
from partage.core.web.api_accounts import AuthController, MeController, UsersController
from partage.core.web.api_entities import (
    DocumentsController,
    EntitiesController,
    SimulationController,
    SpendingController,
)
from partage.core.web.api_reports import (
    InstanceController,
    NetworkController,
    OfficesController,
    PartiesController,
)
from partage.core.web.deps import provide_site
from partage.core.web.problems import HANDLERS
from partage.core.web.site import Site

HERE = Path(__file__).parent
API_PREFIX = "/api/v1"


def api_router() -> Router:
    """Every API controller, under the version prefix."""
    return Router(
        path=API_PREFIX,
        route_handlers=[
            AuthController,
            MeController,
            UsersController,
            EntitiesController,
            DocumentsController,
            SpendingController,
            SimulationController,
            PartiesController,
            OfficesController,
            InstanceController,
            NetworkController,
        ],
        security=[{"bearer": []}],
    )


def create_app(site: Site, *, debug: bool = False) -> Litestar:
    """The web application serving ``site``."""
    from partage.core.web.ui import ui_router

    return Litestar(
        route_handlers=[
            api_router(),
            ui_router(),
            create_static_files_router(path="/static", directories=[HERE / "static"]),
        ],
        dependencies={"site": Provide(provide_site, sync_to_thread=False)},
        exception_handlers=HANDLERS,  # type: ignore[arg-type]
        openapi_config=OpenAPIConfig(
            title=f"Partage API ({site.coop.instance.name})",
            version=__version__,
            path=f"{API_PREFIX}/schema",
            description=(
                "The economic acts and reports of one national instance of a shared "
                "enterprise. Amounts are decimal strings; errors are problem-details "
                "bodies (RFC 9457) naming the field and the rule."
            ),
            components=Components(
                security_schemes={
                    "bearer": SecurityScheme(
                        type="http",
                        scheme="bearer",
                        description="a token from POST /api/v1/auth/login",
                    )
                }
            ),
        ),
        template_config=TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine),
        csrf_config=CSRFConfig(
            secret=site.csrf_secret,
            cookie_name="partage_csrf",
            cookie_secure=site.secure_cookies,
            cookie_httponly=True,
            exclude=[API_PREFIX, "/static"],
        ),
        request_max_body_size=site.max_body_size,
        state=State({"site": site}),
        debug=debug,
    )
