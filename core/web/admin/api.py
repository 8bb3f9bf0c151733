"""API of the administrators' workspace: the books' reports and periods, the VAT
return and the social summary, the offices' sectors. Administrators only; amounts are
exact decimal strings, as the command line's ``--format json``."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import JSONBody, PathParameter, QueryParameter

from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.declarations.returns import social_summary, vat_return
from partage.core.ledger import general_ledgers, rates
from partage.core.members import offices
from partage.core.platform.db.engine import transaction
from partage.core.web.admin import acts, books, choices, declarations
from partage.core.web.admin import schemas as s
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep
from partage.core.web.problems import problem_spec
from partage.core.web.site import Site
from partage.core.web.spending.api import decoded

Query = Annotated[str | None, QueryParameter(max_length=64, required=False)]
From = Annotated[
    str | None,
    QueryParameter(name="from", max_length=10, required=False, description="YYYY-MM-DD"),
]
To = Annotated[
    str | None, QueryParameter(name="to", max_length=10, required=False, description="YYYY-MM-DD")
]
WHAT = "read the books and declarations"


def _range(site: Site, start: str | None, end: str | None) -> tuple[Any, Any]:
    return choices.day_range(start, end, site.today(), site.fiscal_year_start_month)


def _admin(principal: Principal) -> None:
    require(principal, Role.ADMINISTRATOR, what=WHAT)


class BooksController(Controller):
    """The books of the instance or of one book, and their periods."""

    path = "/books"
    tags = ("books",)
    dependencies = AUTHENTICATED

    @get("/trial-balance", operation_id="trial_balance", sync_to_thread=True)
    def trial_balance(
        self,
        site: SiteDep,
        principal: Me,
        book: Query = None,
        start: From = None,
        end: To = None,
        view: Query = None,
    ) -> dict[str, Any]:
        """Opening balance, debits, credits and closing balance of every account of
        ``book`` (omitted: the whole instance) over the range (default: the fiscal year
        to date); ``view=statutory`` gives the legal person's, internal flows
        eliminated."""
        _admin(principal)
        first, last = _range(site, start, end)
        chosen = books.view_of(view)[1]
        with site.sessions() as session:
            report = chosen.trial_balance(session, book=book, start=first, end=last)
        return dict(books.exact(report))

    @get("/ledger", operation_id="general_ledger", sync_to_thread=True)
    def ledger(
        self,
        site: SiteDep,
        principal: Me,
        account: Annotated[str, QueryParameter(max_length=32)],
        book: Query = None,
        start: From = None,
        end: To = None,
        page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
    ) -> dict[str, Any]:
        """One page (of 100) of an account's postings with running balances; ``total``
        says how many the range holds."""
        _admin(principal)
        first, last = _range(site, start, end)
        with site.sessions() as session:
            report = general_ledgers.general_ledger(
                session,
                account=account,
                book=book,
                start=first,
                end=last,
                offset=(page - 1) * choices.PAGE_SIZE,
                limit=choices.PAGE_SIZE,
            )
        return dict(books.exact(report))

    @get("/balance-sheet", operation_id="balance_sheet", sync_to_thread=True)
    def balance_sheet(
        self,
        site: SiteDep,
        principal: Me,
        book: Query = None,
        end: To = None,
        view: Query = None,
    ) -> dict[str, Any]:
        """Assets, liabilities and equity on a day (default today), in the chart's
        layout."""
        _admin(principal)
        on = choices.day_of(end, "to") or site.today()
        with site.sessions() as session:
            statement = books.view_of(view)[1].balance_sheet(session, book=book, on=on)
        return books.statement_document(statement)

    @get("/profit-and-loss", operation_id="profit_and_loss", sync_to_thread=True)
    def profit_and_loss(
        self,
        site: SiteDep,
        principal: Me,
        book: Query = None,
        start: From = None,
        end: To = None,
        view: Query = None,
    ) -> dict[str, Any]:
        """Expenses and income of the range and the result, in the chart's layout, and
        each month's figures."""
        _admin(principal)
        first, last = _range(site, start, end)
        chosen = books.view_of(view)[1]
        with site.sessions() as session:
            statement = chosen.profit_and_loss(session, book=book, start=first, end=last)
            monthly = books.results_by_month(session, chosen, book, first, last)
        return {
            **books.statement_document(statement),
            "months": [books.exact(m) for m in monthly],
        }

    @get("/periods", operation_id="accounting_periods", sync_to_thread=True)
    def periods(self, site: SiteDep, principal: Me) -> list[dict[str, Any]]:
        """Every fiscal year and month, open or closed."""
        _admin(principal)
        with site.sessions() as session:
            return [books.exact(p) for p in books.periods_of(session)]

    @post("/periods", operation_id="period_act", sync_to_thread=True, status_code=200)
    def period_act(
        self, site: SiteDep, principal: Me, data: JSONBody[s.PeriodActIn]
    ) -> dict[str, str]:
        """Open a fiscal year (``{"act": "open-year", "year": "2027"}``), close a month
        (``"close-month"``, ``"month": "2026-06"``) or a year (``"close-year"``), with
        ``"confirm": "yes"``; one transaction, audited."""
        done = acts.period_act(site, principal, msgspec.structs.asdict(data))
        return {"act": data.act, "done": done}

    @post(
        "/exchange-rates",
        operation_id="load_exchange_rates",
        sync_to_thread=True,
        status_code=200,
        responses={
            413: problem_spec("the file is larger than [limits] statement_bytes"),
            422: problem_spec("the file is not the ECB's euro reference rates file"),
        },
    )
    def load_rates(
        self, site: SiteDep, principal: Me, data: JSONBody[s.RatesIn]
    ) -> s.RatesLoadedOut:
        """Load the ECB's euro reference rates (its published ``eurofxref-hist.zip``, as
        base64), which supplier documents in another currency are booked at; the rates
        already held are kept. One transaction, audited."""
        require(principal, Role.ADMINISTRATOR, what="load exchange rates")
        content = decoded(
            data.content_base64, "content_base64", site.limits.statement_bytes, "statement_bytes"
        )
        with transaction(site.sessions) as session:
            loaded = rates.load(session, content, actor=principal.actor)
        return s.RatesLoadedOut(
            read=loaded.read,
            added=loaded.added,
            first=loaded.first,
            last=loaded.last,
            currencies=list(loaded.currencies),
        )


