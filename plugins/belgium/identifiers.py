"""Belgian identifiers: VAT and enterprise numbers, national numbers, IBANs.

python-stdnum and schwifty do the checking; this module only says, in plain words,
which check failed, so that a member typing a number learns what to fix.

- VAT number and enterprise number (BCE/KBO) are the same ten digits (``0`` or ``1``
  then nine digits, the last two a modulo-97 check): ``stdnum.be.vat``. The VAT form is
  normalised with its ``BE`` prefix, the enterprise number in its ``0403.019.261`` form.
- A person is identified by a national register number or, without one, a BIS number
  (``stdnum.be.nn`` / ``stdnum.be.bis``): eleven digits, birth date and modulo-97 check.
- An IBAN of any country (schwifty), with the national BBAN check where one exists.
"""

from __future__ import annotations

from schwifty import IBAN
from schwifty import exceptions as iban_errors
from stdnum import exceptions as stdnum_errors
from stdnum.be import bis, nn, vat

from partage.core.contract import IdentifierCheck, IdentifierKind

_STDNUM_CHECKS: tuple[tuple[type[Exception], str], ...] = (
    (stdnum_errors.InvalidLength, "length: {what} must have {length}"),
    (stdnum_errors.InvalidFormat, "format: {what} must be {fmt}"),
    (stdnum_errors.InvalidChecksum, "checksum: the check digits of the {what} do not match"),
    (stdnum_errors.InvalidComponent, "component: a part of the {what} is not valid (date, prefix)"),
)

_IBAN_CHECKS: tuple[tuple[type[Exception], str], ...] = (
    (iban_errors.InvalidCountryCode, "country: the IBAN starts with an unknown country code"),
    (iban_errors.InvalidLength, "length: the IBAN does not have its country's length"),
    (iban_errors.InvalidStructure, "format: the IBAN's account part has the wrong structure"),
    (iban_errors.InvalidChecksumDigits, "checksum: the IBAN's two check digits do not match"),
    (iban_errors.InvalidBBANChecksum, "checksum: the national account check digits do not match"),
    (iban_errors.InvalidBankCode, "bank code: no bank has this code"),
    (iban_errors.InvalidAccountCode, "account: the account number is not valid"),
    (iban_errors.InvalidBranchCode, "branch code: the branch code is not valid"),
)

_WHAT = {
    IdentifierKind.VAT: ("VAT number", "10 digits after BE", "BE followed by 10 digits"),
    IdentifierKind.COMPANY: ("enterprise number", "10 digits", "10 digits starting with 0 or 1"),
    IdentifierKind.PERSON: ("national number", "11 digits", "11 digits (YY.MM.DD-XXX.CC)"),
}


def _stdnum_failure(kind: IdentifierKind, error: Exception) -> IdentifierCheck:
    what, length, fmt = _WHAT[kind]
    for error_type, message in _STDNUM_CHECKS:
        if isinstance(error, error_type):
            return IdentifierCheck(
                False, failed_check=message.format(what=what, length=length, fmt=fmt)
            )
    return IdentifierCheck(False, failed_check=f"format: not a valid {what}")


def _enterprise(value: str) -> str:
    digits = vat.validate(value)
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def _person(value: str) -> str:
    try:
        return nn.validate(value)
    except stdnum_errors.ValidationError as national:
        try:
            return bis.validate(value)
        except stdnum_errors.ValidationError:
            raise national from None


def _iban(value: str) -> IdentifierCheck:
    try:
        account = IBAN(value, validate_bban=True)
    except iban_errors.SchwiftyException as error:
        for error_type, message in _IBAN_CHECKS:
            if isinstance(error, error_type):
                return IdentifierCheck(False, failed_check=message)
        return IdentifierCheck(False, failed_check=f"format: {error}")
    return IdentifierCheck(True, normalized=account.compact)


def validate_identifier(kind: IdentifierKind, value: str) -> IdentifierCheck:
    """Check ``value`` as an identifier of ``kind``; say which check failed when invalid."""
    if not value or not value.strip():
        return IdentifierCheck(False, failed_check="format: the value is empty")
    if kind is IdentifierKind.IBAN:
        return _iban(value)
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
