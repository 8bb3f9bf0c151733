"""Identifier checks in plain words: IBANs (schwifty) and the failure of a python-stdnum
check, each naming the check that failed first.

Both libraries are imported by the checks that use them, so that a plugin importing these
helpers loads neither until it checks a number.
"""

from __future__ import annotations

from partage.core.contract.identity import IdentifierCheck

#: Each schwifty exception (by name, in ``schwifty.exceptions``) in words.
_IBAN_CHECKS: tuple[tuple[str, str], ...] = (
    ("InvalidCountryCode", "country: the IBAN starts with an unknown country code"),
    ("InvalidLength", "length: the IBAN does not have its country's length"),
    ("InvalidStructure", "format: the IBAN's account part has the wrong structure"),
    ("InvalidChecksumDigits", "checksum: the IBAN's two check digits do not match"),
    ("InvalidBBANChecksum", "checksum: the national account check digits do not match"),
    ("InvalidBankCode", "component: no bank has this bank code"),
    ("InvalidBranchCode", "component: the branch code is not valid"),
    ("InvalidAccountCode", "component: the account number is not valid"),
)


def check_iban(value: str) -> IdentifierCheck:
    """An IBAN of any country, with its national account check where one exists
    (schwifty); the failure names the check first (``country``, ``length``, ``format``,
    ``checksum``, ``component``)."""
    from schwifty import IBAN
    from schwifty import exceptions as iban_errors

    if not value or not value.strip():
        return IdentifierCheck(False, failed_check="format: the value is empty")
    try:
        return IdentifierCheck(True, normalized=IBAN(value, validate_bban=True).compact)
    except iban_errors.SchwiftyException as error:
        for error_type, message in _IBAN_CHECKS:
            if isinstance(error, getattr(iban_errors, error_type)):
                return IdentifierCheck(False, failed_check=message)
        return IdentifierCheck(False, failed_check=f"format: {error}")


#: Each python-stdnum exception (by name, in ``stdnum.exceptions``) in words.
_STDNUM_CHECKS: tuple[tuple[str, str], ...] = (
    ("InvalidLength", "length: {name} must have {length}"),
    ("InvalidFormat", "format: {name} must be {form}"),
    ("InvalidChecksum", "checksum: the check digits of the {name} do not match"),
    ("InvalidComponent", "component: {component}"),
)


def stdnum_failure(
    error: Exception, *, name: str, length: str, form: str, component: str
) -> IdentifierCheck:
    """A failed python-stdnum check in words, naming the check first.

    :param error: what stdnum raised.
    :param name: the identifier (``"national number"``).
    :param length: its length, for a length failure (``"11 digits"``).
    :param form: its shape, for a format failure (``"BE followed by 10 digits"``).
    :param component: what a component failure means (``"the birth date is invalid"``).
    """
    from stdnum import exceptions as stdnum_errors

    for error_type, message in _STDNUM_CHECKS:
        if isinstance(error, getattr(stdnum_errors, error_type)):
            words = message.format(name=name, length=length, form=form, component=component)
            return IdentifierCheck(False, failed_check=words)
    return IdentifierCheck(False, failed_check=f"format: not a valid {name}")
