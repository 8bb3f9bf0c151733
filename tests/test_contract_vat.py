"""The place of supply every country plugin shares (Directive 2006/112/EC), as a table:
one row per kind of line, for a home inside the EU (Belgium) and one outside it (Japan).
"""

from __future__ import annotations

from datetime import date

import pytest

from partage.core.contract import (
    SupplyCase,
    VatError,
    VatLineContext,
    VatTreatmentKind,
    place_of_supply,
)

ON = date(2026, 3, 15)
B2B = "VAT-NUMBER"
B2C = None

C = SupplyCase
#: (home, direction, supply, counterpart country, VAT number, exemption) -> case
TABLE: list[tuple[str, str, str, str, str | None, str | None, SupplyCase]] = [
    # at home, whoever the counterpart
    ("BE", "sale", "services", "BE", B2C, None, C.DOMESTIC),
    ("BE", "sale", "goods", "be", B2B, None, C.DOMESTIC),
    ("BE", "purchase", "goods", "BE", B2B, None, C.DOMESTIC),
    ("BE", "purchase", "services", "BE", B2C, None, C.DOMESTIC),
    # an exemption wins over every place, in both directions
    ("BE", "sale", "services", "DE", B2B, "art44", C.EXEMPT),
    ("BE", "sale", "goods", "US", B2C, "art44", C.EXEMPT),
    ("BE", "purchase", "services", "BE", B2C, "franchise", C.EXEMPT),
    # another member state: a business is reverse-charged (art. 44, 138, 196, 200)
    ("BE", "sale", "services", "FR", B2B, None, C.INTRA_EU_B2B),
    ("BE", "sale", "goods", "DE", B2B, None, C.INTRA_EU_B2B),
    ("BE", "purchase", "services", "NL", B2B, None, C.INTRA_EU_B2B),
    ("BE", "purchase", "goods", "LU", B2B, None, C.INTRA_EU_B2B),
    # ... a person without a VAT number is taxed at home (art. 45, art. 33 and 59c)
    ("BE", "sale", "services", "FR", B2C, None, C.INTRA_EU_B2C),
    ("BE", "sale", "goods", "DE", B2C, None, C.INTRA_EU_B2C),
    ("BE", "purchase", "services", "NL", B2C, None, C.INTRA_EU_B2C),
    ("BE", "purchase", "goods", "NL", B2C, None, C.INTRA_EU_B2C),
    # outside the EU: goods are exported (art. 146) or imported (art. 30, 201)
    ("BE", "sale", "goods", "US", B2C, None, C.EXPORT),
    ("BE", "sale", "goods", "CH", B2B, None, C.EXPORT),
    ("BE", "purchase", "goods", "US", B2C, None, C.IMPORT),
    ("BE", "purchase", "goods", "CN", B2B, None, C.IMPORT),
    # ... services sold: to a business taxed there (art. 44), to a person at home (art. 45)
    ("BE", "sale", "services", "CH", B2B, None, C.OUTSIDE_EU_B2B),
    ("BE", "sale", "services", "US", B2C, None, C.OUTSIDE_EU_B2C),
    # ... services bought are reverse-charged at home, with or without a VAT number
    ("BE", "purchase", "services", "US", B2B, None, C.OUTSIDE_EU_B2B),
    ("BE", "purchase", "services", "US", B2C, None, C.OUTSIDE_EU_B2B),
    # Northern Ireland is in the EU's VAT area for goods only (Windsor Framework, art. 8)
    ("BE", "sale", "goods", "XI", B2B, None, C.INTRA_EU_B2B),
    ("BE", "sale", "services", "XI", B2B, None, C.OUTSIDE_EU_B2B),
    ("BE", "purchase", "goods", "XI", B2B, None, C.INTRA_EU_B2B),
    ("BE", "purchase", "services", "XI", B2C, None, C.OUTSIDE_EU_B2B),
    # Greece under its VAT prefix or its ISO code, seen from abroad and from home
    ("BE", "sale", "services", "EL", B2B, None, C.INTRA_EU_B2B),
    ("BE", "sale", "services", "GR", B2B, None, C.INTRA_EU_B2B),
    ("GR", "sale", "services", "EL", B2B, None, C.DOMESTIC),
    # a home outside the EU has no intra-EU case: a member state is abroad
    ("JP", "sale", "services", "JP", B2B, None, C.DOMESTIC),
    ("JP", "sale", "services", "DE", B2B, None, C.OUTSIDE_EU_B2B),
    ("JP", "sale", "services", "DE", B2C, None, C.OUTSIDE_EU_B2C),
    ("JP", "sale", "goods", "DE", B2B, None, C.EXPORT),
    ("JP", "purchase", "goods", "DE", B2B, None, C.IMPORT),
    ("JP", "purchase", "services", "FR", B2B, None, C.OUTSIDE_EU_B2B),
    ("JP", "purchase", "services", "US", B2C, None, C.OUTSIDE_EU_B2B),
]


