"""Layered configuration: precedence of layers, provenance of values, and validators
that refuse bad settings naming the file, the key, the value and the rule."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from partage.core.cli.main import exit_status
from partage.core.contract.errors import ConfigError
from partage.core.platform.config import GuaranteeRules, resolve
from partage.core.platform.limits import Limits
from partage.core.platform.registry import PluginKind, PluginRegistry
from partage.core.platform.runtime import load_config
from tests.conftest import CountryPlugin


@pytest.fixture(autouse=True)
def no_partage_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment's PARTAGE_* variables are a layer: each test sets its own."""
    for name in [n for n in os.environ if n.startswith("PARTAGE_")]:
        monkeypatch.delenv(name)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_shipped_instances_carry_the_domain_figures(registry: PluginRegistry) -> None:
    be = load_config("be", registry=registry)
    fr = load_config("fr", registry=registry)
    assert be.instance.management_fee_rate == Decimal("0.065")
    assert fr.instance.management_fee_rate == Decimal("0.085")
    assert be.instance.languages == ("fr", "nl", "de")
    assert len(be.instance.offices) >= 3 and len(fr.instance.offices) >= 3
    assert {c.code for c in be.instance.share_classes} == {"A", "B"}
    assert isinstance(be.instance.share_nominal_value, Decimal)
    assert be.network.franchise_fee.rate == Decimal("0.05")


