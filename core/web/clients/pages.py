"""Pages of the client directory: an entity's clients, the cooperative's (staff see
every client; a member their own and the businesses), a client's page with its
changes, and the form creating a business client — its number checked, its details
prefilled from the directory or a public register — or a private person.

A refused form is shown again with the engine's message and what was typed; nothing is
written. The form goes back to the page that sent the member (``next``, the quick job)
with the client picked.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.response import Template
from sqlalchemy.orm import Session

from partage.core.access import clients as directory
from partage.core.access.roles import Principal, reachable_entity
from partage.core.acts.cooperative import ActError
from partage.core.members import clients
from partage.core.members.models import Entity
from partage.core.platform.db.engine import transaction
from partage.core.web.clients import views
from partage.core.web.pages import Form, Page, PathStr, UrlForm, guarded, see


def _page_number(request: Request[Any, Any, Any]) -> int:
    raw = str(request.query_params.get("page") or "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _safe_next(value: object) -> str:
    """Where to go back after creating a client: a page of this site only."""
    text = str(value or "")
    return text if text.startswith("/entities/") and "//" not in text else ""


def _country_names(page: Page) -> dict[str, str]:
    """Country codes to their names in the page's language."""
    return dict(clients.country_names(page.language, page.site.coop.instance.country_plugin))


def picker_rows(session: Session, me: Principal, entity: Entity) -> list[directory.DirectoryRow]:
    """The clients a document form offers to pick: the entity's directory, by name."""
    return directory.entity_directory(session, me, entity, per_page=directory.MAX_PER_PAGE).rows


@get("/entities/{code:str}/clients", sync_to_thread=True)
def entity_clients_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """An entity's clients, searched and paged, with the way to add one."""

    def build(page: Page, me: Principal) -> Response[Any]:
        q = str(request.query_params.get("q") or "")[:100]
        with page.site.sessions() as session:
            entity = reachable_entity(session, me, code)
            found = directory.entity_directory(session, me, entity, q, _page_number(request))
        return page.render(
            "clients.html",
            countries=_country_names(page),
            entity=entity,
            found=found,
            q=q,
            action=f"/entities/{code}/clients",
            page_link=lambda n: f"/entities/{code}/clients?" + urlencode({"q": q, "page": n}),
        )

    return guarded(request, build)


@get("/clients", sync_to_thread=True)
def clients_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The cooperative's client directory as the login may read it."""

    def build(page: Page, me: Principal) -> Response[Any]:
        q = str(request.query_params.get("q") or "")[:100]
        with page.site.sessions() as session:
            found = directory.cooperative_directory(session, me, q, _page_number(request))
        return page.render(
            "clients.html",
            countries=_country_names(page),
            entity=None,
            found=found,
            q=q,
            action="/clients",
            page_link=lambda n: "/clients?" + urlencode({"q": q, "page": n}),
        )

    return guarded(request, build)


def _client_page(
    page: Page, me: Principal, client: str, status: int = 200, error: str | None = None,
    field: str | None = None, form: Form | None = None,
) -> Template:  # fmt: skip
    with page.site.sessions() as session:
        row = directory.readable_client(session, me, client)
        out = views.client_out(row)
    shown = form or {
        "name": out.name,
        "street": out.street or "",
        "postcode": out.postcode,
        "town": out.town,
        "email": out.email or "",
    }
    return page.render(
        "client.html",
        status=status,
        client=out,
        form=shown,
        error=error,
        field=field,
        countries=_country_names(page),
    )


@get("/clients/{client:str}", sync_to_thread=True)
def client_page(request: Request[Any, Any, Any], client: PathStr) -> Response[Any]:
    """A client's details, and the form changing them where the reader may."""
    return guarded(request, lambda page, me: _client_page(page, me, client))


