"""The client directory: businesses and private persons the entities invoice, recorded
once for the whole cooperative and listed per entity.

A business client is known by its VAT number or, where it has none, its domestic
company number (the Belgian enterprise number, the French SIREN or SIRET), each checked
with python-stdnum for its country's format and check digits before anything is
recorded. A number the cooperative already knows names the row it has: the directory
never holds one business twice (``party.vat_number`` is unique). A private person has a
name, an address and an e-mail, and no number.

An invoice needs the client's postal address: :func:`invoicing_address` refuses a
client with none, naming the field to fill. Rows registered before the structured
address (street, postcode, town) keep their one-text ``address``, which still counts.

Which rows a login may see is :mod:`partage.core.access.clients`'s business; this
module records and checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel import Locale
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from stdnum import get_cc_module
from stdnum.be import vat as be_vat
from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError
from stdnum.fr import siren, siret

from partage.core.acts.cooperative import Cooperative, InvalidAct, next_number, reference
from partage.core.contract.errors import N_
from partage.core.members.checks import email_address, required
from partage.core.members.models import Entity, EntityClient, Party, PartyKind
from partage.core.platform import audit

#: The EU member states, then the countries the cooperatives' clients most often come
#: from; a client of another country is recorded by the office.
EU_COUNTRIES = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip
OTHER_COUNTRIES = (
    "AD", "AU", "BR", "CA", "CD", "CH", "CI", "CM", "CN", "DZ", "GB", "IL", "IN", "IS",
    "JP", "LI", "MA", "MC", "NO", "SN", "TN", "TR", "UA", "US",
)  # fmt: skip
COUNTRIES = EU_COUNTRIES + OTHER_COUNTRIES


def countries(home: str) -> tuple[str, ...]:
    """The codes a client's country may take: the list, and the instance's own."""
    home = home.upper()
    return COUNTRIES if home in COUNTRIES else (home, *COUNTRIES)


def country_names(language: str, home: str) -> list[tuple[str, str]]:
    """The countries a client may be of, as ``(code, name)`` in ``language`` (CLDR's
    names through babel), the instance's own first, then sorted by name."""
    try:
        names = Locale.parse(language).territories
    except (ValueError, TypeError):
        names = Locale.parse("en").territories
    home = home.upper()
    others = sorted(
        ((c, names.get(c, c)) for c in countries(home) if c != home), key=lambda pair: pair[1]
    )
    return [(home, names.get(home, home)), *others]


def checked_country(value: str, home: str, field: str = "country") -> str:
    """The country code upper-cased; refuses ``XX`` or any code not in the list."""
    code = (value or "").strip().upper()
    if code not in countries(home):
        raise InvalidAct(field, N_("{country} is not a country of the list"), country=repr(value))
    return code


# --- numbers ----------------------------------------------------------------------------
def _refusal(field: str, given: str, exc: ValidationError) -> InvalidAct:
    if isinstance(exc, InvalidChecksum):
        return InvalidAct(field, N_("{given}: its check digits do not match"), given=repr(given))
    if isinstance(exc, InvalidLength):
        return InvalidAct(field, N_("{given} has the wrong number of digits"), given=repr(given))
    return InvalidAct(field, N_("{given} is not in this country's format"), given=repr(given))


def checked_vat_number(country: str, value: str) -> str:
    """A VAT number checked for its country's format and check digits, compact with
    its country prefix (``BE0403170701``; Greece's is ``EL``)."""
    compact = "".join(ch for ch in value if ch.isalnum()).upper()
    prefix = "EL" if country == "GR" else country
    if country in EU_COUNTRIES:
        module = get_cc_module("eu", "vat")
        number = compact if compact[:2] == prefix else prefix + compact
    else:
        module = get_cc_module(country.lower(), "vat")
        number = compact
    if module is None:
        if not 4 <= len(compact) <= 20:
            raise InvalidAct(
                "vat_number", N_("{given} has the wrong number of digits"), given=repr(value)
            )
        return compact
    try:
        return str(module.validate(number))
    except ValidationError as exc:
        raise _refusal("vat_number", value, exc) from None


def checked_company_number(country: str, value: str) -> str:
    """A domestic company number: Belgium's enterprise number (10 digits), France's
    SIREN (9) or SIRET (14), checked with their check digits; another country's is kept
    compact."""
    compact = "".join(ch for ch in value if ch.isalnum()).upper()
    try:
        if country == "BE":
            return str(be_vat.validate(compact))
        if country == "FR":
            return str((siret if len(compact) == 14 else siren).validate(compact))
    except ValidationError as exc:
        raise _refusal("company_number", value, exc) from None
    if not 4 <= len(compact) <= 20:
        raise InvalidAct(
            "company_number", N_("{given} has the wrong number of digits"), given=repr(value)
        )
    return compact


def company_of_vat(country: str, vat_number: str) -> str | None:
    """The domestic company number a VAT number carries, where it carries one: a
    Belgian VAT number is the enterprise number, a French one ends with the SIREN."""
    if country == "BE":
        return vat_number[2:]
    if country == "FR":
        return vat_number[-9:]
    return None


@dataclass(frozen=True)
class ClientNumber:
    """A business's numbers as checked: at least one of them is set."""

    vat_number: str | None
    company_number: str | None


