"""Pages of suppliers' bank accounts: the staff's queue of accounts waiting for a
decision — each with what it would replace and how many invoices wait for it — with
its confirm and reject buttons, the verified accounts, and the form to enter one. And the
staff's queue of pending acts (cash declared, stand-alone supplier credit notes,
expense-claim VAT no rate explains) with their validate and refuse buttons.

A refusal (the four-eyes rule, an account already decided, a bad IBAN) shows the
queue again with the message, and nothing changes."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import PathParameter
from litestar.response import Template

from partage.core.access.roles import Principal, entity_scope, reachable_entity, require_staff
from partage.core.acts.models import PendingStatus
from partage.core.banking import payees
from partage.core.banking import pending as decisions
from partage.core.banking.models import PayeeStatus
from partage.core.contract.errors import N_, PartageError
from partage.core.platform.db.engine import transaction
from partage.core.web.banking import views
from partage.core.web.pages import Form, Page, UrlForm, guarded, see
from partage.core.web.problems import kind_of
from partage.core.web.schemas import LARGEST_ID

AccountPath = Annotated[int, PathParameter(ge=1, le=LARGEST_ID)]
PendingPath = Annotated[int, PathParameter(ge=1, le=LARGEST_ID)]
#: How many verified accounts the queue page lists below the waiting ones (the API and
#: ``partage bank payees list`` give them all).
VERIFIED_SHOWN = 100


def _queue(page: Page, me: Principal, status: int = 200, **extra: Any) -> Template:
    require_staff(me, N_("read suppliers' bank accounts"))
    with page.site.sessions() as session:
        pending = views.payee_list(session, staff=True, statuses=[PayeeStatus.PENDING])
        verified = views.payee_list(
            session, staff=True, statuses=[PayeeStatus.VERIFIED], limit=VERIFIED_SHOWN
        )
    query = page.request.query_params
    done = {key: query.get(key) for key in ("confirmed", "rejected", "entered")}
    return page.render(
        "payees.html",
        status=status,
        pending=pending,
        verified=verified,
        done={k: v for k, v in done.items() if v and v.isdigit() and len(v) <= 12},
        **extra,
    )


@get("/payees", sync_to_thread=True)
def payees_page(request: Request[Any, Any, Any]) -> Response[Any]:
    return guarded(request, lambda page, me: _queue(page, me))


def _act(
    request: Request[Any, Any, Any], done: str, act: Any, data: Form | None = None
) -> Response[Any]:
    """Run one staff act on an account, then show the queue with what was done."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require_staff(me, N_("vouch for suppliers' bank accounts"))
        try:
            with transaction(page.site.sessions) as session:
                account = act(session, me)
        except PartageError as exc:
            return _queue(page, me, kind_of(exc).status, error=page.say(exc), form=data or {})
        return see(f"/payees?{urlencode({done: account})}")

    return guarded(request, build)


@post("/payees/{account:int}/confirm", sync_to_thread=True)
def confirm(request: Request[Any, Any, Any], account: AccountPath) -> Response[Any]:
    """Confirm a pending account (not by the login that brought it in)."""
    return _act(
        request,
        "confirmed",
        lambda session, me: payees.confirm_account(session, account, actor=me.actor).id,
    )


@post("/payees/{account:int}/reject", sync_to_thread=True)
def reject(request: Request[Any, Any, Any], account: AccountPath, data: UrlForm) -> Response[Any]:
    """Reject a pending account, with the reason."""
    return _act(
        request,
        "rejected",
        lambda session, me: (
            payees.reject_account(
                session, account, actor=me.actor, reason=str(data.get("reason") or "")[:500]
            ).id
        ),
    )


@post("/payees", sync_to_thread=True)
def enter(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Enter a supplier's account: verified at once."""
    return _act(
        request,
        "entered",
        lambda session, me: (
            payees.enter_account(
                session,
                str(data.get("supplier") or "").strip(),
                str(data.get("iban") or ""),
                str(data.get("bic") or "").strip() or None,
                actor=me.actor,
            ).id
        ),
        data,
    )


#: How many decided acts the pending queue lists below the waiting ones (the API: all).
DECIDED_SHOWN = 50


def _pending_queue(page: Page, me: Principal, status: int = 200, **extra: Any) -> Template:
    require_staff(me, N_("read the queue of pending acts"))
    site = page.site
    with site.sessions() as session:
        scope = entity_scope(me)
        waiting = decisions.listing(
            session, site.coop, scope=scope, statuses=[PendingStatus.PENDING]
        )
        decided = decisions.listing(
            session,
            site.coop,
            scope=scope,
            statuses=[PendingStatus.VALIDATED, PendingStatus.REFUSED],
            limit=DECIDED_SHOWN,
        )
    query = page.request.query_params
    done = {key: query.get(key) for key in ("validated", "refused")}
    return page.render(
        "pending.html",
        status=status,
        waiting=waiting,
        decided=decided,
        done={k: v for k, v in done.items() if v and v.isdigit() and len(v) <= 12},
        **extra,
    )


@get("/pending", sync_to_thread=True)
def pending_page(request: Request[Any, Any, Any]) -> Response[Any]:
    return guarded(request, lambda page, me: _pending_queue(page, me))


def _decide(request: Request[Any, Any, Any], done: str, pending_id: int, act: Any) -> Response[Any]:
    """Validate or refuse one pending act of the login's office, then show the queue."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require_staff(me, N_("validate or refuse pending acts"))
        try:
            with transaction(page.site.sessions) as session:
                entity = decisions.entity_of(session, pending_id)
                reachable_entity(session, me, entity.code)
                act(session, page, me)
        except PartageError as exc:
            return _pending_queue(page, me, kind_of(exc).status, error=page.say(exc))
        return see(f"/pending?{urlencode({done: pending_id})}")

    return guarded(request, build)


@post("/pending/{pending_id:int}/validate", sync_to_thread=True)
def validate_pending(request: Request[Any, Any, Any], pending_id: PendingPath) -> Response[Any]:
    """Validate a pending act (not by the login that entered it)."""
    return _decide(
        request,
        "validated",
        pending_id,
        lambda session, page, me: decisions.validate(
            session, page.site.coop, pending_id, actor=me.actor, on=page.site.today()
        ),
    )


@post("/pending/{pending_id:int}/refuse", sync_to_thread=True)
def refuse_pending(
    request: Request[Any, Any, Any], pending_id: PendingPath, data: UrlForm
) -> Response[Any]:
    """Refuse a pending act, with the reason."""
    return _decide(
        request,
        "refused",
        pending_id,
        lambda session, page, me: decisions.refuse(
            session, pending_id, actor=me.actor, reason=str(data.get("reason") or "")[:500]
        ),
    )


PAGES = (payees_page, confirm, reject, enter, pending_page, validate_pending, refuse_pending)
