"""The application factory: the JSON API under ``/api/v1`` (with its OpenAPI document
at ``/api/v1/schema``) and the server-rendered interface at ``/``.

The one place that wires the application: every context's controllers and pages, the
site dependency, the error handlers, templates, static files and CSRF.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from partage.core import __version__
from partage.core.contract.errors import PartageError
from partage.core.web import pages
from partage.core.web.accounts import applying as applying_pages
from partage.core.web.accounts import lifecycle as lifecycle_pages
from partage.core.web.accounts import member_register, personal_data
from partage.core.web.accounts import pages as accounts_pages
from partage.core.web.accounts import resets as reset_pages
from partage.core.web.accounts.api import (
    AuthController,
    MeController,
    ThrottleController,
    UsersController,
)
from partage.core.web.accounts.signin import provide_limiter
from partage.core.web.admin import pages as admin_pages
from partage.core.web.admin.api import BooksController, DeclarationsController, SectorsController
from partage.core.web.banking import pages as banking_pages
from partage.core.web.banking.api import (
    EntityPayeesController,
    EntityPendingController,
    PayeesController,
    PendingController,
)
from partage.core.web.clients import pages as clients_pages
from partage.core.web.clients.api import ClientsController, EntityClientsController
from partage.core.web.deps import provide_site
from partage.core.web.entities import applications as applications_pages
from partage.core.web.entities import document_pages as entity_lists
from partage.core.web.entities import pages as entities_pages
from partage.core.web.entities import sector_api
from partage.core.web.entities import sector_pages as entity_sector_pages
from partage.core.web.entities.api import EntitiesController, PartiesController
from partage.core.web.idempotency import IdempotencyMiddleware
from partage.core.web.inputs import refuse_control_characters
from partage.core.web.openapi import JsonDocument, YamlDocument
from partage.core.web.payroll import pages as payroll_pages
from partage.core.web.payroll.api import (
    ContractsController,
    OffersController,
    SimulationController,
)
from partage.core.web.problems import HANDLERS
from partage.core.web.quick_job import pages as quick_job_pages
from partage.core.web.quick_job.api import QuickJobController
from partage.core.web.reports import audit as audit_pages
from partage.core.web.reports import pages as reports_pages
from partage.core.web.reports.api import (
    InstanceController,
    NetworkController,
    OfficesController,
    RiskController,
    TakeoversController,
)
from partage.core.web.reports.audit import AuditController
from partage.core.web.sales import editor as sales_editor
from partage.core.web.sales import pages as sales_pages
from partage.core.web.sales import reminders as sales_reminders
from partage.core.web.sales import sending as sending_pages
from partage.core.web.sales.api import (
    DocumentsController,
    DraftsController,
    OfficeDocumentsController,
)
from partage.core.web.sales.transmission import (
    InvoiceTransmissionController,
    TransmissionsController,
)
from partage.core.web.security import security_headers
from partage.core.web.site import Site
from partage.core.web.spending import pages as spending_pages
from partage.core.web.spending.acts import ActsController
from partage.core.web.spending.api import SpendingController
from partage.core.web.support import api as support_api
from partage.core.web.support import pages as support_pages

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
            ThrottleController,
            EntitiesController,
            DocumentsController,
            entity_lists.EntityListsController,
            InvoiceTransmissionController,
            TransmissionsController,
            DraftsController,
            OfficeDocumentsController,
            SpendingController,
            ActsController,
            PayeesController,
            EntityPayeesController,
            PendingController,
            EntityPendingController,
            ContractsController,
            OffersController,
            QuickJobController,
            SimulationController,
            PartiesController,
            ClientsController,
            EntityClientsController,
            OfficesController,
            InstanceController,
            RiskController,
            TakeoversController,
            NetworkController,
            AuditController,
            personal_data.PersonalDataController,
            applications_pages.ApplicationsController,
            BooksController,
            DeclarationsController,
            SectorsController,
            *sector_api.CONTROLLERS,
            *support_api.CONTROLLERS,
            *sales_reminders.CONTROLLERS,
            applying_pages.MembershipController,
            member_register.MemberRegisterController,
        ],
        security=[{"bearer": []}],
        middleware=[IdempotencyMiddleware()],
    )


def ui_router() -> Router:
    """Every page of the interface."""
    return Router(
        path="/",
        route_handlers=[
            *accounts_pages.PAGES,
            *reset_pages.PAGES,
            *lifecycle_pages.PAGES,
            *pages.PAGES,
            *entity_lists.PAGES,
            *entities_pages.PAGES,
            *entity_sector_pages.PAGES,
            *sales_pages.PAGES,
            *sending_pages.PAGES,
            *sales_editor.PAGES,
            *sales_reminders.PAGES,
            *payroll_pages.PAGES,
            *banking_pages.PAGES,
            *quick_job_pages.PAGES,
            *clients_pages.PAGES,
            *spending_pages.PAGES,
            *reports_pages.PAGES,
            *audit_pages.PAGES,
            *personal_data.PAGES,
            *applications_pages.PAGES,
            *admin_pages.PAGES,
            *support_pages.PAGES,
            *applying_pages.PAGES,
            *member_register.PAGES,
        ],
        exception_handlers={PartageError: pages.ui_error},
        include_in_schema=False,
    )


def create_app(site: Site, *, debug: bool = False) -> Litestar:
    """The web application serving ``site``."""
    return Litestar(
        # Litestar's own logger only: the root logger is the host's (uvicorn, the
        # command line, a test runner) to configure, never the application's.
        logging_config=LoggingConfig(configure_root_logger=False),
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
            # The document itself, not an explorer page loading scripts from a CDN
            # (the pages' Content-Security-Policy allows this site's own only), with
            # every operation's refusals stated (see partage.core.web.openapi).
            render_plugins=[JsonDocument(), YamlDocument()],
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
            # Anchored: only the API (bearer tokens, never cookies) and static files.
            exclude=[f"^{API_PREFIX}(/|$)", "^/static/"],
        ),
        on_startup=[provide_limiter],
        before_request=refuse_control_characters,
        before_send=[security_headers],
        request_max_body_size=site.max_body_size,
        state=State({"site": site}),
        debug=debug,
    )