def checked_number(country: str, number: str) -> ClientNumber:
    """A number typed in one box, told apart: a VAT number when it starts with its
    country's prefix (or is a Belgian 10-digit number, which is both), else a company
    number."""
    compact = "".join(ch for ch in number if ch.isalnum()).upper()
    if not compact:
        raise InvalidAct("number", N_("is required"))
    prefix = "EL" if country == "GR" else country
    if compact.startswith(prefix) or (country not in ("FR",) and country in EU_COUNTRIES):
        vat = checked_vat_number(country, compact)
        return ClientNumber(vat, company_of_vat(country, vat))
    return ClientNumber(None, checked_company_number(country, compact))


def known_business(session: Session, numbers: ClientNumber) -> Party | None:
    """The row the cooperative already has for these numbers, if any."""
    conditions = []
    if numbers.vat_number:
        conditions.append(Party.vat_number == numbers.vat_number)
    if numbers.company_number:
        conditions.append(Party.company_number == numbers.company_number)
        conditions.append(Party.vat_number.endswith(numbers.company_number, autoescape=True))
    if not conditions:
        return None
    return session.scalars(select(Party).where(or_(*conditions)).order_by(Party.id)).first()


# --- recording --------------------------------------------------------------------------
@dataclass(frozen=True)
class ClientDetails:
    """What a form gives of a client.

    Attributes:
        name: the registered name, or the person's full name.
        country: ISO 3166 alpha-2 code from :data:`COUNTRIES`.
        street, postcode, town: the postal address.
        email: where invoices go (optional for a business).
        vat_number, company_number: a business's numbers (as typed; checked here).
    """

    name: str
    country: str
    street: str = ""
    postcode: str = ""
    town: str = ""
    email: str = ""
    vat_number: str = ""
    company_number: str = ""


def _address(details: ClientDetails) -> tuple[str, str, str]:
    return (
        required(details.street, "street")[:200],
        required(details.postcode, "postcode")[:16],
        required(details.town, "town")[:100],
    )


def create_client(
    session: Session,
    coop: Cooperative,
    details: ClientDetails,
    *,
    business: bool,
    actor: str,
    member_id: int | None = None,
    entity: Entity | None = None,
) -> tuple[Party, bool]:
    """Record a business or a private person, or find the business already recorded
    under the same number; put it in ``entity``'s directory. Returns the row and
    whether it was created. The address is required; a business needs a VAT or
    company number, a private person has none."""
    country = checked_country(details.country, coop.instance.country_plugin)
    name = required(details.name, "name")[:200]
    vat = company = None
    if business:
        if details.vat_number.strip():
            vat = checked_vat_number(country, details.vat_number)
            company = company_of_vat(country, vat)
        if details.company_number.strip():
            company = checked_company_number(country, details.company_number)
        if vat is None and company is None:
            raise InvalidAct("vat_number", N_("a business needs its VAT or company number"))
        known = known_business(session, ClientNumber(vat, company))
        if known is not None:
            if entity is not None:
                add_to_directory(session, entity, known)
            return known, False
    street, postcode, town = _address(details)
    email = email_address(details.email) if details.email.strip() else ""
    party = Party(
        code=reference("C", next_number(session, "party", 0)),
        name=name,
        kind=PartyKind.CLIENT,
        country=country,
        vat_number=vat,
        company_number=company if vat is None else None,
        street=street,
        postcode=postcode,
        town=town,
        address=f"{street}\n{postcode} {town}",
        email=email,
        registered_by_member_id=member_id,
    )
    session.add(party)
    session.flush()
    if entity is not None:
        add_to_directory(session, entity, party)
    audit.record(
        session,
        actor=actor,
        action="client.create",
        subject=f"party:{party.code}",
        data={
            "name": party.name,
            "business": business,
            "vat": vat,
            "company_number": party.company_number,
            "entity": entity.code if entity is not None else None,
        },
    )
    return party, True


def update_client(
    session: Session, party: Party, details: ClientDetails, *, actor: str, reason: str = ""
) -> Party:
    """Change a client's name, address and e-mail; its country and numbers stay, as
    the documents already issued to it say them."""
    name = required(details.name, "name")[:200]
    street, postcode, town = _address(details)
    email = email_address(details.email) if details.email.strip() else ""
    before = {
        "name": party.name,
        "street": party.street,
        "postcode": party.postcode,
        "town": party.town,
        "email": party.email,
    }
    party.name, party.street, party.postcode, party.town, party.email = (
        name,
        street,
        postcode,
        town,
        email,
    )
    party.address = f"{street}\n{postcode} {town}"
    after = {k: getattr(party, k) for k in before}
    audit.record(
        session,
        actor=actor,
        action="client.update",
        subject=f"party:{party.code}",
        reason=reason,
        data={"changed": sorted(k for k in before if before[k] != after[k])},
    )
    return party


def add_to_directory(session: Session, entity: Entity, party: Party) -> None:
    """Put a client in an entity's directory (once)."""
    if session.get(EntityClient, (entity.id, party.id)) is None:
        session.add(EntityClient(entity_id=entity.id, party_id=party.id))
        session.flush()


def invoicing_address(party: Party) -> str:
    """The client's postal address as an invoice prints it; refuses a client with
    none, naming the field to fill (``street``, or ``address`` on older rows)."""
    if party.street.strip() and party.postcode.strip() and party.town.strip():
        return f"{party.street}\n{party.postcode} {party.town}"
    if party.address.strip():
        return party.address.strip()
    missing = next(
        (f for f in ("street", "postcode", "town") if not getattr(party, f).strip()), "street"
    )
    raise InvalidAct(
        missing,
        N_("the client {code} has no postal address: add it before invoicing"),
        code=party.code,
    )
