"""France: identifiers are validated and a failure names the check that failed."""

from __future__ import annotations

import pytest

from partage.core.contract.identity import IdentifierKind
from partage.core.platform.registry import PluginRegistry


@pytest.fixture(scope="module")
def validate():  # type: ignore[no-untyped-def]
    hook = PluginRegistry().manager("fr").hook
    return lambda kind, value: hook.partage_validate_identifier(kind=kind, value=value)


@pytest.mark.parametrize(
    ("kind", "value", "normalized"),
    [
        (IdentifierKind.VAT, "FR 40 303 265 045", "FR40303265045"),
        (IdentifierKind.VAT, "BE 0403.170.701", "BE0403170701"),
        (IdentifierKind.COMPANY, "732 829 320", "732829320"),
        (IdentifierKind.COMPANY, "732 829 320 00074", "73282932000074"),
        (IdentifierKind.PERSON, "2 95 10 99 126 111 93", "295109912611193"),
        (IdentifierKind.IBAN, "FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
    ],
)
def test_valid_identifiers_are_normalized(validate, kind, value, normalized) -> None:  # type: ignore[no-untyped-def]
    check = validate(kind, value)
    assert check.valid and check.normalized == normalized and check.failed_check is None


@pytest.mark.parametrize(
    ("kind", "value", "check"),
    [
        (IdentifierKind.VAT, "FR41303265045", "checksum"),
        (IdentifierKind.VAT, "FR4030326504", "length"),
        (IdentifierKind.VAT, "US123456789", "country"),
        (IdentifierKind.VAT, "303265045", "country"),
        (IdentifierKind.COMPANY, "732829321", "checksum"),
        (IdentifierKind.COMPANY, "73282932000075", "checksum"),
        (IdentifierKind.COMPANY, "7328293200", "length"),
        (IdentifierKind.COMPANY, "73282932A", "format"),
        (IdentifierKind.PERSON, "295109912611192", "checksum"),
        (IdentifierKind.PERSON, "29510991261119", "length"),
        (IdentifierKind.IBAN, "FR7630006000011234567890188", "checksum"),
        (IdentifierKind.IBAN, "FR76300060000112345678901", "length"),
        (IdentifierKind.IBAN, "XX7630006000011234567890189", "country"),
        (IdentifierKind.IBAN, "FR76 3000 6000 0112 3456 7890 1AB", "format"),
        (IdentifierKind.IBAN, "   ", "format"),
    ],
)
def test_invalid_identifiers_name_the_failed_check(validate, kind, value, check) -> None:  # type: ignore[no-untyped-def]
    result = validate(kind, value)
    assert not result.valid and result.normalized is None
    assert result.failed_check.split(":")[0] == check, result.failed_check