@post("/clients/{client:str}", sync_to_thread=True)
def client_change(request: Request[Any, Any, Any], client: PathStr, data: UrlForm) -> Response[Any]:
    """Change a client's name, address and e-mail (audited)."""

    def build(page: Page, me: Principal) -> Response[Any]:
        try:
            with transaction(page.site.sessions) as session:
                party = directory.editable_client(session, me, client)
                details = views.details_of(data)
                clients.update_client(
                    session,
                    party,
                    details,
                    actor=me.actor,
                    reason=str(data.get("reason") or "")[:500],
                )
        except ActError as exc:
            return _client_page(page, me, client, 422, page.say(exc), exc.field, data)
        return see(f"/clients/{client}")

    return guarded(request, build)


def _new_page(
    page: Page,
    me: Principal,
    code: str,
    form: Form,
    status: int = 200,
    error: str | None = None,
    field: str | None = None,
    note: str | None = None,
    known: Any = None,
) -> Template:
    with page.site.sessions() as session:
        entity = reachable_entity(session, me, code)
    home = page.site.coop.instance.country_plugin
    return page.render(
        "client_new.html",
        status=status,
        entity=entity,
        form=form,
        error=error,
        field=field,
        note=note,
        known=known,
        countries=clients.country_names(page.language, home),
        registries=[r.name for r in page.site.registries.enabled()],
    )


@get("/entities/{code:str}/clients/new", sync_to_thread=True)
def new_client_page(request: Request[Any, Any, Any], code: PathStr) -> Response[Any]:
    """The form creating a client. With a country and a number (the "look up"
    button), the number is checked and the details prefilled: from the cooperative's
    own directory (the client is then reused, not created again) or from a public
    register the instance enabled; a register that is down is said, and the form is
    filled by hand."""

    def build(page: Page, me: Principal) -> Response[Any]:
        params = request.query_params
        home = page.site.coop.instance.country_plugin.upper()
        form: Form = {
            "kind": "person" if params.get("kind") == "person" else "business",
            "country": str(params.get("country") or home)[:2].upper(),
            "number": str(params.get("number") or "")[:32],
            "next": _safe_next(params.get("next")),
        }
        if form["kind"] != "business" or not form["number"].strip():
            return _new_page(page, me, code, form)
        try:
            with page.site.sessions() as session:
                found = directory.lookup_number(
                    session,
                    page.site.coop,
                    page.site.registries,
                    me,
                    form["country"],
                    form["number"],
                )
        except ActError as exc:
            return _new_page(page, me, code, form, 422, page.say(exc), exc.field)
        form["vat_number"] = found.numbers.vat_number or ""
        form["company_number"] = (
            found.numbers.company_number if not found.numbers.vat_number else ""
        )
        note = None
        if found.registered is not None:
            r = found.registered
            form.update(name=r.name, street=r.street, postcode=r.postcode, town=r.town)
            note = page.words.gettext(
                "Details found in the public register %(name)s: check them."
            ) % {"name": r.source.upper()}
        elif found.down:
            note = page.words.gettext(
                "The public register %(names)s did not answer: fill in the details by hand."
            ) % {"names": ", ".join(found.down)}
        known = views.client_out(found.known) if found.known else None
        return _new_page(page, me, code, form, note=note, known=known)

    return guarded(request, build)


@post("/entities/{code:str}/clients/new", sync_to_thread=True)
def new_client(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """Create the client (or reuse the business already known under its number) and
    put it in the entity's directory; back to ``next`` with it picked."""

    def build(page: Page, me: Principal) -> Response[Any]:
        business = data.get("kind") != "person"
        try:
            with transaction(page.site.sessions) as session:
                entity = reachable_entity(session, me, code)
                party, _ = clients.create_client(
                    session,
                    page.site.coop,
                    views.details_of(data),
                    business=business,
                    actor=me.actor,
                    member_id=me.member_id if me.role.value == "member" else None,
                    entity=entity,
                )
                made = party.code
        except ActError as exc:
            return _new_page(page, me, code, dict(data), 422, page.say(exc), exc.field)
        back = _safe_next(data.get("next"))
        if back:
            return see(f"{back}{'&' if '?' in back else '?'}client={made}")
        return see(f"/entities/{code}/clients?" + urlencode({"q": made}))

    return guarded(request, build)


PAGES = (
    entity_clients_page,
    clients_page,
    client_page,
    client_change,
    new_client_page,
    new_client,
)
