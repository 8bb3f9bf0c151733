"""Which clients a login finds in the client directories, and which it may change.

Two directories are read here:

- an entity's: the clients it works with — those put in its directory from its pages,
  the API or the command line, and those its invoices and quotes name. Whoever reaches
  the entity (:func:`partage.core.access.roles.entity_scope`) reads it;
- the cooperative's: office staff and administrators read every client; a member reads
  the clients :func:`partage.core.access.parties.party_scope` gives them (their own and
  those their entities dealt with) and the businesses, whose name, numbers and town are
  public in the company registers — without their e-mail or street unless the business
  is also theirs. Another member's private client never appears, whatever is searched.

Searching matches a name, a VAT or company number, an e-mail or a town; pages are
numbered from 1. Changing a client is for staff and for the members who see it as
theirs; a business another entity brought stays as it is for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.parties import PARTY_READERS, is_business, party_scope
from partage.core.access.roles import Principal, require
from partage.core.acts.cooperative import Cooperative, NotFound
from partage.core.contract.errors import N_
from partage.core.members.clients import (
    ClientNumber,
    checked_country,
    checked_number,
    known_business,
)
from partage.core.members.models import Entity, EntityClient, Party
from partage.core.members.registries import RegisteredCompany, ask_registries
from partage.core.platform.registries import Registries
from partage.core.sales.models import Invoice, Quote

#: The most rows one page of a directory holds.
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class DirectoryRow:
    """One client as a directory lists it.

    Attributes:
        party: the row.
        own: whether the reader sees the client's personal details (e-mail, street):
            staff always, a member for their own clients; ``False`` for a business a
            member sees only as public data.
    """

    party: Party
    own: bool


@dataclass(frozen=True)
class DirectoryPage:
    """One page of a directory: its rows, how many match over every page, the page."""

    rows: list[DirectoryRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _business() -> ColumnElement[bool]:
    return or_(Party.vat_number.is_not(None), Party.company_number.is_not(None))


def _matching(q: str | None) -> ColumnElement[bool]:
    words = (q or "").strip()
    if not words:
        return true()
    like = f"%{words.lower()}%"
    compact = "".join(ch for ch in words if ch.isalnum()).upper()
    conditions: list[ColumnElement[bool]] = [
        func.lower(Party.name).like(like),
        func.lower(Party.email).like(like),
        func.lower(Party.town).like(like),
        func.lower(Party.code).like(like),
    ]
    if compact:
        conditions += [
            Party.vat_number.contains(compact, autoescape=True),
            Party.company_number.contains(compact, autoescape=True),
        ]
    return or_(*conditions)


def entity_clients(entity_id: int) -> ColumnElement[bool]:
    """The condition on :class:`Party` rows in one entity's directory."""
    return Party.id.in_(
        select(EntityClient.party_id)
        .where(EntityClient.entity_id == entity_id)
        .union(
            select(Invoice.party_id).where(Invoice.entity_id == entity_id),
            select(Quote.party_id).where(Quote.entity_id == entity_id),
        )
    )


def cooperative_scope(principal: Principal) -> ColumnElement[bool]:
    """The condition on :class:`Party` rows in the cooperative's directory for a login."""
    require(principal, *PARTY_READERS, what=N_("read the client directory"))
    if principal.is_staff:
        return true()
    if principal.role is Role.MEMBER:
        return or_(party_scope(principal), _business())
    return false()


def _page(
    session: Session,
    principal: Principal,
    where: ColumnElement[bool],
    q: str | None,
    page: int,
    per_page: int,
) -> DirectoryPage:
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    condition = where & _matching(q) & Party.kind.in_(("client", "both"))
    total = session.scalar(select(func.count()).select_from(Party).where(condition)) or 0
    rows = session.scalars(
        select(Party)
        .where(condition)
        .order_by(func.lower(Party.name), Party.code)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    own = mine(session, principal, [p.id for p in rows])
    return DirectoryPage([DirectoryRow(p, p.id in own) for p in rows], total, page, per_page)


def mine(session: Session, principal: Principal, ids: list[int]) -> set[int]:
    """Which of these clients the login sees in full (staff: all)."""
    if principal.is_staff:
        return set(ids)
    if principal.role is not Role.MEMBER or not ids:
        return set()
    return set(session.scalars(select(Party.id).where(Party.id.in_(ids), party_scope(principal))))


def entity_directory(
    session: Session,
    principal: Principal,
    entity: Entity,
    q: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> DirectoryPage:
    """One page of an entity's directory (the caller reached the entity)."""
    where = entity_clients(entity.id) & cooperative_scope(principal)
    return _page(session, principal, where, q, page, per_page)


def cooperative_directory(
    session: Session,
    principal: Principal,
    q: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> DirectoryPage:
    """One page of the cooperative's directory as the login may read it."""
    return _page(session, principal, cooperative_scope(principal), q, page, per_page)


def readable_client(session: Session, principal: Principal, code: str) -> DirectoryRow:
    """A client a login may open: "no such client" otherwise, the very answer to a code
    that does not exist."""
    require(principal, *PARTY_READERS, what=N_("read the client directory"))
    party = session.scalars(select(Party).where(Party.code == code)).one_or_none()
    if party is not None:
        own = party.id in mine(session, principal, [party.id])
        if own or is_business(party):
            return DirectoryRow(party, own)
    raise NotFound("client", N_("no such client"), value=repr(code))


def editable_client(session: Session, principal: Principal, code: str) -> Party:
    """A client a login may change: staff any, a member their own."""
    row = readable_client(session, principal, code)
    if not row.own:
        raise NotFound("client", N_("no such client"), value=repr(code))
    return row.party


@dataclass(frozen=True)
class NumberLookup:
    """What the cooperative and the public registers say of a business number.

    Attributes:
        numbers: the number checked and told apart (VAT or company number).
        known: the row the cooperative already has, to reuse rather than duplicate.
        registered: what an enabled public register says, when no row is known.
        down: the registers that did not answer (the form is then filled by hand).
    """

    numbers: ClientNumber
    known: DirectoryRow | None
    registered: RegisteredCompany | None
    down: list[str]


def lookup_number(
    session: Session,
    coop: Cooperative,
    registries: Registries,
    principal: Principal,
    country: str,
    number: str,
) -> NumberLookup:
    """Check a business number and find its details: the cooperative's own directory
    first (a business is public data, shown to a member without its e-mail unless it
    is theirs), then the public registers the instance enabled."""
    require(principal, *PARTY_READERS, what=N_("read the client directory"))
    country = checked_country(country, coop.instance.country_plugin)
    numbers = checked_number(country, number)
    party = known_business(session, numbers)
    if party is not None:
        own = party.id in mine(session, principal, [party.id])
        return NumberLookup(numbers, DirectoryRow(party, own), None, [])
    found, down = ask_registries(
        registries, country, numbers.vat_number or numbers.company_number or ""
    )
    return NumberLookup(numbers, None, found, down)
