"""Validating French identifiers and IBANs, naming the check that failed.

python-stdnum checks VAT numbers (``stdnum.fr.tva``, other member states through
``stdnum.eu.vat``), SIREN and SIRET (``stdnum.fr.siren``/``siret``) and the NIR (numéro
de sécurité sociale, ``stdnum.fr.nir``); schwifty checks IBANs. Their exceptions are
mapped to plain words so that a member typing a number learns what to fix.
"""

from __future__ import annotations

import re

from schwifty import IBAN
from schwifty import exceptions as iban_errors
from stdnum import exceptions as stdnum_errors
from stdnum.eu import vat as eu_vat
from stdnum.fr import nir, siren, siret, tva

from partage.core.contract import IdentifierCheck, IdentifierKind

_SEPARATORS = re.compile(r"[\s.\-/]")

# stdnum's exception classes, most specific first, with what each means for a person.
_STDNUM_CHECKS: tuple[tuple[type[Exception], str], ...] = (
    (stdnum_errors.InvalidLength, "length"),
    (stdnum_errors.InvalidFormat, "format"),
    (stdnum_errors.InvalidChecksum, "checksum"),
    (stdnum_errors.InvalidComponent, "component"),
)

_IBAN_CHECKS: tuple[tuple[type[Exception], str], ...] = (
    (iban_errors.InvalidCountryCode, "country: {error}"),
    (iban_errors.InvalidLength, "length: the IBAN has the wrong number of characters"),
    (iban_errors.InvalidStructure, "format: {error}"),
    (iban_errors.InvalidChecksumDigits, "checksum: the IBAN check digits do not match"),
    (iban_errors.InvalidBBANChecksum, "checksum: the national (RIB key) check digits do not match"),
    (iban_errors.InvalidBankCode, "component: unknown bank code"),
    (iban_errors.InvalidBranchCode, "component: unknown branch code"),
    (iban_errors.InvalidAccountCode, "component: invalid account number"),
)

_WHAT = {
    "length": "length: {name} must have {length}",
    "format": "format: {name} must be {format}",
    "checksum": "checksum: the {name} check digits do not match",
    "component": "component: {component}",
}


def _stdnum_failure(error: Exception, name: str, length: str, form: str, component: str) -> str:
    for kind, word in _STDNUM_CHECKS:
        if isinstance(error, kind):
            return _WHAT[word].format(name=name, length=length, format=form, component=component)
    return f"format: not a valid {name}"


def _vat(value: str) -> IdentifierCheck:
    compact = _SEPARATORS.sub("", value).upper()
    if len(compact) < 3 or not compact[:2].isalpha():
        return IdentifierCheck(
            False, failed_check="country: a VAT number starts with its country code"
        )
    if compact[:2] == "FR":
        try:
            return IdentifierCheck(True, "FR" + tva.validate(compact))
        except stdnum_errors.ValidationError as error:
            return IdentifierCheck(
                False,
                failed_check=_stdnum_failure(
                    error,
                    "French VAT number",
                    "FR followed by 11 characters",
                    "FR, a 2-character key and a 9-digit SIREN",
                    "the key or SIREN part is invalid",
                ),
            )
    if compact[:2].lower() not in eu_vat.MEMBER_STATES and compact[:2] != "EL":
        return IdentifierCheck(
            False, failed_check=f"country: {compact[:2]} is not a member state of the EU"
        )
    try:
        return IdentifierCheck(True, eu_vat.validate(compact).upper())
    except stdnum_errors.ValidationError as error:
        return IdentifierCheck(
            False,
            failed_check=_stdnum_failure(
                error,
                f"{compact[:2]} VAT number",
                "the length of that country's numbers",
                "that country's VAT number format",
                "a part of the number is invalid",
            ),
        )


def _company(value: str) -> IdentifierCheck:
    """SIREN (9 digits, the company) or SIRET (14 digits, one establishment)."""
    compact = _SEPARATORS.sub("", value)
    if not compact.isdigit():
        return IdentifierCheck(False, failed_check="format: a SIREN or SIRET has digits only")
    if len(compact) not in (9, 14):
        return IdentifierCheck(
            False,
            failed_check=f"length: a SIREN has 9 digits and a SIRET 14 (got {len(compact)})",
        )
    module, name = (siren, "SIREN") if len(compact) == 9 else (siret, "SIRET")
    try:
        return IdentifierCheck(True, module.validate(compact))
    except stdnum_errors.ValidationError as error:
        return IdentifierCheck(
            False,
            failed_check=_stdnum_failure(
                error, name, f"{len(compact)} digits", "digits only", "invalid SIREN part"
            ),
        )


def _person(value: str) -> IdentifierCheck:
    """The NIR: 13 digits and a 2-digit key (Corsica's 2A/2B department allowed)."""
    try:
        return IdentifierCheck(True, nir.validate(_SEPARATORS.sub("", value).upper()))
    except stdnum_errors.ValidationError as error:
        return IdentifierCheck(
            False,
            failed_check=_stdnum_failure(
                error,
                "NIR",
                "15 characters (13 digits and a 2-digit key)",
                "digits (2A/2B for Corsica)",
                "the sex, month or department part is invalid",
            ),
        )


def _iban(value: str) -> IdentifierCheck:
    try:
        return IdentifierCheck(True, IBAN(value).compact)
    except iban_errors.SchwiftyException as error:
        for kind, words in _IBAN_CHECKS:
            if isinstance(error, kind):
                return IdentifierCheck(False, failed_check=words.format(error=error))
        return IdentifierCheck(False, failed_check=f"format: {error}")


_VALIDATORS = {
    IdentifierKind.VAT: _vat,
    IdentifierKind.COMPANY: _company,
    IdentifierKind.PERSON: _person,
    IdentifierKind.IBAN: _iban,
}


def validate(kind: IdentifierKind, value: str) -> IdentifierCheck:
    """Check ``value`` as an identifier of ``kind``; the failed check starts with its name
    (``length``, ``format``, ``checksum``, ``component`` or ``country``)."""
    if not value or not value.strip():
        return IdentifierCheck(False, failed_check="format: the value is empty")
    return _VALIDATORS[IdentifierKind(kind)](value)