def line(
    direction: str,
    supply: str,
    country: str,
    vat_number: str | None = None,
    exemption: str | None = None,
) -> VatLineContext:
    return VatLineContext(
        direction=direction,
        on=ON,
        rate_code=None,
        supply=supply,
        counterpart_country=country,
        counterpart_vat_number=vat_number,
        exemption=exemption,
    )


@pytest.mark.parametrize(
    ("home", "direction", "supply", "country", "vat_number", "exemption", "case"), TABLE
)
def test_place_of_supply(
    home: str,
    direction: str,
    supply: str,
    country: str,
    vat_number: str | None,
    exemption: str | None,
    case: SupplyCase,
) -> None:
    found = place_of_supply(line(direction, supply, country, vat_number, exemption), home)
    assert found is case, (
        f"{direction} of {supply} from {home} with {country} "
        f"({'business' if vat_number else 'person'}, exemption {exemption}): "
        f"{found}, expected {case}"
    )


def test_the_table_reaches_every_case() -> None:
    assert {row[-1] for row in TABLE} == set(SupplyCase)


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"direction": "gift"}, "direction: 'gift' must be 'sale' or 'purchase'"),
        ({"supply": "rights"}, "supply: 'rights' must be 'goods' or 'services'"),
    ],
)
def test_a_line_the_tree_cannot_place_is_refused_by_field(
    facts: dict[str, str], message: str
) -> None:
    base = {"direction": "sale", "supply": "services", "country": "BE"}
    with pytest.raises(VatError, match=message):
        place_of_supply(line(**{**base, **facts}), "BE")


@pytest.mark.parametrize(
    ("case", "sale", "purchase"),
    [
        (C.DOMESTIC, VatTreatmentKind.DOMESTIC, VatTreatmentKind.DOMESTIC),
        (C.INTRA_EU_B2C, VatTreatmentKind.DOMESTIC, VatTreatmentKind.DOMESTIC),
        (C.OUTSIDE_EU_B2C, VatTreatmentKind.DOMESTIC, VatTreatmentKind.DOMESTIC),
        (C.EXEMPT, VatTreatmentKind.EXEMPT, VatTreatmentKind.EXEMPT),
        (
            C.INTRA_EU_B2B,
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
            VatTreatmentKind.INTRA_EU_REVERSE_CHARGE,
        ),
        (C.EXPORT, VatTreatmentKind.EXPORT, VatTreatmentKind.EXPORT),
        (C.IMPORT, VatTreatmentKind.EXPORT, VatTreatmentKind.EXPORT),
        (C.OUTSIDE_EU_B2B, VatTreatmentKind.EXPORT, VatTreatmentKind.INTRA_EU_REVERSE_CHARGE),
    ],
)
def test_each_case_has_one_treatment_kind_per_direction(
    case: SupplyCase, sale: VatTreatmentKind, purchase: VatTreatmentKind
) -> None:
    assert (case.treatment_kind("sale"), case.treatment_kind("purchase")) == (sale, purchase)
    assert case.taxed_at_home is (sale is VatTreatmentKind.DOMESTIC)