def test_layers_override_in_order_and_remember_their_source(
    configs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(
        configs / "instances" / "be.toml",
        "[instance]",
        "[ledger]\nfiscal_year_start_month = 7\n\n[instance]",
    )
    monkeypatch.setenv("PARTAGE_INSTANCE__NAME", "Override")
    resolved = resolve("be", configs)
    assert resolved.values["ledger"]["fiscal_year_start_month"] == 7
    assert resolved.source_of("ledger.fiscal_year_start_month") == str(
        configs / "instances" / "be.toml"
    )
    assert resolved.source_of("database_url") == str(configs / "settings.toml")
    assert resolved.source_of("network.franchise_fee.rate") == str(configs / "network.toml")
    assert resolved.values["instance"]["name"] == "Override"
    assert resolved.source_of("instance.name") == "env PARTAGE_INSTANCE__NAME"
    # untouched siblings of an overridden key keep their file value
    assert resolved.values["instance"]["code"] == "be"


def test_environment_database_url_wins(configs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTAGE_DATABASE_URL", "sqlite:///other.db")
    resolved = resolve("fr", configs)
    assert resolved.values["database_url"] == "sqlite:///other.db"
    assert resolved.source_of("database_url") == "env PARTAGE_DATABASE_URL"


def test_instance_is_chosen_by_argument_then_environment_then_default(
    configs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve(None, configs).instance == "be"
    monkeypatch.setenv("PARTAGE_INSTANCE", "fr")
    assert resolve(None, configs).instance == "fr"
    assert resolve("be", configs).instance == "be"


@pytest.mark.parametrize(
    ("file", "old", "new", "key", "rule"),
    [
        (
            "instances/be.toml",
            'management_fee_rate = "0.065"',
            'management_fee_rate = "1.5"',
            "instance.management_fee_rate",
            "must be a fraction from 0 to 1",
        ),
        (
            "instances/be.toml",
            'management_fee_rate = "0.065"',
            'management_fee_rate = "-0.01"',
            "instance.management_fee_rate",
            "must be a fraction",
        ),
        (
            "instances/be.toml",
            'country_plugin = "be"',
            'country_plugin = "atlantis"',
            "instance.country_plugin",
            "unknown country plugin (installed: be, fr, zz)",
        ),
        ("instances/be.toml", 'currency = "EUR"\n', "", "instance.currency", "is required"),
        (
            "instances/be.toml",
            'currency = "EUR"',
            'currency = "CHF"',
            "instance.currency",
            "country plugin 'be' keeps its books in EUR",
        ),
        (
            "instances/be.toml",
            'currency = "EUR"',
            'currency = "XYZ"',
            "instance.currency",
            "ISO 4217",
        ),
        (
            "instances/be.toml",
            'code = "bru"\nname = "Bruxelles - Brussel"\naddress = "Rue Coenraets 72, 1060 Saint-Gilles"\nsectors = []',
            'code = "bru"\nname = "Bruxelles - Brussel"\naddress = "Rue Coenraets 72, 1060 Saint-Gilles"\nsectors = ["bakers"]',
            "instance.offices[0].sectors",
            "unknown sector plugin (installed: couriers)",
        ),
        (
            "instances/be.toml",
            'code = "lge"',
            'code = "bru"',
            "instance.offices[1].code",
            "appears twice",
        ),
        (
            "instances/be.toml",
            'nominal_value = "30.00"',
            'nominal_value = "30.001"',
            "instance.shares.nominal_value",
            "more than 2 decimals",
        ),
        (
            "instances/be.toml",
            'code = "be"',
            'code = "fr"',
            "instance.code",
            "must match the instance file's name 'be'",
        ),
        (
            "network.toml",
            'basis = "fee_income"',
            'basis = "royalties"',
            "network.franchise_fee.basis",
            "must be one of fee_income, invoiced_volume, flat",
        ),
        (
            "network.toml",
            'primary_colour = "#E4003A"',
            'primary_colour = "red"',
            "network.brand.primary_colour",
            "must be a colour",
        ),
        (
            "settings.toml",
            "fiscal_year_start_month = 1",
            "fiscal_year_start_month = 13",
            "ledger.fiscal_year_start_month",
            "from 1 to 12",
        ),
        (
            "settings.toml",
            'coverage_rate = "0.80"',
            'coverage_rate = "0"',
            "instance.guarantee_fund.coverage_rate",
            "must be a fraction from 0 excluded to 1",
        ),
        (
            "instances/be.toml",
            'share_of_fee_income = "0.20"',
            'share_of_fee_income = "0.20"\ncoverage_rate = "1.2"',
            "instance.guarantee_fund.coverage_rate",
            "must be a fraction from 0 excluded to 1",
        ),
        (
            "settings.toml",
            "max_days_overdue = 60",
            "max_days_overdue = -1",
            "instance.guarantee_fund.max_days_overdue",
            "must be a whole number from 0 to 3650",
        ),
        (
            "instances/be.toml",
            'share_of_fee_income = "0.20"',
            'share_of_fee_income = "0.20"\nmax_days_overdue = "60"',
            "instance.guarantee_fund.max_days_overdue",
            "must be a whole number",
        ),
        (
            "instances/be.toml",
            'share_of_fee_income = "0.20"',
            'share_of_fee_income = "0.20"\nceiling_per_entity = "100.001"',
            "instance.guarantee_fund.ceiling_per_entity",
            "more than 2 decimals for EUR",
        ),
        (
            "instances/be.toml",
            'share_of_fee_income = "0.20"',
            'share_of_fee_income = "0.20"\nceiling_per_entity = "0.00"',
            "instance.guarantee_fund.ceiling_per_entity",
            "must be a positive amount",
        ),
        (
            "settings.toml",
            'ceiling_per_entity = "25000.00"',
            'ceiling_per_entity = "plenty"',
            "instance.guarantee_fund.ceiling_per_entity",
            "must be a decimal number",
        ),
        (
            "settings.toml",
            'leverage = "10"',
            'leverage = "-1"',
            "instance.guarantee_fund.leverage",
            "must be a number from 0 to 100",
        ),
        (
            "instances/be.toml",
            'share_of_fee_income = "0.20"',
            'share_of_fee_income = "0.20"\nleverage = "1000"',
            "instance.guarantee_fund.leverage",
            "must be a number from 0 to 100",
        ),
        (
            "settings.toml",
            'leverage = "10"',
            'leverage = "ten"',
            "instance.guarantee_fund.leverage",
            "must be a decimal number",
        ),
        (
            "settings.toml",
            "second_days = 21",
            "second_days = 5",
            "instance.reminders.second_days",
            "must be later than 7 days",
        ),
        (
            "settings.toml",
            "formal_notice_days = 35",
            "formal_notice_days = 0",
            "instance.reminders.formal_notice_days",
            "must be a whole number from 1 to 3650",
        ),
        (
            "settings.toml",
            "charge_by_default = true",
            'charge_by_default = "yes"',
            "instance.reminders.charge_by_default",
            "must be true or false",
        ),
    ],
)
def test_bad_settings_are_refused_naming_file_key_value_and_rule(
    configs: Path, registry: PluginRegistry, file: str, old: str, new: str, key: str, rule: str
) -> None:
    edit(configs / file, old, new)
    with pytest.raises(ConfigError) as refused:
        load_config("be", configs, registry)
    error = refused.value
    assert error.source == str(configs / file)
    assert error.key == key
    assert rule in error.rule
    assert str(error).startswith(f"{configs / file}: {key} = ")
    assert exit_status(error) == 2


def test_environment_override_is_validated_and_blamed(
    registry: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE", "1.5")
    with pytest.raises(ConfigError) as refused:
        load_config("be", registry=registry)
    assert refused.value.source == "env PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE"
    assert refused.value.value == 1.5 or str(refused.value.value) == "1.5"


def test_unknown_instance_lists_the_known_ones(configs: Path) -> None:
    with pytest.raises(ConfigError, match=re.escape("known instances: be, fr")):
        resolve("zz", configs)


def test_broken_toml_names_the_file(configs: Path, registry: PluginRegistry) -> None:
    (configs / "network.toml").write_text("[network\nname = 1")
    with pytest.raises(ConfigError, match=r"network\.toml: .*not valid TOML"):
        load_config("be", configs, registry)


def test_a_toml_float_is_refused_naming_the_string_to_write(
    configs: Path, registry: PluginRegistry
) -> None:
    edit(
        configs / "instances" / "fr.toml",
        'management_fee_rate = "0.085"',
        "management_fee_rate = 0.085",
    )
    with pytest.raises(ConfigError, match=r'write it as a string, "0\.085"') as refused:
        load_config("fr", configs, registry)
    assert refused.value.key == "instance.management_fee_rate"
    assert refused.value.source == str(configs / "instances" / "fr.toml")


def test_a_variable_is_read_as_typed_never_through_a_float(
    registry: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE", "0.12345678901234567891")
    config = load_config("fr", None, registry)
    assert config.instance.management_fee_rate == Decimal("0.12345678901234567891")


def test_office_enabling_an_installed_sector_is_accepted(
    configs: Path, registry: PluginRegistry
) -> None:
    edit(
        configs / "instances" / "fr.toml",
        'code = "lyo"\nname = "Lyon"\naddress = "8 rue Burdeau, 69001 Lyon"\nsectors = []',
        'code = "lyo"\nname = "Lyon"\naddress = "8 rue Burdeau, 69001 Lyon"\nsectors = ["couriers"]',
    )
    config = load_config("fr", configs, registry)
    assert {o.code: o.sectors for o in config.instance.offices}["lyo"] == ("couriers",)


def test_guarantee_rules_default_from_the_core_layer_and_are_set_per_instance(
    configs: Path, registry: PluginRegistry
) -> None:
    edit(
        configs / "instances" / "fr.toml",
        'share_of_fee_income = "0.20"',
        'share_of_fee_income = "0.20"\ncoverage_rate = "0.5"\nceiling_per_entity = "100"\n'
        'leverage = "7.5"',
    )
    be = load_config("be", configs, registry)
    fr = load_config("fr", configs, registry)
    assert be.instance.guarantee == GuaranteeRules(
        Decimal("0.80"), 60, Decimal("25000.00"), Decimal("10")
    )
    assert fr.instance.guarantee == GuaranteeRules(
        Decimal("0.5"), 60, Decimal("100.00"), Decimal("7.5")
    )
    assert fr.instance.guarantee_fund_share == Decimal("0.20")  # the table still merges
    assert fr.resolved.source_of("instance.guarantee_fund.max_days_overdue") == str(
        configs / "settings.toml"
    )
    assert fr.resolved.source_of("instance.guarantee_fund.ceiling_per_entity") == str(
        configs / "instances" / "fr.toml"
    )


def test_the_guarantee_ceiling_follows_the_currency_decimals(
    configs: Path, registry: PluginRegistry
) -> None:
    registry.add(CountryPlugin("is", "ISK"), name="is", kind=PluginKind.COUNTRY)
    iceland = (configs / "instances" / "be.toml").read_text()
    for old, new in (
        ('code = "be"', 'code = "is"'),
        ('country_plugin = "be"', 'country_plugin = "is"'),
        ('currency = "EUR"', 'currency = "ISK"'),
    ):
        iceland = iceland.replace(old, new, 1)
    path = configs / "instances" / "is.toml"
    path.write_text(iceland)
    # the core default "25000.00" is whole krónur: accepted, carried without decimals
    rules = load_config("is", configs, registry).instance.guarantee
    assert rules == GuaranteeRules(Decimal("0.80"), 60, Decimal("25000"))
    assert str(rules.ceiling_per_entity) == "25000"
    edit(
        path,
        'share_of_fee_income = "0.20"',
        'share_of_fee_income = "0.20"\nceiling_per_entity = "3750000.50"',
    )
    with pytest.raises(ConfigError) as refused:
        load_config("is", configs, registry)
    assert refused.value.source == str(path)
    assert refused.value.key == "instance.guarantee_fund.ceiling_per_entity"
    assert "more than 0 decimals for ISK" in refused.value.rule


def test_environment_overrides_a_guarantee_rule(
    configs: Path, registry: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_INSTANCE__GUARANTEE_FUND__MAX_DAYS_OVERDUE", "30")
    config = load_config("be", configs, registry)
    assert config.instance.guarantee.max_days_overdue == 30
    assert config.instance.guarantee_fund_share == Decimal("0.20")


def test_the_shipped_upload_limits_are_the_typed_defaults_and_a_deployment_sets_its_own(
    registry: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``configs/settings.toml`` and :class:`Limits` say the same (the code's defaults
    serve only contexts built without a configuration, as tests build them)."""
    assert load_config("be", registry=registry).limits == Limits()
    monkeypatch.setenv("PARTAGE_LIMITS__RECEIPT_BYTES", "2000")
    assert load_config("be", registry=registry).limits.receipt_bytes == 2000
