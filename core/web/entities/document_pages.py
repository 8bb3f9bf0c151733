"""An entity's lists of documents on the web and through the API: one page per list
(``/entities/{code}/invoices?q=&status=&period=&sort=&page=``), its CSV and PDF exports
honouring the same filters, and the API endpoints with the same parameters, which say
how many rows match in ``X-Total-Count``.

Who may read a list is who may read the entity (:func:`reachable_entity`): another
member's entity is not found, whatever is asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.datastructures import ResponseHeader
from litestar.params import Parameter

from partage.core.access.roles import Principal, reachable_entity
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_, PartageError
from partage.core.web.deps import AUTHENTICATED, CodePath, Me, SiteDep
from partage.core.web.entities import documents as d
from partage.core.web.i18n import catalog
from partage.core.web.pages import Page, PathStr, guarded
from partage.core.web.site import Site

#: The files' media types (Litestar adds ``charset=utf-8`` to a text type itself).
MEDIA = {"pdf": "application/pdf", "csv": "text/csv"}
ListName = Literal["quotes", "invoices", "purchases", "expenses", "contracts", "payslips"]


def _listing(name: str) -> d.Listing:
    if name not in d.LISTS:
        raise NotFound("list", N_("there is no list {name}"), name=name)
    return d.LISTS[name]


def _asked(params: Mapping[str, Any]) -> dict[str, str]:
    return {k: str(params.get(k) or "") for k in d.ASKED}


def _file(
    site: Site,
    me: Principal,
    code: str,
    listing: d.Listing,
    query: d.Query,
    fmt: str,
    say: Callable[[str], str],
    words: Mapping[str, Callable[[Any], str]],
) -> Response[bytes]:
    """A list as a CSV or PDF file, every row matching ``query`` (not one page)."""
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        found = d.search(
            session, site.currency, listing, entity, query, site.today(), everything=True
        )
        name = entity.name
    if fmt == "csv":
        content = d.as_csv(found, say).encode()
    else:
        asked = [
            f"{say(N_('Search'))}: {query.text}" if query.text else "",
            f"{say(N_('Status'))}: {d.status_text(listing, query.status, say)}"
            if query.status
            else "",
            f"{say(N_('Period'))}: {query.period}" if query.period else "",
        ]
        subtitle = " · ".join(
            [say(N_("%(count)s rows")) % {"count": found.total}, words["day"](site.today())]
            + [a for a in asked if a]
        )
        content = d.as_pdf(
            found,
            say,
            words,
            heading=f"{name} ({code}) — {say(listing.title)}",
            subtitle=subtitle,
            on=site.today(),
        )
    filename = f"{code}-{listing.name}-{site.today().isoformat()}.{fmt}"
    return Response(
        content,
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _page_words(page: Page) -> dict[str, Callable[[Any], str]]:
    return {"amount": page.words.amount, "day": page.words.day, "category": page.category}


# --- pages -------------------------------------------------------------------------------
def list_view(page: Page, me: Principal, code: str, name: str) -> Response[Any]:
    """One list of the entity, searched, filtered, sorted and paged."""
    listing = _listing(name)
    site = page.site
    asked = _asked(page.request.query_params)
    error: str | None = None
    try:
        query = d.query_of(listing, *(asked[k] or None for k in d.ASKED))
    except PartageError as exc:
        query, error = d.Query(), page.say(exc)
    with site.sessions() as session:
        entity = reachable_entity(session, me, code)
        found = d.search(session, site.currency, listing, entity, query, site.today())
        title = entity.name

    def link(**changed: object) -> str:
        params = query.params(**changed)
        return f"/entities/{code}/{name}" + ("?" + urlencode(params) if params else "")

    def export(fmt: str) -> str:
        params = query.params(page="", per_page="")
        return f"/entities/{code}/{name}/export.{fmt}" + ("?" + urlencode(params) if params else "")

    return page.render(
        "entity_list.html",
        status=422 if error else 200,
        code=code,
        entity_name=title,
        listing=listing,
        lists=d.LISTS,
        found=found,
        asked=asked,
        error=error,
        link=link,
        export=export,
        row_link=row_link(listing, code),
    )


def row_link(listing: d.Listing, code: str) -> Callable[[dict[str, Any]], str | None]:
    def link(row: dict[str, Any]) -> str | None:
        if listing.link is None or not row.get("link"):
            return None
        return listing.link.format(code=code, ref=row["link"])

    return link


def export_view(page: Page, me: Principal, code: str, name: str, fmt: str) -> Response[Any]:
    listing = _listing(name)
    asked = _asked(page.request.query_params)
    query = d.query_of(listing, *(asked[k] or None for k in d.ASKED))
    return _file(page.site, me, code, listing, query, fmt, page.words.gettext, _page_words(page))


def _handlers(name: str) -> tuple[Any, ...]:
    """The page of list ``name`` and its two exports: one handler per address (a
    handler shared by several addresses is wrapped once per address by Litestar)."""

    @get(f"/entities/{{code:str}}/{name}", sync_to_thread=True, name=f"entity_{name}")
    def list_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
        return guarded(request, lambda page, me: list_view(page, me, code, name))

    @get(
        f"/entities/{{code:str}}/{name}/export.csv", sync_to_thread=True, name=f"entity_{name}_csv"
    )
    def export_csv(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
        return guarded(request, lambda page, me: export_view(page, me, code, name, "csv"))

    @get(
        f"/entities/{{code:str}}/{name}/export.pdf", sync_to_thread=True, name=f"entity_{name}_pdf"
    )
    def export_pdf(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
        return guarded(request, lambda page, me: export_view(page, me, code, name, "pdf"))

    return list_page, export_csv, export_pdf


PAGES = tuple(handler for name in d.LISTS for handler in _handlers(name))


def latest(session: Any, site: Site, entity: Any, shown: int = 5) -> dict[str, d.Found]:
    """The newest few rows of every list, for the entity page."""
    return {
        name: d.search(
            session, site.currency, listing, entity, d.Query(per_page=shown), site.today()
        )
        for name, listing in d.LISTS.items()
    }


# --- API ---------------------------------------------------------------------------------
def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | Decimal):
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


Text100 = Annotated[
    str | None, Parameter(max_length=100, description="searched in references and names")
]
Status = Annotated[str | None, Parameter(max_length=32, description="one of the list's statuses")]
Period = Annotated[
    str | None,
    Parameter(pattern=r"^\d{4}(-\d{2})?$", description="a year (2026) or a month (2026-03)"),
]
Sort = Annotated[
    str,
    Parameter(max_length=16, description="date, number, name, due or total; '-' first: descending"),
]
PageNumber = Annotated[int, Parameter(ge=1, le=100_000)]
PerPage = Annotated[int, Parameter(ge=1, le=d.MOST_PER_PAGE)]


class EntityListsController(Controller):
    """An entity's lists of documents: quotes, invoices, purchases, expenses, contracts
    and payslips, searched, filtered, sorted and paged, and their exports."""

    path = "/entities/{code:str}/lists"
    tags = ("entities",)
    dependencies = AUTHENTICATED

    @get(
        "/{name:str}",
        operation_id="entity_list",
        sync_to_thread=True,
        response_headers=[
            ResponseHeader(
                name="X-Total-Count",
                description="How many rows match, over every page",
                documentation_only=True,
            )
        ],
    )
    def rows(
        self,
        code: CodePath,
        name: Annotated[ListName, Parameter(description="which list")],
        site: SiteDep,
        principal: Me,
        q: Text100 = None,
        status: Status = None,
        period: Period = None,
        sort: Sort = "-date",
        page: PageNumber = 1,
        per_page: PerPage = d.PER_PAGE,
    ) -> Response[list[dict[str, str | None]]]:
        """One page of one of the entity's lists, the newest first unless sorted
        otherwise; dates in ISO form, amounts as decimal strings, ``status`` a code of
        the list. ``X-Total-Count`` says how many rows match in all."""
        listing = _listing(name)
        query = d.query_of(listing, q, status, period, sort, page, per_page)
        with site.sessions() as session:
            entity = reachable_entity(session, principal, code)
            found = d.search(session, site.currency, listing, entity, query, site.today())
        rows = [{k: _plain(v) for k, v in row.items() if k != "link"} for row in found.rows]
        return Response(rows, headers={"X-Total-Count": str(found.total)})

    @get(
        "/{name:str}/csv",
        operation_id="entity_list_csv",
        media_type=MEDIA["csv"],
        sync_to_thread=True,
    )
    def csv(
        self,
        code: CodePath,
        name: Annotated[ListName, Parameter(description="which list")],
        site: SiteDep,
        principal: Me,
        q: Text100 = None,
        status: Status = None,
        period: Period = None,
        sort: Sort = "-date",
    ) -> Response[bytes]:
        """Every row of the list matching the same filters, as CSV (English headings)."""
        listing = _listing(name)
        query = d.query_of(listing, q, status, period, sort)
        return _file(site, principal, code, listing, query, "csv", _english, _ENGLISH)

    @get(
        "/{name:str}/pdf",
        operation_id="entity_list_pdf",
        media_type=MEDIA["pdf"],
        sync_to_thread=True,
    )
    def pdf(
        self,
        code: CodePath,
        name: Annotated[ListName, Parameter(description="which list")],
        site: SiteDep,
        principal: Me,
        q: Text100 = None,
        status: Status = None,
        period: Period = None,
        sort: Sort = "-date",
    ) -> Response[bytes]:
        """Every row of the list matching the same filters, as a PDF table."""
        listing = _listing(name)
        query = d.query_of(listing, q, status, period, sort)
        return _file(site, principal, code, listing, query, "pdf", _english, _ENGLISH)


def _english(text: str) -> str:
    return catalog("en").gettext(text)


_ENGLISH: dict[str, Callable[[Any], str]] = {
    "amount": lambda v: f"{v}",
    "day": lambda v: v.isoformat() if isinstance(v, date) else str(v),
    "category": str,
}
