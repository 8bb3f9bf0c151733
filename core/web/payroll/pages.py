"""Pages of employment: what an amount invoiced buys in pay, from an entity's page."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post

from partage.core.access.roles import Principal, reachable_entity
from partage.core.contract.errors import PartageError
from partage.core.payroll import budget
from partage.core.web.pages import Page, PathStr, UrlForm, guarded


@post("/entities/{code:str}/simulate", sync_to_thread=True)
def simulate(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """What an amount invoiced buys in pay (a fragment when asked by script)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        with site.sessions() as session:
            reachable_entity(session, me, code)
        error = result = None
        try:
            result = budget.simulate_invoice(
                site.coop,
                invoiced=str(data.get("invoiced", "")).strip(),
                on=site.today(),
                worker_category=site.chosen_category(data.get("worker_category")),
            )
        except PartageError as exc:
            error = page.say(exc)
        fragment = request.headers.get("x-partage-fragment") == "1"
        return page.render(
            "simulation.html" if fragment else "simulate_page.html",
            status=200 if error is None else 422,
            sim=result,
            error=error,
            code=code,
            form=data,
        )

    return guarded(request, build)


PAGES = (simulate,)
