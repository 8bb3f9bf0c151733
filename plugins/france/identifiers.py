"""Validating French identifiers and IBANs, naming the check that failed.

python-stdnum checks VAT numbers (``stdnum.fr.tva``, other member states through
``stdnum.eu.vat``), SIREN and SIRET (``stdnum.fr.siren``/``siret``) and the NIR (numéro
de sécurité sociale, ``stdnum.fr.nir``); schwifty checks IBANs. Their exceptions are
mapped to plain words so that a member typing a number learns what to fix. Each check
imports the library it uses, so that registering the plugin loads neither.
"""

from __future__ import annotations

import re

from partage.core.contract import IdentifierCheck, IdentifierKind, check_iban, stdnum_failure

_SEPARATORS = re.compile(r"[\s.\-/]")


def _vat(value: str) -> IdentifierCheck:
    from stdnum import exceptions as stdnum_errors
    from stdnum.eu import vat as eu_vat
    from stdnum.fr import tva

    compact = _SEPARATORS.sub("", value).upper()
    if len(compact) < 3 or not compact[:2].isalpha():
        return IdentifierCheck(
            False, failed_check="country: a VAT number starts with its country code"
        )
    if compact[:2] == "FR":
        try:
            return IdentifierCheck(True, "FR" + tva.validate(compact))
        except stdnum_errors.ValidationError as error:
            return stdnum_failure(
                error,
                name="French VAT number",
                length="FR followed by 11 characters",
                form="FR, a 2-character key and a 9-digit SIREN",
                component="the key or SIREN part is invalid",
            )
    if compact[:2].lower() not in eu_vat.MEMBER_STATES and compact[:2] != "EL":
        return IdentifierCheck(
            False, failed_check=f"country: {compact[:2]} is not a member state of the EU"
        )
    try:
        return IdentifierCheck(True, eu_vat.validate(compact).upper())
    except stdnum_errors.ValidationError as error:
        return stdnum_failure(
            error,
            name=f"{compact[:2]} VAT number",
            length="the length of that country's numbers",
            form="that country's VAT number format",
            component="a part of the number is invalid",
        )


def _company(value: str) -> IdentifierCheck:
    """SIREN (9 digits, the company) or SIRET (14 digits, one establishment)."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.fr import siren, siret

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
        return stdnum_failure(
            error,
            name=name,
            length=f"{len(compact)} digits",
            form="digits only",
            component="invalid SIREN part",
        )


def _person(value: str) -> IdentifierCheck:
    """The NIR: 13 digits and a 2-digit key (Corsica's 2A/2B department allowed)."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.fr import nir

    try:
        return IdentifierCheck(True, nir.validate(_SEPARATORS.sub("", value).upper()))
    except stdnum_errors.ValidationError as error:
        return stdnum_failure(
            error,
            name="NIR",
            length="15 characters (13 digits and a 2-digit key)",
            form="digits (2A/2B for Corsica)",
            component="the sex, month or department part is invalid",
        )


_VALIDATORS = {
    IdentifierKind.VAT: _vat,
    IdentifierKind.COMPANY: _company,
    IdentifierKind.PERSON: _person,
    IdentifierKind.IBAN: check_iban,
}


def validate(kind: IdentifierKind, value: str) -> IdentifierCheck:
    """Check ``value`` as an identifier of ``kind``; the failed check starts with its name
    (``length``, ``format``, ``checksum``, ``component`` or ``country``)."""
    if not value or not value.strip():
        return IdentifierCheck(False, failed_check="format: the value is empty")
    return _VALIDATORS[IdentifierKind(kind)](value)
