"""Which clients and suppliers a login may see and name in an act.

Parties are shared by every entity of the instance, but what an entity knows of its
clients is its own business: a private person who hired one member is nobody else's
to see. So a member reaches:

- the parties they registered themselves (:attr:`Party.registered_by_member_id`);
- the parties their entities dealt with through a validated act: an invoice or credit
  note issued, a supplier invoice booked, a subsidy or sponsorship received. A quote is
  not such an act — anyone may send one to any code — so a quote alone never makes a
  party appear;
- a business (a party with a VAT number: public data in the VAT and company
  registers) when they look it up by its exact VAT or company number, and in acts that
  name its code.

A private person (a party without a VAT number) of another entity is never listed,
never found by a lookup, and naming its code in an act answers exactly what a code
that does not exist answers ("no such party"), so that trying codes reveals nothing —
not even that the code is taken.

Office staff and administrators reach every party: they do the cooperative's own work
(payments, reminders, the guarantee fund) for every entity of the instance. The
ethics committee reaches none: it reviews applications and activities, not clients.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, CompoundSelect, false, or_, select, true
from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import Principal, entity_scope, require
from partage.core.acts.cooperative import NotFound
from partage.core.contract.errors import N_
from partage.core.members.models import Entity, Party
from partage.core.sales.models import Invoice
from partage.core.spending.models import OtherIncome, Purchase

#: The roles that may list or look up parties at all.
PARTY_READERS = (Role.MEMBER, Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR)


def dealt_with(principal: Principal) -> CompoundSelect:
    """Ids of the parties the login's entities dealt with through a validated act."""
    mine = select(Entity.id).where(entity_scope(principal))
    return (
        select(Invoice.party_id)
        .where(Invoice.entity_id.in_(mine))
        .union(
            select(Purchase.party_id).where(Purchase.entity_id.in_(mine)),
            select(OtherIncome.party_id).where(OtherIncome.entity_id.in_(mine)),
        )
    )


def party_scope(principal: Principal) -> ColumnElement[bool]:
    """The condition on :class:`Party` rows a login sees in its list of parties."""
    if principal.role is Role.MEMBER:
        return or_(
            Party.registered_by_member_id == principal.member_id,
            Party.id.in_(dealt_with(principal)),
        )
    if principal.is_staff:
        return true()
    return false()


def is_business(party: Party) -> bool:
    """Whether a party is a business, whose name and VAT or company number are public."""
    return party.vat_number is not None or party.company_number is not None


def reachable_party(session: Session, principal: Principal, code: str) -> Party:
    """The party a login names in an act (a quote, an invoice, a payment): one in its
    scope or a business; "no such party" otherwise, the very answer to a code that
    does not exist."""
    require(principal, *PARTY_READERS, what=N_("name a client or supplier"))
    party = session.scalars(select(Party).where(Party.code == code)).one_or_none()
    if party is None or not (
        is_business(party)
        or session.scalar(select(Party.id).where(Party.id == party.id, party_scope(principal)))
    ):
        raise NotFound("party", N_("no such party"), value=repr(code))
    return party


def public_lookup(
    vat_number: str | None, company_number: str | None, country: str
) -> ColumnElement[bool]:
    """The condition on businesses matching an exact VAT number (normalised) or a
    domestic company number (as the instance's country plugin normalised it): a
    domestic VAT number ends with it, as BE0123456789 ends with 0123456789 and
    FR44123456789 with the SIREN 123456789; ``country`` is the instance's."""
    condition: ColumnElement[bool] = false()
    if vat_number:
        condition = condition | (Party.vat_number == "".join(vat_number.split()).upper())
    if company_number:
        condition = condition | (
            (Party.country == country.upper())
            & Party.vat_number.endswith(company_number, autoescape=True)
        )
    return Party.vat_number.is_not(None) & condition
