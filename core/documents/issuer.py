"""The cooperative as the issuer of documents: the facts the law makes every invoice
print about the seller, and the account clients pay into.

They are the instance's facts, not the country's: the country plugin says *which*
mentions an invoice needs (its brand's ``invoice_legal_mentions``, with ``{fact}``
placeholders), the issuer says what they read for this cooperative. An instance's
configuration gives them as an ``[instance.issuer]`` table (see :func:`issuer_from`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from partage.core.acts import InvalidAct
from partage.core.documents.model import Address

REQUIRED = ("legal_name", "vat_number", "company_id", "iban", "street", "postcode", "city")


@dataclass(frozen=True)
class Issuer:
    """Who issues the instance's documents.

    Attributes:
        legal_name: the cooperative's registered name.
        address: its registered seat.
        vat_number: its VAT number, with the country prefix.
        company_id: its registration number (Belgian enterprise number, French SIREN).
        iban: the account clients pay into; bic: its bank's BIC.
        register: the register and court it is recorded at (``"RPM Bruxelles"``,
            ``"RCS Paris"``).
        email: where clients write about invoices.
        social_security_id: its employer number at social security (Belgian ONSS
            number, French SIRET of the establishment).
        facts: further ``(name, value)`` pairs the country's mentions name
            (``siret``, ``capital_minimum``...).
    """

    legal_name: str
    address: Address
    vat_number: str
    company_id: str
    iban: str
    bic: str | None = None
    register: str = ""
    email: str = ""
    social_security_id: str = ""
    facts: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def mention_facts(self) -> dict[str, str]:
        """Every fact a legal mention may name, by its placeholder."""
        return {
            "legal_name": self.legal_name,
            "address": self.address.one_line(),
            "vat_number": self.vat_number,
            "company_id": self.company_id,
            "register": self.register,
            "iban": self.iban,
            "bic": self.bic or "",
            "email": self.email,
            **dict(self.facts),
        }


def issuer_from(table: Mapping[str, Any], country: str) -> Issuer:
    """An issuer from a configuration table (``[instance.issuer]``): the required keys
    are those of :data:`REQUIRED`; any other string key becomes a fact."""
    missing = [key for key in REQUIRED if not str(table.get(key, "")).strip()]
    if missing:
        raise InvalidAct(f"issuer: {', '.join(missing)} must be given")
    known = {*REQUIRED, "bic", "register", "email", "social_security_id"}
    return Issuer(
        legal_name=str(table["legal_name"]),
        address=Address(
            str(table["street"]), str(table["city"]), str(table["postcode"]), country.upper()
        ),
        vat_number=str(table["vat_number"]),
        company_id=str(table["company_id"]),
        iban="".join(str(table["iban"]).split()).upper(),
        bic=str(table["bic"]) if table.get("bic") else None,
        register=str(table.get("register", "")),
        email=str(table.get("email", "")),
        social_security_id=str(table.get("social_security_id", "")),
        facts=tuple(sorted((k, str(v)) for k, v in table.items() if k not in known)),
    )
