"""Who may see and do what: the roles' rules, in one place.

| role              | entities and their acts              | office view | instance | network |
|-------------------|--------------------------------------|-------------|----------|---------|
| member            | the entities they hold               | –           | –        | –       |
| adviser           | the entities of their office         | their office| –        | –       |
| office manager    | the entities of their office         | their office| –        | –       |
| administrator     | every entity                         | every office| yes      | yes     |
| ethics committee  | the list of entities (no figures)    | –           | –        | –       |
| franchisor        | nothing                              | –           | –        | yes     |

Follow-up records and workshops: office staff read and write the records of the
members holding an entity of their office and plan their office's workshops;
administrators, every one; a member reads the items of their own record shown to them
and the workshops they registered for.

Paying salaries, recording bank payments and vouching for suppliers' bank accounts are
the cooperative's own work: office staff and administrators do them, members do not (a
member declares cash they received). A member acts for themselves only — they hire
only themselves; another member is offered the contract and accepts it from their own
login — while staff name the member they act for, and open entities in their own
office. An entity outside a login's reach answers "not
found" — the same answer as an entity that does not exist — so that trying other
people's codes reveals nothing. Which clients and suppliers a login sees and may name
in an act is :mod:`partage.core.access.parties`.
Every rule here is tested for every role.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, select, true
from sqlalchemy.orm import Session

from partage.core.access.models import OFFICE_ROLES, Role, WebUser
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_, PartageError, Word
from partage.core.members.models import (
    Entity,
    EntityHolder,
    Member,
    Office,
    OfficeAdviser,
    Workshop,
    WorkshopSeat,
)


class Forbidden(PartageError):
    """The login's role does not allow this (answered 403, naming the role)."""


