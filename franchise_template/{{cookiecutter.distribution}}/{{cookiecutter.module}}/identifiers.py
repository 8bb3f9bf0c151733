"""Identifiers: VAT, company and personal numbers, and IBANs.

IBANs of any country are checked by schwifty. The three national numbers get a first,
generic check of their shape (length and characters, the VAT number's country prefix);
replace each with the national algorithm as soon as it is known: python-stdnum has
validators for many countries (``stdnum.<country code>``), and ``stdnum_failure`` of
:mod:`partage.core.contract` puts their refusals into words. Each refusal names
the check that failed first (``country``, ``length``, ``format``, ``checksum``).
"""

from __future__ import annotations

import re

from partage.core.contract import IdentifierCheck, IdentifierKind, check_iban

from {{ cookiecutter.module }}.identity import CODE

#: The VAT number's prefix: the ISO code, but EL for Greece (Directive 2006/112/EC, art. 215).
VAT_PREFIX = {"GR": "EL"}.get(CODE.upper(), CODE.upper())
SEPARATORS = re.compile(r"[\s.\-/]")
ALPHANUMERIC = re.compile(r"^[A-Z0-9]+$")
#: Shape of each national number: (name, shortest, longest) after the separators go.
SHAPES = {
    IdentifierKind.VAT: ("VAT number", 8, 12),
    IdentifierKind.COMPANY: ("company number", 6, 20),
    IdentifierKind.PERSON: ("personal number", 6, 20),
}


def _national(kind: IdentifierKind, compact: str) -> IdentifierCheck:
    name, shortest, longest = SHAPES[kind]
    if not shortest <= len(compact) <= longest:
        return IdentifierCheck(
            False, failed_check=f"length: a {name} has {shortest} to {longest} characters"
        )
    if not ALPHANUMERIC.match(compact) or not any(c.isdigit() for c in compact):
        return IdentifierCheck(
            False, failed_check=f"format: a {name} has letters and digits only, some digits"
        )
    return IdentifierCheck(True, normalized=compact)


def validate(kind: IdentifierKind, value: str) -> IdentifierCheck:
    """Check ``value`` as an identifier of ``kind``; say which check failed when invalid."""
    if not value or not value.strip():
        return IdentifierCheck(False, failed_check="format: the value is empty")
    kind = IdentifierKind(kind)
    if kind is IdentifierKind.IBAN:
        return check_iban(value)
    compact = SEPARATORS.sub("", value).upper()
    if kind is not IdentifierKind.VAT:
        return _national(kind, compact)
    if not compact.startswith(VAT_PREFIX):
        return IdentifierCheck(
            False, failed_check=f"country: a VAT number of this country starts with {VAT_PREFIX}"
        )
    check = _national(kind, compact[len(VAT_PREFIX) :])
    return IdentifierCheck(True, normalized=compact) if check.valid else check