class DeclarationsController(Controller):
    """The VAT return and the social summary, as computed from the books."""

    path = "/declarations"
    tags = ("declarations",)
    dependencies = AUTHENTICATED

    @get("/vat", operation_id="vat_return", sync_to_thread=True)
    def vat(
        self, site: SiteDep, principal: Me, period: Annotated[str, QueryParameter(max_length=16)]
    ) -> dict[str, Any]:
        """The VAT return of a month (``2026-07``) or a quarter (``2026-Q3``)."""
        _admin(principal)
        asked = choices.period_of(period, default=choices.last_month(site.today()))
        with site.sessions() as session:
            return declarations.vat_document(vat_return(session, site.coop, asked))

    @get("/social", operation_id="social_summary", sync_to_thread=True)
    def social(
        self, site: SiteDep, principal: Me, period: Annotated[str, QueryParameter(max_length=16)]
    ) -> dict[str, Any]:
        """The month's payroll totals per contribution and the national boxes."""
        _admin(principal)
        asked = choices.period_of(period, quarters=False, default=choices.last_month(site.today()))
        with site.sessions() as session:
            return declarations.social_document(social_summary(session, site.coop, asked))

    @get("/files", operation_id="declaration_files", sync_to_thread=True)
    def files(self, site: SiteDep, principal: Me) -> list[dict[str, Any]]:
        """The employment declarations made (hire and period), newest first."""
        _admin(principal)
        with site.sessions() as session:
            return [books.exact(f) for f in declarations.filed(session)]

    @get("/files/{number:int}", operation_id="declaration_file", sync_to_thread=True)
    def file(self, site: SiteDep, principal: Me, number: int) -> Response[bytes]:
        """A stored declaration's file, as it was made."""
        _admin(principal)
        with site.sessions() as session:
            content, name = declarations.filed_content(session, number)
        return Response(
            content,
            media_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    @post("/employment", operation_id="employment_declaration", sync_to_thread=True)
    def employment(
        self, site: SiteDep, principal: Me, data: JSONBody[s.EmploymentIn]
    ) -> dict[str, int]:
        """Make the periodic declaration of pay of ``"period"`` (a month, ``2026-07``,
        or a quarter, ``2026-Q3``) with ``"confirm": "yes"``; made once, then found."""
        return {"id": acts.employment_declaration(site, principal, msgspec.structs.asdict(data))}

    @post(
        "/exports",
        operation_id="export_file",
        sync_to_thread=True,
        status_code=200,
        media_type="application/octet-stream",
        responses={
            409: problem_spec("the instance has no issuer facts to file with"),
            422: problem_spec("an export, year, period or option the country does not know"),
        },
    )
    def export(self, site: SiteDep, principal: Me, data: JSONBody[s.ExportIn]) -> Response[bytes]:
        """A file for the administration, made from the posted books and recorded in the
        audit trail: the FEC, the listings of clients, the VAT return as filed."""
        made = acts.export_file(site, principal, msgspec.structs.asdict(data))
        return Response(
            made.content,
            media_type=made.media_type,
            headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
        )


class SectorsController(Controller):
    """The sectors each office enables."""

    path = "/sectors"
    tags = ("offices",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="office_sectors", sync_to_thread=True)
    def list_sectors(self, site: SiteDep, principal: Me) -> list[dict[str, Any]]:
        """Every office with its advisers, sectors in force today and their history."""
        require(principal, Role.ADMINISTRATOR, what="list the offices' sectors")
        today = site.today()
        with site.sessions() as session:
            found = offices.list_offices(session)
        return [{**books.exact(view), "in_force": view.enabled_on(today)} for view in found]

    @post("/{office:str}", operation_id="office_sector_act", sync_to_thread=True, status_code=200)
    def act(
        self,
        office: Annotated[str, PathParameter(max_length=32)],
        site: SiteDep,
        principal: Me,
        data: JSONBody[s.SectorActIn],
    ) -> dict[str, str]:
        """Enable (``{"act": "enable", "sector": "couriers"}``) or disable a sector in
        the office from ``"from"`` (default today), with ``"confirm": "yes"``."""
        body = {**msgspec.structs.asdict(data), "from": data.start, "review": str(data.review)}
        done = acts.sector_act(site, principal, office, body)
        return {"office": office, "act": data.act, "sector": done}