@dataclass(frozen=True)
class Principal:
    """The login a request acts for.

    Attributes:
        user_id: the login's id.
        username: its name (also the audit actor, as ``user:<name>``).
        role: its :class:`Role`.
        display_name: how to greet them.
        member_id, member_number: the member behind the login, if any.
        office_id, office_code: the office of an adviser or office manager.
        language: preferred interface language.
        second_factor: whether the login has enrolled a second factor.
        must_change_password: its password was set by an administrator and must be
            changed before anything else.
    """

    user_id: int
    username: str
    role: Role
    display_name: str
    member_id: int | None
    member_number: int | None
    office_id: int | None
    office_code: str | None
    language: str | None
    second_factor: bool = False
    must_change_password: bool = False

    @property
    def actor(self) -> str:
        return f"user:{self.username}"

    @property
    def is_staff(self) -> bool:
        """Office staff or administrator: may do the cooperative's own acts."""
        return self.role in (Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


def principal_of(session: Session, user: WebUser) -> Principal:
    """The principal of a login, with its member number and office. An adviser's or
    office manager's office is the one whose staff roster names them (the one source
    of truth): removed from it, they reach no office and no entity."""
    number = (
        session.scalar(select(Member.number).where(Member.id == user.member_id))
        if user.member_id
        else None
    )
    office = (
        session.execute(
            select(Office.id, Office.code)
            .join(OfficeAdviser, OfficeAdviser.office_id == Office.id)
            .where(OfficeAdviser.user_name == user.username)
            .order_by(Office.id)
            .limit(1)
        ).first()
        if user.role in OFFICE_ROLES
        else None
    )
    return Principal(
        user.id,
        user.username,
        Role(user.role),
        user.display_name,
        user.member_id,
        number,
        office[0] if office else None,
        office[1] if office else None,
        user.language,
        second_factor=user.totp_secret is not None,
        must_change_password=user.must_change_password,
    )


def require(principal: Principal, *roles: Role, what: str) -> None:
    """Refuse (403) unless the login has one of ``roles``."""
    if principal.role not in roles:
        raise Forbidden(
            "role",
            N_("a login of role {role} may not {what} (allowed: {allowed})"),
            role=Word(principal.role.value),
            what=Word(what),
            allowed=tuple(Word(r.value) for r in roles),
        )


def acting_member(principal: Principal, given: int | None, what: str) -> int:
    """The member number an act is for: a member acts for themselves (naming another is
    refused, 403); staff must name the member (422 when they do not)."""
    if principal.role is Role.MEMBER:
        if given is not None and given != principal.member_number:
            raise Forbidden(
                "member", N_("a member may {what} only for themselves"), what=Word(what)
            )
        assert principal.member_number is not None
        return principal.member_number
    if given is None:
        raise InvalidAct("member", N_("say for which member to {what}"), what=Word(what))
    return given


def entity_opening(
    principal: Principal, holders: list[int] | None, office: str | None
) -> tuple[list[int], str]:
    """The holders and the office of an entity a login opens: a member opens one for
    themselves only; an adviser or office manager in their own office (the default);
    an administrator names the office."""
    if principal.role is Role.MEMBER:
        chosen = [acting_member(principal, None, N_("open an entity"))]
        if holders and holders != chosen:
            raise Forbidden("holders", N_("a member opens entities for themselves only"))
    else:
        chosen = list(holders or [])
    if principal.role in (Role.ADVISER, Role.OFFICE_MANAGER):
        if principal.office_code is None:
            raise Forbidden("office", N_("you work for no office any more"))
        if office is not None and office != principal.office_code:
            raise Forbidden(
                "office", N_("you work for office {office}"), office=principal.office_code
            )
        office = principal.office_code
    if office is None:
        raise InvalidAct("office", N_("say in which office the entity opens"))
    return chosen, office


def entity_scope(principal: Principal) -> ColumnElement[bool]:
    """The condition on :class:`Entity` rows whose figures and acts the login reaches."""
    if principal.role is Role.MEMBER:
        return Entity.id.in_(
            select(EntityHolder.entity_id).where(EntityHolder.member_id == principal.member_id)
        )
    if principal.role in (Role.ADVISER, Role.OFFICE_MANAGER):
        if principal.office_id is None:
            return false()
        return Entity.office_id == principal.office_id
    if principal.role is Role.ADMINISTRATOR:
        return true()
    return false()


def listing_scope(principal: Principal) -> ColumnElement[bool]:
    """Entities a login may list: its reach, and for the ethics committee every entity
    (names and kinds only: it reviews activities, not accounts)."""
    require(
        principal,
        Role.MEMBER,
        Role.ADVISER,
        Role.OFFICE_MANAGER,
        Role.ADMINISTRATOR,
        Role.ETHICS_COMMITTEE,
        what=N_("list entities"),
    )
    return true() if principal.role is Role.ETHICS_COMMITTEE else entity_scope(principal)


def reachable_entity(session: Session, principal: Principal, code: str) -> Entity:
    """The entity, if the login reaches it; "not found" otherwise (see the module)."""
    require(
        principal,
        Role.MEMBER,
        Role.ADVISER,
        Role.OFFICE_MANAGER,
        Role.ADMINISTRATOR,
        what=N_("open an entity's accounts"),
    )
    entity = session.scalars(
        select(Entity).where(Entity.code == code, entity_scope(principal))
    ).one_or_none()
    if entity is None:
        raise NotFound("entity", N_("no such entity among those you may see"), value=repr(code))
    return entity


def reachable_office(session: Session, principal: Principal, code: str) -> Office:
    """An office whose view the login may open: its own, or any for administrators."""
    require(
        principal,
        Role.ADVISER,
        Role.OFFICE_MANAGER,
        Role.ADMINISTRATOR,
        what=N_("open an office's view"),
    )
    office = session.scalars(select(Office).where(Office.code == code)).one_or_none()
    if office is None:
        raise NotFound("office", N_("no such office"), value=repr(code))
    if principal.role is not Role.ADMINISTRATOR and office.id != principal.office_id:
        raise Forbidden(
            "office",
            N_("a login of office {own} may not open office {code}"),
            own=principal.office_code,
            code=code,
        )
    return office


def reachable_member(session: Session, principal: Principal, number: int) -> Member:
    """A member whose follow-up record the login reaches: office staff, a member holding
    an entity of their office; administrators, any; a member, themselves only (and only
    the items shown to them: the caller filters). "Not found" otherwise, as for
    entities; the ethics committee and the franchisor are refused (403)."""
    require(
        principal,
        Role.MEMBER,
        Role.ADVISER,
        Role.OFFICE_MANAGER,
        Role.ADMINISTRATOR,
        what="read a member's follow-up record",
    )
    query = select(Member).where(Member.number == number)
    if principal.role is Role.MEMBER:
        query = query.where(Member.id == principal.member_id)
    elif principal.role in (Role.ADVISER, Role.OFFICE_MANAGER):
        query = query.where(
            Member.id.in_(
                select(EntityHolder.member_id)
                .join(Entity, Entity.id == EntityHolder.entity_id)
                .where(entity_scope(principal))
            )
        )
    member = session.scalars(query).one_or_none()
    if member is None:
        raise NotFound("member", N_("no such member among those you follow"), value=str(number))
    return member


def reachable_workshop(session: Session, principal: Principal, code: str) -> Workshop:
    """A workshop the login reaches: office staff, their office's; administrators, any;
    a member, those they registered for. "Not found" otherwise."""
    require(
        principal,
        Role.MEMBER,
        Role.ADVISER,
        Role.OFFICE_MANAGER,
        Role.ADMINISTRATOR,
        what="read workshops",
    )
    query = select(Workshop).where(Workshop.code == code)
    if principal.role is Role.MEMBER:
        query = query.where(
            Workshop.id.in_(
                select(WorkshopSeat.workshop_id).where(
                    WorkshopSeat.member_id == principal.member_id
                )
            )
        )
    elif principal.role in (Role.ADVISER, Role.OFFICE_MANAGER):
        query = query.where(Workshop.office_id == (principal.office_id or -1))
    workshop = session.scalars(query).one_or_none()
    if workshop is None:
        raise NotFound("workshop", N_("no such workshop among those you may see"), value=repr(code))
    return workshop


def follow_up_office(principal: Principal, given: str | None) -> str | None:
    """The office on whose behalf staff write in a follow-up record or plan a workshop:
    their own for office staff (naming another is refused), the one named (or none)
    for administrators."""
    require_staff(principal, "write in a member's follow-up record")
    if principal.role is Role.ADMINISTRATOR:
        return given
    if principal.office_code is None:
        raise Forbidden("office", N_("you work for no office any more"))
    if given is not None and given != principal.office_code:
        raise Forbidden("office", N_("you work for office {office}"), office=principal.office_code)
    return principal.office_code


#: The roles that do the cooperative's own work: office staff and administrators.
STAFF = (Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


def require_staff(principal: Principal, what: str) -> None:
    """Refuse (403) unless the login is office staff or an administrator."""
    require(principal, *STAFF, what=what)


def hired_member(principal: Principal, given: int | None) -> int:
    """The worker a hire is for. A member's login hires only its own member: naming
    another is refused (403), since hiring someone needs their consent — the contract
    is offered to them instead, and they accept it from their own login. Staff name
    the member, and a hire they enter is theirs to vouch for."""
    if principal.role is Role.MEMBER:
        if given is not None and given != principal.member_number:
            raise Forbidden(
                "member",
                N_(
                    "a member hires only themselves; offer the contract to member {given}, "
                    "who accepts it from their own login"
                ),
                given=given,
            )
        assert principal.member_number is not None
        return principal.member_number
    if given is None:
        raise InvalidAct("member", N_("say which member to hire"))
    return given


def answering_offer(principal: Principal, worker: int) -> bool:
    """Whether a login answers a contract offer made to member ``worker`` on the
    worker's behalf: the worker's own login answers for themselves (``False``); office
    staff and administrators may answer for them (``True``, recorded so; the caller
    checks the offering entity is in their reach); anyone else is refused (403)."""
    if principal.role is Role.MEMBER and principal.member_number == worker:
        return False
    if principal.is_staff:
        return True
    raise Forbidden(
        "offer",
        N_("only member {worker}, from their own login, or office staff may answer it"),
        worker=worker,
    )


def staff_principal(session: Session, username: str) -> Principal:
    """The enabled staff login ``username``, for a command that acts in its name (the
    audit log and the four-eyes rule know who acted); refused when it is no such
    login, disabled, or not staff."""
    user = session.scalars(
        select(WebUser).where(WebUser.username == username.strip().lower())
    ).one_or_none()
    if user is None or user.disabled_at is not None:
        raise NotFound("login", N_("no such enabled login"), value=repr(username))
    principal = principal_of(session, user)
    require_staff(principal, N_("do the cooperative's own work"))
    return principal
