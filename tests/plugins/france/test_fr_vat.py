"""France: VAT rates by date, the treatment of a line, and the CA3 return."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from partage.core.contract.periods import Period
from partage.core.contract.tax import VatLineContext, VatMovement, VatTreatmentKind
from partage.core.platform.registry import PluginRegistry
from partage.plugins.france import vat
from partage.plugins.france.vat import VatError

D = Decimal
ON = date(2026, 3, 15)


@pytest.fixture(scope="module")
def hook():  # type: ignore[no-untyped-def]
    return PluginRegistry().manager("fr").hook


def test_rates_in_force_with_their_start(hook) -> None:  # type: ignore[no-untyped-def]
    rates = hook.partage_vat_rates(on=ON)
    assert [(r.code, r.rate, r.label) for r in rates] == [
        ("standard", D("0.20"), "20 %"),
        ("intermediate", D("0.10"), "10 %"),
        ("reduced", D("0.055"), "5,5 %"),
        ("super_reduced", D("0.021"), "2,1 %"),
    ]
    assert rates[0].in_force_from == date(2014, 1, 1)


def test_the_day_the_20_percent_rate_started(hook) -> None:  # type: ignore[no-untyped-def]
    from partage.core.contract.parameters import ParameterError

    assert hook.partage_vat_rates(on=date(2014, 1, 1))[0].rate == D("0.20")
    with pytest.raises(ParameterError, match="earliest applies from 2014-01-01"):
        hook.partage_vat_rates(on=date(2013, 12, 31))


def line(**kw: object) -> VatLineContext:
    base = {
        "direction": "sale",
        "on": ON,
        "rate_code": None,
        "supply": "services",
        "counterpart_country": "FR",
    }
    return VatLineContext(**{**base, **kw})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("facts", "kind", "code", "rate", "mention"),
    [
        ({}, VatTreatmentKind.DOMESTIC, "FR20_ENC", "0.20", None),
        ({"rate_code": "reduced"}, VatTreatmentKind.DOMESTIC, "FR55_ENC", "0.055", None),
        ({"supply": "goods"}, VatTreatmentKind.DOMESTIC, "FR20", "0.20", None),
        (
            {"vat_on_debits": True},
            VatTreatmentKind.DOMESTIC,
            "FR20",
            "0.20",
            "Option pour le paiement de la taxe d'après les débits",
        ),
        ({"direction": "purchase"}, VatTreatmentKind.DOMESTIC, "FR20", "0.20", None),
        (
            {"counterpart_country": "DE", "counterpart_vat_number": "DE136695976"},
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "UE_SERVICES_20",
            "0",
            "283-2",
        ),
        (
            {
                "counterpart_country": "DE",
                "counterpart_vat_number": "DE136695976",
                "supply": "goods",
            },
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "UE_BIENS_20",
            "0",
            "262 ter I",
        ),
        ({"counterpart_country": "DE"}, VatTreatmentKind.DOMESTIC, "FR20_ENC", "0.20", None),
        (
            {"counterpart_country": "US", "supply": "goods"},
            VatTreatmentKind.EXPORT,
            "EXPORT",
            "0",
            "262 I",
        ),
        (
            {"counterpart_country": "CH", "counterpart_vat_number": "CHE-123"},
            VatTreatmentKind.EXPORT,
            "HORS_UE_SERVICES",
            "0",
            "259",
        ),
        (
            {"direction": "purchase", "exemption": "franchise_293b"},
            VatTreatmentKind.EXEMPT,
            "FRANCHISE",
            "0",
            "TVA non applicable, art. 293 B du CGI",
        ),
        ({"exemption": "formation_261_4_4"}, VatTreatmentKind.EXEMPT, "EXO_261", "0", "261-4-4°"),
        (
            {
                "direction": "purchase",
                "counterpart_country": "BE",
                "counterpart_vat_number": "BE0403170701",
            },
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "UE_SERVICES_20",
            "0",
            "283-2",
        ),
        (
            {"direction": "purchase", "counterpart_country": "US"},
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            "HORS_UE_SERVICES_20",
            "0",
            None,
        ),
        (
            {"direction": "purchase", "counterpart_country": "CN", "supply": "goods"},
            VatTreatmentKind.EXPORT,
            "IMPORT_20",
            "0",
            None,
        ),
        (
            {"direction": "purchase", "exemption": "formation_261_4_4"},
            VatTreatmentKind.EXEMPT,
            "EXO_261",
            "0",
            "261-4-4°",
        ),
    ],
)
def test_treatment_of_a_line(hook, facts, kind, code, rate, mention) -> None:  # type: ignore[no-untyped-def]
    treatment = hook.partage_vat_treatment(line=line(**facts))
    assert (treatment.kind, treatment.vat_code, treatment.rate) == (kind, code, D(rate))
    if mention is None:
        assert treatment.legal_mention is None
    else:
        assert mention in treatment.legal_mention


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"rate_code": "luxury"}, "rate_code"),
        ({"exemption": "charity"}, "exemption"),
        ({"direction": "gift"}, "direction"),
    ],
)
def test_unknown_codes_are_refused_by_name(hook, facts, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VatError, match=field):
        hook.partage_vat_treatment(line=line(**facts))


def test_ca3_from_movements(hook) -> None:  # type: ignore[no-untyped-def]
    moves = [
        VatMovement("FR20", "sale", D("10000.00"), D("2000.00")),
        VatMovement("FR20", "sale", D("-1000.00"), D("-200.00")),  # a credit note
        VatMovement("FR10", "sale", D("500.00"), D("50.00")),
        VatMovement("FR55", "sale", D("200.00"), D("11.00")),
        VatMovement("FR21", "sale", D("100.00"), D("2.10")),
        VatMovement("UE_BIENS_20", "sale", D("3000.00"), D("0")),
        VatMovement("UE_SERVICES_20", "sale", D("700.00"), D("0")),
        VatMovement("EXPORT", "sale", D("800.00"), D("0")),
        VatMovement("FR20", "purchase", D("2500.00"), D("500.00")),
        VatMovement("UE_BIENS_20", "purchase", D("1000.00"), D("0")),
        VatMovement("UE_SERVICES_20", "purchase", D("400.00"), D("0")),
    ]
    period = Period(date(2026, 3, 1), date(2026, 3, 31))
    boxes = {b.box: b.amount for b in hook.partage_vat_return(period=period, movements=moves)}
    assert boxes["A1"] == D("9800.00")
    assert boxes["08-base"] == D("10400.00")  # 9000 domestic + 1000 B2 + 400 A3
    assert boxes["08-taxe"] == D("2080.00")
    assert (boxes["9B-taxe"], boxes["09-taxe"], boxes["14-taxe"]) == (
        D("50.00"),
        D("11.00"),
        D("2.10"),
    )
    assert (boxes["B2"], boxes["A3"], boxes["17"]) == (D("1000.00"), D("400.00"), D("200.00"))
    assert (boxes["F2"], boxes["E1"], boxes["E2"]) == (D("3000.00"), D("800.00"), D("700.00"))
    assert boxes["16"] == D("2143.10")
    assert boxes["23"] == D("780.00")  # 500 + self-assessed 200 + 80
    assert boxes["28"] == boxes["32"] == D("1363.10") and boxes["25"] == 0


def test_ca3_credit_when_deductions_exceed(hook) -> None:  # type: ignore[no-untyped-def]
    moves = [
        VatMovement("FR20", "sale", D("100"), D("20")),
        VatMovement("FR20", "purchase", D("1000"), D("200")),
    ]
    boxes = {
        b.box: b.amount for b in hook.partage_vat_return(period=Period(ON, ON), movements=moves)
    }
    assert (boxes["25"], boxes["28"], boxes["32"]) == (D("180"), 0, 0)


def test_ca3_refuses_an_unknown_code(hook) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(VatError, match="'BE21'"):
        hook.partage_vat_return(
            period=Period(ON, ON), movements=[VatMovement("BE21", "sale", D(1), D(0))]
        )


@pytest.mark.parametrize(
    ("supply", "code"),
    [("goods", "UE_BIENS_20"), ("services", "HORS_UE_SERVICES")],
)
def test_northern_ireland_is_in_the_eu_vat_area_for_goods_only(hook, supply, code) -> None:  # type: ignore[no-untyped-def]
    found = hook.partage_vat_treatment(
        line=line(counterpart_country="XI", counterpart_vat_number="XI123456789", supply=supply)
    )
    assert found.vat_code == code and found.rate == 0


def test_no_sale_is_made_under_the_franchise(hook) -> None:  # type: ignore[no-untyped-def]
    """CGI art. 293 B is a whole taxable person's regime: no line of the cooperative's."""
    with pytest.raises(VatError, match="exemption: 'franchise_293b' is not open to a sale"):
        hook.partage_vat_treatment(line=line(exemption="franchise_293b"))


def test_services_sold_without_the_option_are_due_at_payment(hook) -> None:  # type: ignore[no-untyped-def]
    """CGI art. 269-2-c: services at payment, goods and the débits option at the invoice."""
    assert hook.partage_vat_due_at_payment(vat_code="FR20_ENC") is True
    assert hook.partage_vat_due_at_payment(vat_code="FR20") is False
    assert hook.partage_vat_due_at_payment(vat_code="UE_SERVICES_20") is False


def test_a_service_due_at_payment_fills_the_line_of_its_rate() -> None:
    period = Period(date(2026, 5, 1), date(2026, 5, 31))
    boxes = {
        b.box: b.amount for b in vat.ca3(period, [VatMovement("FR10_ENC", "sale", D(100), D(10))])
    }
    assert (boxes["A1"], boxes["9B-base"], boxes["9B-taxe"]) == (D(100), D(100), D(10))
