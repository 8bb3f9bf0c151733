"""The administrators' workspace: its home, the books (trial balance, general ledger,
balance sheet, profit and loss; the periods closed and opened), the VAT return, the
social summary, and the offices with their sectors.

Every page is for administrators only (anyone else is answered 403, as the API). A
report takes its choices from the query (``book``, ``from``, ``to``, ``period``...) and
downloads as CSV or JSON with ``format=csv|json``; a bad choice re-renders the page
with the rule it breaks. An act (closing a month, enabling a sector...) is one
transaction, confirmed by a tick, audited by the service it calls.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from litestar import Request, Response, get, post

from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.acts.cooperative import InvalidAct
from partage.core.contract.errors import PartageError
from partage.core.declarations.returns import social_summary, vat_return
from partage.core.ledger import general_ledgers, rates, trial_balances
from partage.core.ledger.periods import fiscal_year_containing
from partage.core.members import offices
from partage.core.platform.db.engine import transaction
from partage.core.web import charts, i18n
from partage.core.web.admin import acts, books, choices, declarations
from partage.core.web.i18n import N_
from partage.core.web.pages import MultipartForm, Page, PathStr, UrlForm, guarded, uploaded
from partage.core.web.problems import kind_of

WHAT = "use the administrators' workspace"
MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json"}
TRIAL_HEADERS = tuple(trial_balances.TRIAL_BALANCE_HEADERS)
LEDGER_HEADERS = general_ledgers.GENERAL_LEDGER_HEADERS


def _download(name: str, fmt: str, text: str) -> Response[Any]:
    return Response(
        text,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )


def _format(request: Request[Any, Any, Any]) -> str | None:
    fmt = request.query_params.get("format")
    return fmt if fmt in MEDIA else None


def refused(page: Page, exc: PartageError) -> str:
    """A refusal as the page shows it: its kind, then the words naming the field and
    the rule, both in the reader's language."""
    return f"{page.words.gettext(kind_of(exc).title)}: {page.say(exc)}"


def admin_page(
    request: Request[Any, Any, Any], build: Callable[[Page, Principal], Response[Any]]
) -> Response[Any]:
    """``build`` for an administrator; others are refused (403)."""

    def checked(page: Page, me: Principal) -> Response[Any]:
        require(me, Role.ADMINISTRATOR, what=WHAT)
        return build(page, me)

    return guarded(request, checked)


@get("/admin", sync_to_thread=True)
def home_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The workspace's entrance: one tile per part."""
    return admin_page(request, lambda page, me: page.render("admin.html", section="home"))


# --- the books --------------------------------------------------------------------
def _book_context(page: Page) -> dict[str, Any]:
    """The chooser's state: the book, the range and the view the query asks for."""
    query = page.request.query_params
    site = page.site
    first, last = choices.day_range(
        query.get("from"), query.get("to"), site.today(), site.fiscal_year_start_month
    )
    view_name, view = books.view_of(query.get("view"))
    with site.sessions() as session:
        chosen = choices.choose_book(session, str(query.get("book") or ""))
    return {
        "chosen": chosen,
        "start": first,
        "end": last,
        "view_name": view_name,
        "view": view,
        "views": [(name, v.name) for name, v in books.VIEWS.items()],
    }


def _book_page(
    request: Request[Any, Any, Any],
    report: str,
    draw: Callable[[Page, dict[str, Any]], Response[Any] | dict[str, Any]],
) -> Response[Any]:
    """A book report's page: the chooser, then what ``draw`` adds (or its download)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        context: dict[str, Any] = {"section": "books", "report": report, "error": None}
        try:
            context.update(_book_context(page))
            if context["chosen"].decided:
                drawn = draw(page, context)
                if isinstance(drawn, Response):
                    return drawn
                context.update(drawn)
        except PartageError as exc:
            context["error"] = refused(page, exc)
            return page.render(
                "admin_books.html", status=kind_of(exc).status, **_defaults(page, context)
            )
        return page.render("admin_books.html", **context)

    return admin_page(request, build)


def _defaults(page: Page, context: dict[str, Any]) -> dict[str, Any]:
    """What the books' template needs when the choice itself was refused."""
    today = page.site.today()
    context.setdefault("chosen", choices.BookChoice("", None, ""))
    context.setdefault(
        "start", fiscal_year_containing(today, page.site.fiscal_year_start_month).start
    )
    context.setdefault("end", today)
    context.setdefault("view_name", next(iter(books.VIEWS)))
    context.setdefault("views", [(n, v.name) for n, v in books.VIEWS.items()])
    return context


