"""The EPC QR code of a credit transfer (EPC069-12 version 002): the payload field by
field, byte for byte, and the cases where the guideline allows no code."""

from __future__ import annotations

from decimal import Decimal

import pytest

from partage.core.documents.epc import epc_payload, epc_qr

BE_IBAN = "BE68 5390 0754 7034"


def test_the_payload_is_the_guidelines_twelve_fields_in_order() -> None:
    payload = epc_payload(
        name="Partage Belgique SC",
        iban=BE_IBAN,
        amount=Decimal("616.75"),
        currency="EUR",
        reference="+++000/0000/00101+++",
        bic="GEBABEBB",
    )
    assert payload is not None
    assert payload.encode("utf-8") == (
        b"BCD\n"  # 1 service tag
        b"002\n"  # 2 version
        b"1\n"  # 3 character set: UTF-8
        b"SCT\n"  # 4 identification: SEPA credit transfer
        b"GEBABEBB\n"  # 5 BIC
        b"Partage Belgique SC\n"  # 6 beneficiary's name
        b"BE68539007547034\n"  # 7 IBAN, compact
        b"EUR616.75\n"  # 8 amount: EUR and two decimals
        b"\n"  # 9 purpose: none
        b"000000000101"  # 10 structured remittance, no line feed after the last field
    )


def test_an_rf_reference_without_bic_and_a_long_name_in_utf_8() -> None:
    name = "Coopérative d'activités et d'emploi — Société coopérative d'intérêt collectif SA"
    payload = epc_payload(
        name=name,
        iban="FR76 3000 6000 0112 3456 7890 189",
        amount=Decimal(1),
        currency="EUR",
        reference="RF18 5390 0754 7034",
    )
    assert payload is not None
    fields = payload.split("\n")
    assert fields[:5] == ["BCD", "002", "1", "SCT", ""]  # BIC optional in version 002
    assert fields[5] == name[:70] and len(fields[5]) == 70
    assert fields[6:] == ["FR7630006000011234567890189", "EUR1.00", "", "RF18539007547034"]
    assert len(payload.encode("utf-8")) <= 331


def test_without_reference_the_text_goes_to_the_unstructured_field() -> None:
    payload = epc_payload(
        name="Atelier", iban=BE_IBAN, amount=Decimal("10"), currency="EUR", text="Invoice  F1"
    )
    assert payload == "BCD\n002\n1\nSCT\n\nAtelier\nBE68539007547034\nEUR10.00\n\n\nInvoice F1"


@pytest.mark.parametrize(
    ("iban", "amount", "currency"),
    [
        (BE_IBAN, Decimal("616.75"), "USD"),  # not euros
        (BE_IBAN, Decimal("0"), "EUR"),  # below 0.01
        (BE_IBAN, Decimal("1000000000.00"), "EUR"),  # above 999,999,999.99
        ("BR15 0000 0000 0000 1093 2840 814P 2", Decimal("10"), "EUR"),  # outside SEPA
        ("BE00 0000 0000 0000", Decimal("10"), "EUR"),  # not an IBAN
    ],
)
def test_no_code_where_the_guideline_allows_none(iban: str, amount: Decimal, currency: str) -> None:
    assert epc_payload(name="X", iban=iban, amount=amount, currency=currency) is None


def test_the_largest_amount_still_has_a_code() -> None:
    payload = epc_payload(name="X", iban=BE_IBAN, amount=Decimal("999999999.99"), currency="EUR")
    assert payload is not None and payload.endswith("EUR999999999.99")


def test_the_code_is_level_m_within_version_13() -> None:
    payload = epc_payload(
        name="N" * 70, iban=BE_IBAN, amount=Decimal("999999999.99"), currency="EUR",
        reference="RF18539007547034", bic="GEBABEBBXXX",
    )  # fmt: skip
    assert payload is not None
    code = epc_qr(payload)
    assert code.error == "M"
    assert isinstance(code.version, int) and code.version <= 13
