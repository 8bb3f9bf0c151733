"""Belgian identifiers: VAT and enterprise numbers, national numbers, IBANs.

python-stdnum and schwifty do the checking; this module only says, in plain words,
which check failed, so that a member typing a number learns what to fix. The checks
import the libraries they use, so that registering the plugin loads neither.

- VAT number and enterprise number (BCE/KBO) are the same ten digits (``0`` or ``1``
  then nine digits, the last two a modulo-97 check): ``stdnum.be.vat``. The VAT form is
  normalised with its ``BE`` prefix, the enterprise number in its ``0403.019.261`` form.
- A person is identified by a national register number or, without one, a BIS number
  (``stdnum.be.nn`` / ``stdnum.be.bis``): eleven digits, birth date and modulo-97 check.
- An IBAN of any country (schwifty), with the national BBAN check where one exists.
"""

from __future__ import annotations

from partage.core.contract import IdentifierCheck, IdentifierKind, check_iban, stdnum_failure

#: What a failed stdnum check says of each identifier: name, length, form, component.
_WHAT = {
    IdentifierKind.VAT: (
        "VAT number",
        "10 digits after BE",
        "BE followed by 10 digits",
        "the number must start with 0 or 1",
    ),
    IdentifierKind.COMPANY: (
        "enterprise number",
        "10 digits",
        "10 digits starting with 0 or 1",
        "the number must start with 0 or 1",
    ),
    IdentifierKind.PERSON: (
        "national number",
        "11 digits",
        "11 digits (YY.MM.DD-XXX.CC)",
        "the birth date or the sequence part is not valid",
    ),
}


def _stdnum_failure(kind: IdentifierKind, error: Exception) -> IdentifierCheck:
    name, length, form, component = _WHAT[kind]
    return stdnum_failure(error, name=name, length=length, form=form, component=component)


def _enterprise(value: str) -> str:
    from stdnum.be import vat

    digits = vat.validate(value)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _person(value: str) -> str:
    from stdnum import exceptions as stdnum_errors
    from stdnum.be import bis, nn

    try:
        return nn.validate(value)
    except stdnum_errors.ValidationError as national:
        try:
            return bis.validate(value)
        except stdnum_errors.ValidationError:
            raise national from None


def validate_identifier(kind: IdentifierKind, value: str) -> IdentifierCheck:
    """Check ``value`` as an identifier of ``kind``; say which check failed when invalid."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.be import vat

    if not value or not value.strip():
        return IdentifierCheck(False, failed_check="format: the value is empty")
    if kind is IdentifierKind.IBAN:
        return check_iban(value)
    try:
        if kind is IdentifierKind.VAT:
            text = value.strip().upper()
            if text[:2].isalpha() and not text.startswith("BE"):
                return IdentifierCheck(
                    False, failed_check="country: a Belgian VAT number starts with BE"
                )
            return IdentifierCheck(True, normalized="BE" + vat.validate(text))
        if kind is IdentifierKind.COMPANY:
            return IdentifierCheck(True, normalized=_enterprise(value))
        return IdentifierCheck(True, normalized=_person(value))
    except stdnum_errors.ValidationError as error:
        return _stdnum_failure(kind, error)