def _file_name(kind: str, context: dict[str, Any]) -> str:
    book = context["chosen"].code or "instance"
    return f"{kind}-{book}-{context['start']}-{context['end']}"


@get("/admin/books", sync_to_thread=True)
def trial_balance_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The trial balance of the chosen book and range."""

    def draw(page: Page, context: dict[str, Any]) -> Response[Any] | dict[str, Any]:
        with page.site.sessions() as session:
            report = context["view"].trial_balance(
                session, book=context["chosen"].code, start=context["start"], end=context["end"]
            )
        fmt = _format(request)
        if fmt == "csv":
            rows = trial_balances.trial_balance_rows(report)
            return _download(
                _file_name("trial-balance", context), fmt, books.to_csv(TRIAL_HEADERS, rows)
            )
        if fmt == "json":
            return _download(
                _file_name("trial-balance", context), fmt, json.dumps(books.exact(report))
            )
        return {"trial": report}

    return _book_page(request, "trial-balance", draw)


@get("/admin/books/ledger", sync_to_thread=True)
def ledger_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """One account's postings, a page of :data:`~choices.PAGE_SIZE` at a time."""

    def draw(page: Page, context: dict[str, Any]) -> Response[Any] | dict[str, Any]:
        account = str(request.query_params.get("account") or "").strip()[:32]
        context["account"] = account
        if not account:
            return {"ledger": None}
        number = choices.page_of(request.query_params.get("page"))
        fmt = _format(request)
        with page.site.sessions() as session:
            report = general_ledgers.general_ledger(
                session,
                account=account,
                book=context["chosen"].code,
                start=context["start"],
                end=context["end"],
                offset=(number - 1) * choices.PAGE_SIZE,
                limit=None if fmt else choices.PAGE_SIZE,
            )
        name = _file_name(f"ledger-{account}", context)
        if fmt == "csv":
            rows = [[getattr(ln, h) for h in LEDGER_HEADERS] for ln in report.lines]
            return _download(name, fmt, books.to_csv(LEDGER_HEADERS, rows))
        if fmt == "json":
            return _download(name, fmt, json.dumps(books.exact(report)))
        pages = max((report.total + choices.PAGE_SIZE - 1) // choices.PAGE_SIZE, 1)
        first = report.lines[0] if report.lines else None
        carried = first.balance - first.debit + first.credit if first else report.opening
        return {"ledger": report, "page": number, "pages": pages, "carried": carried}

    return _book_page(request, "ledger", draw)


def _statement_page(request: Request[Any, Any, Any], report: str) -> Response[Any]:
    def draw(page: Page, context: dict[str, Any]) -> Response[Any] | dict[str, Any]:
        view: books.View = context["view"]
        book, start, end = context["chosen"].code, context["start"], context["end"]
        with page.site.sessions() as session:
            if report == "balance-sheet":
                statement = view.balance_sheet(session, book=book, on=end)
                monthly = []
            else:
                statement = view.profit_and_loss(session, book=book, start=start, end=end)
                monthly = books.results_by_month(session, view, book, start, end)
        fmt = _format(request)
        rows = books.statement_rows(statement)
        if fmt == "csv":
            headers = ("side", "account", "name", "amount")
            return _download(
                _file_name(report, context),
                fmt,
                books.to_csv(headers, [[r[h] for h in headers] for r in rows]),
            )
        if fmt == "json":
            return _download(
                _file_name(report, context), fmt, json.dumps(books.statement_document(statement))
            )
        words, look = page.words, page.site.look()
        chart = None
        if monthly:
            chart = charts.columns(
                [m.month for m in monthly],
                [
                    (
                        words.gettext(books.SIDES["Income"]),
                        look.primary_colour,
                        [m.income for m in monthly],
                    ),
                    (
                        words.gettext(books.SIDES["Expenses"]),
                        look.secondary_colour,
                        [m.expenses for m in monthly],
                    ),
                ],
                title=words.gettext("Income and charges per month"),
                show=words.amount,
            )
        return {
            "statement": statement,
            "rows": rows,
            "chart": chart,
            "monthly": monthly,
            "sides": books.SIDES,
        }

    return _book_page(request, report, draw)


@get("/admin/books/balance-sheet", sync_to_thread=True)
def balance_sheet_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Assets, liabilities and equity at the range's last day, in the chart's layout."""
    return _statement_page(request, "balance-sheet")


@get("/admin/books/profit-and-loss", sync_to_thread=True)
def profit_and_loss_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Expenses, income and result of the range, with a chart of each month's."""
    return _statement_page(request, "profit-and-loss")


# --- the periods ------------------------------------------------------------------
def _periods(
    page: Page, status: int = 200, error: str | None = None, done: str | None = None
) -> Response[Any]:
    with page.site.sessions() as session:
        found = books.periods_of(session)
    return page.render(
        "admin_periods.html",
        status=status,
        section="periods",
        periods=found,
        error=error,
        done=done,
        next_year=fiscal_year_containing(page.site.today(), page.site.fiscal_year_start_month)
        .following()
        .start.year,
    )


@get("/admin/books/periods", sync_to_thread=True)
def periods_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The fiscal years and months, open or closed, with the acts on them."""
    return admin_page(request, lambda page, me: _periods(page))


@post("/admin/books/periods", sync_to_thread=True)
def period_act_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Open a year, close a month or close a year, once the tick confirms it."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            done = acts.period_act(page.site, me, data)
        except PartageError as exc:
            return _periods(page, status=kind_of(exc).status, error=refused(page, exc))
        return _periods(page, done=done)

    return admin_page(request, build)


# --- exchange rates -----------------------------------------------------------------
def _rates(
    page: Page, status: int = 200, error: str | None = None, loaded: rates.Loaded | None = None
) -> Response[Any]:
    with page.site.sessions() as session:
        found = rates.held(session)
    return page.render(
        "admin_rates.html",
        status=status,
        section="rates",
        held=found,
        error=error,
        loaded=loaded,
    )


@get("/admin/books/exchange-rates", sync_to_thread=True)
def rates_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The ECB reference rates the instance holds, and the form that loads the ECB's file."""
    return admin_page(request, lambda page, me: _rates(page))


@post("/admin/books/exchange-rates", sync_to_thread=True)
def rates_load_page(request: Request[Any, Any, Any], data: MultipartForm) -> Response[Any]:
    """Load the ECB's published file (``eurofxref-hist.zip`` or its CSV); one transaction."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            # The ECB's file is read as bank files are, within their bound.
            limit = page.site.limits.statement_bytes
            content, _name = uploaded(data, "file", limit, "statement_bytes")
            if not content:
                raise InvalidAct("file", N_("choose the ECB's file (eurofxref-hist.zip)"))
            with transaction(page.site.sessions) as session:
                loaded = rates.load(session, content, actor=me.actor)
        except PartageError as exc:
            return _rates(page, status=kind_of(exc).status, error=refused(page, exc))
        return _rates(page, loaded=loaded)

    return admin_page(request, build)


# --- the declarations -------------------------------------------------------------
@get("/admin/vat", sync_to_thread=True)
def vat_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The VAT return of a month or a quarter, with a chart of the year's VAT."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        raw = request.query_params.get("period")
        try:
            period = choices.period_of(raw, default=choices.last_month(site.today()))
            with site.sessions() as session:
                declared = vat_return(session, site.coop, period)
                year = fiscal_year_containing(period.start, site.fiscal_year_start_month)
                monthly = declarations.vat_by_month(session, site.coop, year.months())
        except PartageError as exc:
            return page.render(
                "admin_vat.html",
                status=kind_of(exc).status,
                section="vat",
                error=refused(page, exc),
                asked=str(raw or ""),
                declared=None,
            )
        fmt = _format(request)
        name = f"vat-return-{period.label}"
        if fmt == "csv":
            return _download(
                name,
                fmt,
                books.to_csv(declarations.BOX_HEADERS, declarations.box_rows(declared)),
            )
        if fmt == "json":
            return _download(name, fmt, json.dumps(declarations.vat_document(declared)))
        words, look = page.words, site.look()
        chart = charts.columns(
            [m.month for m in monthly],
            [
                (words.gettext("VAT on sales"), look.primary_colour, [m.on_sales for m in monthly]),
                (
                    words.gettext("VAT on purchases"),
                    look.secondary_colour,
                    [m.on_purchases for m in monthly],
                ),
            ],
            title=words.gettext("VAT per month of the fiscal year"),
            show=words.amount,
        )
        return page.render(
            "admin_vat.html",
            section="vat",
            error=None,
            asked=period.label,
            declared=declared,
            chart=chart,
        )

    return admin_page(request, build)


@get("/admin/social", sync_to_thread=True)
def social_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The month's payroll totals per contribution and the national boxes."""

    def build(page: Page, me: Principal) -> Response[Any]:
        site = page.site
        raw = request.query_params.get("period")
        try:
            period = choices.period_of(
                raw, quarters=False, default=choices.last_month(site.today())
            )
            with site.sessions() as session:
                summary = social_summary(session, site.coop, period)
        except PartageError as exc:
            return page.render(
                "admin_social.html",
                status=kind_of(exc).status,
                section="social",
                error=refused(page, exc),
                asked=str(raw or ""),
                summary=None,
            )
        fmt = _format(request)
        name = f"social-summary-{period.label}"
        if fmt == "csv":
            return _download(
                name,
                fmt,
                books.to_csv(
                    declarations.CONTRIBUTION_HEADERS, declarations.contribution_rows(summary)
                ),
            )
        if fmt == "json":
            return _download(name, fmt, json.dumps(declarations.social_document(summary)))
        words = page.words
        chart = charts.bars(
            [
                (words.gettext("Net pay"), summary.totals.net),
                (words.gettext("Employee contributions"), summary.totals.employee_contributions),
                (words.gettext("Withholding tax"), summary.totals.withholding),
                (words.gettext("Employer contributions"), summary.totals.employer_contributions),
                (words.gettext("Insurance premiums"), summary.insurance),
            ],
            title=words.gettext("Where the employer cost goes"),
            colour=site.look().primary_colour,
            show=words.amount,
        )
        return page.render(
            "admin_social.html",
            section="social",
            number=lambda value: i18n.number(value, words.language),
            error=None,
            asked=period.label,
            summary=summary,
            named=lambda label: declarations.said(label, words.gettext),
            boxes=declarations.shown_boxes(summary, words.gettext),
            chart=chart,
        )

    return admin_page(request, build)


# --- the employment declarations' files --------------------------------------------
def _filings(
    page: Page,
    status: int = 200,
    error: str | None = None,
    done: int | None = None,
    asked: str | None = None,
) -> Response[Any]:
    number = choices.page_of(page.request.query_params.get("page"))
    size = declarations.FILED_PER_PAGE
    with page.site.sessions() as session:
        total = declarations.filed_count(session)
        pages = max((total + size - 1) // size, 1)
        number = min(number, pages)
        found = declarations.filed(session, limit=size, offset=(number - 1) * size)
    return page.render(
        "admin_declarations.html",
        status=status,
        section="declarations",
        filed=found,
        page=number,
        pages=pages,
        total=total,
        error=error,
        done=done,
        asked=asked or choices.last_month(page.site.today()).label,
    )


@get("/admin/declarations", sync_to_thread=True)
def filings_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The employment declarations made, and the form making a period's."""
    return admin_page(request, lambda page, me: _filings(page))


@post("/admin/declarations", sync_to_thread=True)
def file_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Make a month's or a quarter's declaration of pay, once confirmed."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            done = acts.employment_declaration(page.site, me, data)
        except PartageError as exc:
            asked = str(data.get("period") or "")[:16]
            return _filings(page, status=kind_of(exc).status, error=refused(page, exc), asked=asked)
        return _filings(page, done=done)

    return admin_page(request, build)


@get("/admin/declarations/{number:int}/file", sync_to_thread=True)
def filed_file(request: Request[Any, Any, Any], number: int) -> Response[Any]:
    """A stored declaration's file, as it was made."""

    def build(page: Page, me: Principal) -> Response[Any]:
        with page.site.sessions() as session:
            content, name = declarations.filed_content(session, number)
        return Response(
            content,
            media_type="application/octet-stream",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    return admin_page(request, build)


# --- the offices and their sectors ------------------------------------------------
def _offices(
    page: Page, status: int = 200, error: str | None = None, done: str | None = None
) -> Response[Any]:
    site = page.site
    today = site.today()
    with site.sessions() as session:
        found = offices.list_offices(session)
    return page.render(
        "admin_offices.html",
        status=status,
        section="offices",
        offices=found,
        in_force={view.code: view.enabled_on(today) for view in found},
        installed=acts.installed_sectors(site),
        sector_names=acts.sector_names(site),
        error=error,
        done=done,
        day_text=lambda value: page.words.day(value) if isinstance(value, date) else "",
    )


@get("/admin/offices", sync_to_thread=True)
def offices_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Every office with its advisers and the sectors it enables."""
    return admin_page(request, lambda page, me: _offices(page))


@post("/admin/offices/{code:str}/sectors", sync_to_thread=True)
def sector_act_page(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """Enable or disable a sector in an office from a day on, once confirmed."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            done = acts.sector_act(page.site, me, code, data)
        except PartageError as exc:
            return _offices(page, status=kind_of(exc).status, error=refused(page, exc))
        named = acts.sector_names(page.site).get(done, done)
        return _offices(page, done=page.words.gettext(named))

    return admin_page(request, build)


# --- the files for the administration ------------------------------------------------
def _exports(page: Page, status: int = 200, error: str | None = None) -> Response[Any]:
    today = page.site.today()
    year = fiscal_year_containing(today, page.site.fiscal_year_start_month)
    return page.render(
        "admin_exports.html",
        status=status,
        section="exports",
        error=error,
        last_year=year.start.year - 1,
        last_month=choices.last_month(today).label,
    )


@get("/admin/exports", sync_to_thread=True)
def exports_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The files an accountant files: the FEC, the listings of clients, the VAT return in
    the administration's format."""
    return admin_page(request, lambda page, me: _exports(page))


@post("/admin/exports", sync_to_thread=True)
def export_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Make one of those files and download it (its making is audited)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            made = acts.export_file(page.site, me, data)
        except PartageError as exc:
            return _exports(page, status=kind_of(exc).status, error=refused(page, exc))
        return Response(
            made.content,
            status_code=200,
            media_type=made.media_type,
            headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
        )

    return admin_page(request, build)


PAGES = (
    home_page,
    trial_balance_page,
    ledger_page,
    balance_sheet_page,
    profit_and_loss_page,
    periods_page,
    period_act_page,
    rates_page,
    rates_load_page,
    vat_page,
    social_page,
    filings_page,
    file_page,
    filed_file,
    offices_page,
    sector_act_page,
    exports_page,
    export_page,
)
