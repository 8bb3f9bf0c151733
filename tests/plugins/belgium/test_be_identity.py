"""Belgium: identity, brand, holidays, formatting, identifiers and the PCMN chart,
called through the plugin manager as the core calls them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pluggy
import pytest

import partage.plugins.belgium as belgium
from partage.core.contract.accounting import AccountType, PostingRole
from partage.core.contract.errors import PartageError
from partage.core.contract.identity import IdentifierKind
from partage.core.platform.registry import PluginKind, PluginRegistry


@pytest.fixture(scope="module")
def be() -> pluggy.HookRelay:
    """The Belgian plugin alone, registered by the test (no entry points)."""
    registry = PluginRegistry(autoload=False)
    registry.add(belgium, name="be", kind=PluginKind.COUNTRY)
    return registry.manager("be").hook


def test_identity_and_brand(be: pluggy.HookRelay) -> None:
    identity = be.partage_country_identity()
    assert (identity.code, identity.currency, identity.languages) == (
        "be",
        "EUR",
        ("fr", "nl", "de"),
    )
    brand = be.partage_country_brand()
    logo = Path(belgium.__file__).parent / brand.logo
    assert logo.is_file() and logo.read_text().lstrip().startswith("<svg")
    mentions = " ".join(brand.invoice_legal_mentions)
    assert "AR n° 1" in mentions and "art. 5" in mentions and "autoliquidation" in mentions


def test_public_holidays_of_2026(be: pluggy.HookRelay) -> None:
    days = be.partage_public_holidays(year=2026)
    # Easter Monday 6 April 2026, national day 21 July, Armistice 11 November.
    assert {date(2026, 1, 1), date(2026, 4, 6), date(2026, 7, 21), date(2026, 11, 11)} <= days
    assert date(2026, 4, 7) not in days


@pytest.mark.parametrize(
    ("locale", "text"),
    [("fr_BE", "1\u202f234,50\xa0€"), ("nl_BE", "€\xa01.234,50"), ("de_BE", "1.234,50\xa0€")],
)
def test_amounts_are_formatted_per_locale(be: pluggy.HookRelay, locale: str, text: str) -> None:
    assert be.partage_format_amount(amount=Decimal("1234.50"), locale=locale) == text


def test_a_foreign_locale_is_refused(be: pluggy.HookRelay) -> None:
    with pytest.raises(PartageError, match="fr_BE, nl_BE"):
        be.partage_format_amount(amount=Decimal(1), locale="fr_FR")


@pytest.mark.parametrize(
    ("kind", "value", "normalized"),
    [
        (IdentifierKind.VAT, "be 0403.019.261", "BE0403019261"),
        (IdentifierKind.COMPANY, "0403019261", "0403.019.261"),
        (IdentifierKind.PERSON, "85.07.30-033.28", "85073003328"),
        (IdentifierKind.IBAN, "BE68 5390 0754 7034", "BE68539007547034"),
        (IdentifierKind.IBAN, "FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ],
)
def test_valid_identifiers_are_normalized(
    be: pluggy.HookRelay, kind: IdentifierKind, value: str, normalized: str
) -> None:
    check = be.partage_validate_identifier(kind=kind, value=value)
    assert (check.valid, check.normalized, check.failed_check) == (True, normalized, None)


@pytest.mark.parametrize(
    ("kind", "value", "failed"),
    [
        (IdentifierKind.VAT, "BE0403019262", "checksum"),
        (IdentifierKind.VAT, "BEX403019261", "format"),
        (IdentifierKind.VAT, "FR40303265045", "country"),
        (IdentifierKind.COMPANY, "1403019261", "checksum"),
        (IdentifierKind.PERSON, "8507300332", "length"),
        (IdentifierKind.PERSON, "85073003327", "checksum"),
        (IdentifierKind.IBAN, "BE68539007547035", "checksum"),
        (IdentifierKind.IBAN, "BE6853900754703", "length"),
        (IdentifierKind.IBAN, "XX68539007547034", "country"),
        (IdentifierKind.IBAN, "BE68 539A 0754 7034", "format"),
        (IdentifierKind.IBAN, "  ", "format"),
    ],
)
def test_invalid_identifiers_name_the_failed_check(
    be: pluggy.HookRelay, kind: IdentifierKind, value: str, failed: str
) -> None:
    check = be.partage_validate_identifier(kind=kind, value=value)
    assert not check.valid and check.normalized is None
    assert check.failed_check.startswith(f"{failed}:"), check.failed_check


def test_chart_is_the_pcmn_with_every_role_mapped(be: pluggy.HookRelay) -> None:
    chart = be.partage_chart_of_accounts()
    codes = {a.code: a for a in chart.accounts}
    assert {"1", "2", "3", "4", "5", "6", "7"} <= set(codes)
    assert {role for role, _ in chart.roles} == set(PostingRole)
    # Codes the books tests and the demo post to keep working.
    assert {"550", "700", "451", "612", "708"} <= set(codes)
    assert codes["708"].name.startswith("Remises")  # PCMN: rebates, not the fee
    assert chart.account_for(PostingRole.MANAGEMENT_FEE_INCOME) == "705"
    # The fund is a reserve the general assembly earmarks, never a provision (16x).
    assert chart.account_for(PostingRole.GUARANTEE_FUND_RESERVE) == "1331"
    assert codes[chart.account_for(PostingRole.GUARANTEE_FUND)].type is AccountType.EQUITY
    # Members' contributions to an SC are its apport (CSA), not "capital souscrit".
    assert chart.account_for(PostingRole.MEMBER_CAPITAL) == "110"
    assert chart.account_for(PostingRole.RESULT_OF_THE_YEAR) == "14"
    # The CSA left no legal reserve to the SC; before it, the SCRL's 5 % to a tenth.
    assert chart.appropriation_on(date(2026, 12, 31)).legal_reserve_rate == 0
    assert chart.appropriation_on(date(2019, 12, 31)).legal_reserve_rate == Decimal("0.05")
    for account in chart.accounts:  # every account sits in the class its first digit says
        if account.parent is not None:
            assert account.code.startswith(account.parent)


def test_every_hook_the_plugin_declares_is_registered_from_its_module() -> None:
    """The hooks come from ``HOOKS`` (core.plugin_support.CountryHooks), installed in the
    module that the entry point names; the manager answers each of them."""
    registry = PluginRegistry(autoload=False)
    registry.add(belgium, name="be", kind=PluginKind.COUNTRY)
    manager = registry.manager("be")
    declared = set(belgium.HOOKS.implementations())
    registered = {
        name
        for name in declared
        if any(impl.plugin is belgium for impl in getattr(manager.hook, name).get_hookimpls())
    }
    assert registered == declared
    assert {"partage_payslip", "partage_vat_return", "partage_copyright_taxation"} <= declared
