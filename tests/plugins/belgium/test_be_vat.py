"""Belgian VAT: dated rates, the treatment of each kind of line, the return's grids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from partage.core.contract.parameters import ParameterError
from partage.core.contract.periods import Period
from partage.core.contract.tax import VatLineContext, VatMovement, VatTreatmentKind
from partage.plugins.belgium import vat

D = Decimal
ON = date(2026, 3, 15)


def test_rates_in_force_in_2026_standard_first() -> None:
    found = vat.rates(ON)
    assert [(r.code, r.rate, r.label) for r in found] == [
        ("standard", D("0.21"), "21 %"),
        ("intermediate", D("0.12"), "12 %"),
        ("reduced", D("0.06"), "6 %"),
        ("zero", D("0"), "0 %"),
    ]
    assert found[0].in_force_from == date(1996, 1, 1)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(1993, 12, 31), D("0.195")),
        (date(1994, 1, 1), D("0.205")),
        (date(1995, 12, 31), D("0.205")),
        (date(1996, 1, 1), D("0.21")),
    ],
)
def test_standard_rate_on_the_days_it_changed(day: date, expected: Decimal) -> None:
    assert vat.rate("standard", day) == expected


def test_a_day_before_the_earliest_rate_is_refused() -> None:
    with pytest.raises(ParameterError, match="earliest applies from 1992-04-01"):
        vat.rates(date(1992, 3, 31))


def line(**facts: object) -> VatLineContext:
    base = {
        "direction": "sale",
        "on": ON,
        "rate_code": None,
        "supply": "services",
        "counterpart_country": "BE",
    }
    return VatLineContext(**{**base, **facts})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "kind", "code", "rate", "mention"),
    [
        ({}, VatTreatmentKind.DOMESTIC, "S-STANDARD", D("0.21"), None),
        ({"rate_code": "reduced"}, VatTreatmentKind.DOMESTIC, "S-REDUCED", D("0.06"), None),
        (
            {"counterpart_country": "FR", "counterpart_vat_number": "FR40303265045"},
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "S-EU-SERVICES",
            D(0),
            "article 21, § 2",
        ),
        (
            {
                "counterpart_country": "DE",
                "counterpart_vat_number": "DE136695976",
                "supply": "goods",
            },
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "S-EU-GOODS",
            D(0),
            "article 39bis",
        ),
        ({"counterpart_country": "FR"}, VatTreatmentKind.DOMESTIC, "S-STANDARD", D("0.21"), None),
        (
            {"counterpart_country": "US", "supply": "goods"},
            VatTreatmentKind.EXPORT,
            "S-EXPORT",
            D(0),
            "article 39",
        ),
        (
            {"counterpart_country": "CH", "counterpart_vat_number": "CHE-116.281.710"},
            VatTreatmentKind.EXPORT,
            "S-NONEU-SERVICES",
            D(0),
            "article 21, § 2",
        ),
        ({"exemption": "art44"}, VatTreatmentKind.EXEMPT, "S-EXEMPT", D(0), "article 44"),
        (
            {"direction": "purchase", "supply": "goods"},
            VatTreatmentKind.DOMESTIC,
            "P-STANDARD-GOODS",
            D("0.21"),
            None,
        ),
        (
            {"direction": "purchase", "counterpart_country": "NL", "counterpart_vat_number": "NL1"},
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "P-EU-SERVICES-STANDARD",
            D(0),
            None,
        ),
        (
            {"direction": "purchase", "counterpart_country": "US", "rate_code": "reduced"},
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "P-NONEU-SERVICES-REDUCED",
            D(0),
            None,
        ),
        (
            {"direction": "purchase", "counterpart_country": "US", "supply": "goods"},
            VatTreatmentKind.EXPORT,
            "P-IMPORT-GOODS",
            D(0),
            None,
        ),
        (
            {"direction": "purchase", "exemption": "franchise"},
            VatTreatmentKind.EXEMPT,
            "P-FRANCHISE-SERVICES",
            D(0),
            None,
        ),
    ],
)
def test_treatment_of_each_kind_of_line(
    facts: dict[str, object], kind: VatTreatmentKind, code: str, rate: Decimal, mention: str | None
) -> None:
    found = vat.treatment(line(**facts))
    assert (found.kind, found.vat_code, found.rate) == (kind, code, rate)
    if mention is None:
        assert found.legal_mention is None
    else:
        assert mention in found.legal_mention


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"rate_code": "luxury"}, "rate_code: 'luxury' is not one of"),
        ({"exemption": "art99"}, "exemption: 'art99' is not one of art44, franchise"),
        ({"supply": "rights"}, "supply: 'rights'"),
        ({"exemption": "franchise"}, "exemption: 'franchise' is not open to a sale.*56bis"),
    ],
)
def test_bad_lines_are_refused_by_name(facts: dict[str, object], message: str) -> None:
    with pytest.raises(vat.VatError, match=message):
        vat.treatment(line(**facts))


def test_return_grids_from_movements() -> None:
    movements = [
        VatMovement("S-STANDARD", "sale", D("10000"), D("2100")),
        VatMovement("S-STANDARD", "sale", D("-1000"), D("-210")),  # a credit note
        VatMovement("S-REDUCED", "sale", D("500"), D("30")),
        VatMovement("S-INTERMEDIATE", "sale", D("100"), D("12")),
        VatMovement("S-EU-SERVICES", "sale", D("3000"), D(0)),
        VatMovement("S-EU-GOODS", "sale", D("700"), D(0)),
        VatMovement("S-EU-SERVICES", "sale", D("-200"), D(0)),
        VatMovement("S-EXPORT", "sale", D("400"), D(0)),
        VatMovement("S-EXEMPT", "sale", D("250"), D(0)),
        VatMovement("P-STANDARD-GOODS", "purchase", D("2000"), D("420")),
        VatMovement("P-STANDARD-SERVICES", "purchase", D("1000"), D("210")),
        VatMovement("P-STANDARD-SERVICES", "purchase", D("-100"), D("-21")),
        VatMovement("P-EU-SERVICES-STANDARD", "purchase", D("1000"), D(0)),
        VatMovement("P-EXEMPT-GOODS", "purchase", D("300"), D(0)),
    ]
    period = Period(date(2026, 1, 1), date(2026, 3, 31))
    grids = {box.box: box.amount for box in vat.vat_return(period, movements)}
    assert grids["00"] == D("250.00")
    assert (grids["01"], grids["02"], grids["03"]) == (D("500.00"), D("100.00"), D("10000.00"))
    assert (grids["44"], grids["46"], grids["47"]) == (D("3000.00"), D("700.00"), D("400.00"))
    assert (grids["48"], grids["49"]) == (D("200.00"), D("1000.00"))
    assert grids["54"] == D("2142.00")  # 2100 + 30 + 12
    assert grids["64"] == D("210.00")
    assert (grids["81"], grids["82"], grids["85"], grids["88"]) == (
        D("2300.00"),
        D("2000.00"),
        D("100.00"),
        D("1000.00"),
    )
    assert grids["55"] == D("210.00")  # self-assessed 21 % of the EU service
    assert grids["59"] == D("840.00")  # 420 + 210 + 210 self-assessed
    assert grids["63"] == D("21.00")
    # 71 = 54 + 55 + 63 - (59 + 64) = 2142 + 210 + 21 - 840 - 210
    assert (grids["71"], grids["72"]) == (D("1323.00"), D("0.00"))


def test_a_refund_goes_to_grid_72() -> None:
    period = Period(date(2026, 1, 1), date(2026, 1, 31))
    grids = {
        b.box: b.amount
        for b in vat.vat_return(
            period, [VatMovement("P-STANDARD-GOODS", "purchase", D(100), D(21))]
        )
    }
    assert (grids["71"], grids["72"]) == (D("0.00"), D("21.00"))


def test_an_unknown_code_in_the_books_is_refused() -> None:
    period = Period(date(2026, 1, 1), date(2026, 1, 31))
    with pytest.raises(vat.VatError, match="S-LUXURY"):
        vat.vat_return(period, [VatMovement("S-LUXURY", "sale", D(1), D(0))])


@pytest.mark.parametrize(
    ("supply", "code"),
    [("goods", "S-EU-GOODS"), ("services", "S-NONEU-SERVICES")],
)
def test_northern_ireland_is_in_the_eu_vat_area_for_goods_only(supply: str, code: str) -> None:
    found = vat.treatment(
        line(counterpart_country="XI", counterpart_vat_number="XI123456789", supply=supply)
    )
    assert found.vat_code == code and found.rate == 0


def test_a_greek_business_is_reverse_charged_under_either_prefix() -> None:
    for country in ("GR", "EL"):
        found = vat.treatment(line(counterpart_country=country, counterpart_vat_number="EL1"))
        assert found.vat_code == "S-EU-SERVICES"


def test_a_purchase_from_a_franchise_supplier_keeps_its_code() -> None:
    treatment = vat.treatment(line(direction="purchase", exemption="franchise", supply="goods"))
    assert (treatment.vat_code, treatment.rate) == ("P-FRANCHISE-GOODS", D(0))


def test_belgian_vat_is_never_due_later_than_the_invoice() -> None:
    """Code TVA art. 22 § 1 and 22bis: at the invoice or an earlier payment."""
    assert vat.due_at_payment("S-STANDARD") is False
