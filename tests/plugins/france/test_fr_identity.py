"""France: identity, brand and invoice mentions, holidays, formatting, chart of accounts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import partage.plugins.france as france
from partage.core.contract.accounting import AccountType, PostingRole
from partage.core.platform.registry import PluginRegistry
from partage.plugins.france.identity import format_day


@pytest.fixture(scope="module")
def hook():  # type: ignore[no-untyped-def]
    return PluginRegistry().manager("fr").hook


def test_identity_is_a_french_cae(hook) -> None:  # type: ignore[no-untyped-def]
    identity = hook.partage_country_identity()
    assert (identity.code, identity.currency, identity.default_locale) == ("fr", "EUR", "fr_FR")
    assert identity.languages == ("fr",)
    assert "SCIC" in identity.legal_form and "2014-856" in identity.legal_form


def test_brand_logo_is_a_real_svg_and_mentions_cite_their_rules(hook) -> None:  # type: ignore[no-untyped-def]
    brand = hook.partage_country_brand()
    logo = Path(france.__file__).parent / brand.logo
    assert ET.parse(logo).getroot().tag.endswith("svg")
    text = " ".join(brand.invoice_legal_mentions)
    for required in (
        "SIREN",
        "RCS",
        "Capital",
        "40 €",
        "Pénalités de retard",
        "L441-10",
        "242 nonies A",
    ):
        assert required in text, required
    assert brand.primary_colour.startswith("#") and len(brand.primary_colour) == 7


def test_public_holidays_of_2026(hook) -> None:  # type: ignore[no-untyped-def]
    days = hook.partage_public_holidays(year=2026)
    assert len(days) == 11
    assert {date(2026, 7, 14), date(2026, 4, 6), date(2026, 5, 14)} <= days
    assert date(2026, 12, 26) not in days  # Alsace-Moselle only


def test_amounts_and_dates_are_formatted_the_french_way(hook) -> None:  # type: ignore[no-untyped-def]
    text = hook.partage_format_amount(amount=Decimal("1234.56"), locale="fr_FR")
    assert text.replace("\u202f", " ").replace("\xa0", " ") == "1 234,56 €"
    assert format_day(date(2026, 7, 14)) == "14 juillet 2026"


def test_chart_maps_every_role_to_an_account_of_the_right_kind(hook) -> None:  # type: ignore[no-untyped-def]
    chart = hook.partage_chart_of_accounts()
    codes = {a.code: a for a in chart.accounts}
    assert {role for role, _ in chart.roles} == set(PostingRole)
    assert {a.code[0] for a in chart.accounts} == set("1234567")
    expected = {
        PostingRole.BANK: AccountType.ASSET,
        PostingRole.VAT_COLLECTED: AccountType.LIABILITY,
        PostingRole.SALARIES: AccountType.EXPENSE,
        PostingRole.SALES: AccountType.INCOME,
        PostingRole.MEMBER_CAPITAL: AccountType.EQUITY,
        PostingRole.MEMBERS_PAYABLE: AccountType.LIABILITY,
    }
    for role, kind in expected.items():
        assert codes[chart.account_for(role)].type is kind, role
    # One legal person: the entities' internal accounts are liaison accounts (18x), and
    # the fund is an impartageable reserve, never a provision (15x).
    assert chart.account_for(PostingRole.ENTITY_CURRENT_ACCOUNT) == "181"
    assert chart.account_for(PostingRole.FUND_ADVANCE).startswith("181")
    assert chart.account_for(PostingRole.GUARANTEE_FUND_RESERVE).startswith("1064")
    assert (
        chart.account_for(PostingRole.RESULT_OF_THE_YEAR),
        chart.account_for(PostingRole.LEGAL_RESERVE),
    ) == ("120", "1061")
    rule = chart.appropriation_on(date(2026, 12, 31))
    assert (rule.legal_reserve_rate, rule.reserved_share_of_rest) == (
        Decimal("0.15"),
        Decimal("0.50"),
    )
    # PCG numbering: every account sits under the account its code extends.
    for account in chart.accounts:
        if account.parent is not None:
            assert account.code.startswith(account.parent), account.code


def test_france_leaves_the_copyright_hook_unanswered() -> None:
    assert "partage_copyright_taxation" not in france.HOOKS.implementations()
    assert not hasattr(france, "partage_copyright_taxation")
    assert hasattr(france, "partage_vat_return")
