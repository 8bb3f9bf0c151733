"""The social-franchise contract (configs/network.toml): parties, roles, brand rules,
franchise fee with dated changes, tools — validated, and the brand rules enforced on an
instance's own layers, each refusal naming the file, the key, the value and the rule."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from partage.core.cli.main import exit_status, main
from partage.core.contract.errors import ConfigError
from partage.core.platform.network import UnknownFranchisee
from partage.core.platform.registry import PluginRegistry
from partage.core.platform.runtime import load_config


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text() + "\n" + text)


@pytest.fixture(autouse=True)
def no_partage_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment's PARTAGE_* variables are a layer: each test sets its own."""
    for name in [n for n in os.environ if n.startswith("PARTAGE_")]:
        monkeypatch.delenv(name)


def refused(configs: Path | None, registry: PluginRegistry) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config("be", configs, registry)
    assert exit_status(caught.value) == 2
    return caught.value


def test_the_shipped_contract_names_parties_roles_brand_fee_and_tools(
    registry: PluginRegistry,
) -> None:
    network = load_config("be", registry=registry).network
    assert network.franchisor.legal_name == "Partage SC"
    assert network.franchisor.country == "BE"
    assert "brand" in network.franchisor.role
    assert [(p.code, p.country) for p in network.franchisees] == [("be", "BE"), ("fr", "FR")]
    assert network.franchisor.vat_number == "BE0876543270"
    assert [p.vat_number for p in network.franchisees] == ["BE0403019261", "FR44732829320"]
    assert network.franchisee("fr").legal_name == "Partage France SCIC SA"
    assert "logo" in network.brand_must_keep and "local_name_suffix" in network.brand_may_change
    fee = network.franchise_fee
    assert (fee.basis, fee.rate, fee.period, fee.changes) == (
        "fee_income",
        Decimal("0.05"),
        "quarter",
        (),
    )
    assert "training" in network.tools
    assert network.reporting_schema_version == "1.0"
    assert network.brand()["name"] == "Partage"


def test_an_instance_outside_the_contract_is_an_unknown_franchisee(
    registry: PluginRegistry,
) -> None:
    network = load_config("be", registry=registry).network
    with pytest.raises(UnknownFranchisee, match=r"instance 'zz' is not a franchisee .*be, fr"):
        network.franchisee("zz")


def test_dated_fee_changes_apply_from_their_first_day(
    configs: Path, registry: PluginRegistry
) -> None:
    append(
        configs / "network.toml",
        '[[network.franchise_fee.changes]]\nfrom = 2027-01-01\nbasis = "invoiced_volume"\n'
        'rate = "0.004"\n\n[[network.franchise_fee.changes]]\nfrom = 2028-01-01\n'
        'basis = "flat"\namount = "1500.00"\ncurrency = "EUR"\nperiod = "year"\n',
    )
    fee = load_config("be", configs, registry).network.franchise_fee
    assert fee.terms_on(date(2026, 12, 31)).rate == Decimal("0.05")
    later = fee.terms_on(date(2027, 1, 1))
    assert (later.basis, later.rate, later.period) == (
        "invoiced_volume",
        Decimal("0.004"),
        "quarter",
    )
    flat = fee.terms_on(date(2030, 6, 1))
    assert (flat.basis, flat.amount, flat.currency, flat.period) == (
        "flat",
        Decimal("1500.00"),
        "EUR",
        "year",
    )


BAD_CONTRACTS = [
    (
        'basis = "fee_income"',
        'basis = "royalties"',
        "network.franchise_fee.basis",
        "must be one of fee_income, invoiced_volume, flat",
    ),
    ('rate = "0.05"', 'rate = "-0.05"', "network.franchise_fee.rate", "must be a fraction from 0"),
    ('rate = "0.05"', 'rate = "1.2"', "network.franchise_fee.rate", "must be a fraction from 0"),
    (
        'period = "quarter"',
        'period = "week"',
        "network.franchise_fee.period",
        "must be one of month, quarter, half-year, year",
    ),
    (
        'basis = "fee_income"\nrate = "0.05"',
        'basis = "flat"\namount = "900.00"',
        "network.franchise_fee.currency",
        "is required",
    ),
    (
        'basis = "fee_income"\nrate = "0.05"',
        'basis = "flat"\namount = "900.001"\ncurrency = "EUR"',
        "network.franchise_fee.amount",
        "more than 2 decimals",
    ),
    (
        'basis = "fee_income"\nrate = "0.05"',
        'basis = "flat"\namount = "-1"\ncurrency = "EUR"',
        "network.franchise_fee.amount",
        "must not be negative",
    ),
    ('code = "fr"', 'code = "be"', "network.franchisees[1].code", "appears twice"),
    (
        'vat_number = "BE0876543270"',
        'vat_number = "BE0876543271"',
        "network.franchisor.vat_number",
        "must be a valid EU VAT number of BE",
    ),
    (
        'vat_number = "BE0876543270"',
        'vat_number = "FR44732829320"',
        "network.franchisor.vat_number",
        "must be a valid EU VAT number of BE (BE then the national number",
    ),
    (
        'vat_number = "BE0876543270"',
        'vat_number = "US-123"',
        "network.franchisor.vat_number",
        "must be a valid EU VAT number of BE",
    ),
    (
        'vat_number = "BE0876543270"',
        "vat_number = 876543270",
        "network.franchisor.vat_number",
        "must be a non-empty text",
    ),
    (
        'vat_number = "FR44732829320"',
        'vat_number = "FR00732829320"',
        "network.franchisees[1].vat_number",
        "must be a valid EU VAT number of FR",
    ),
    (
        'vat_number = "BE0403019261"',
        'vat_number = "BE0202239951"',
        "network.franchisees[0].vat_number",
        "must match instance.issuer.vat_number 'BE0403019261'",
    ),
    ('code = "fr"', 'code = "FRA"', "network.franchisees[1].code", "two-letter lower-case code"),
    ('country = "FR"', 'country = "France"', "network.franchisees[1].country", "ISO 3166 alpha-2"),
    (
        'legal_name = "Partage Belgique SC"',
        'legal_name = "Partage Wallonie SC"',
        "network.franchisees[0].legal_name",
        "must match instance.legal_name 'Partage Belgique SC'",
    ),
    (
        '"legal_mentions"]',
        '"legal_mentions", "mascot"]',
        "network.brand.franchisee_may_change",
        "unknown brand element",
    ),
    (
        '"legal_mentions"]',
        '"legal_mentions", "logo"]',
        "network.brand.franchisee_may_change",
        "also in franchisee_must_keep",
    ),
    (
        'schema_version = "1.0"',
        'schema_version = "2.0"',
        "network.reporting.schema_version",
        "writes network reports in version 1.0",
    ),
    (
        '"training", "hotline"]',
        '"training", "hotline", "training"]',
        "network.tools.provided",
        "appears twice",
    ),
]


@pytest.mark.parametrize(("old", "new", "key", "rule"), BAD_CONTRACTS)
def test_a_bad_contract_is_refused_naming_file_key_and_rule(
    configs: Path, registry: PluginRegistry, old: str, new: str, key: str, rule: str
) -> None:
    edit(configs / "network.toml", old, new)
    error = refused(configs, registry)
    assert (error.source, error.key) == (str(configs / "network.toml"), key)
    assert rule in error.rule


@pytest.mark.parametrize(
    ("change", "key", "rule"),
    [
        (
            'from = 2027-02-01\nbasis = "fee_income"\nrate = "0.06"',
            "network.franchise_fee.changes[0].from",
            "must be the first day of a quarter",
        ),
        (
            'from = "soon"\nbasis = "fee_income"\nrate = "0.06"',
            "network.franchise_fee.changes[0].from",
            "must be a date",
        ),
        (
            'from = 2027-01-01\nbasis = "fee_income"\nrate = "-0.01"',
            "network.franchise_fee.changes[0].rate",
            "must be a fraction",
        ),
        (
            'from = 2027-01-01\nbasis = "tithe"',
            "network.franchise_fee.changes[0].basis",
            "must be one of",
        ),
    ],
)
def test_a_bad_dated_change_is_refused(
    configs: Path, registry: PluginRegistry, change: str, key: str, rule: str
) -> None:
    append(configs / "network.toml", f"[[network.franchise_fee.changes]]\n{change}\n")
    error = refused(configs, registry)
    assert error.key == key and rule in error.rule


def test_vat_numbers_are_optional_kept_compact_and_free_in_form_outside_the_eu(
    configs: Path, registry: PluginRegistry
) -> None:
    network_file = configs / "network.toml"
    edit(network_file, 'vat_number = "BE0403019261"', 'vat_number = "be 0403.019.261"')
    edit(network_file, 'vat_number = "FR44732829320"\n', "")
    network = load_config("be", configs, registry).network
    assert [p.vat_number for p in network.franchisees] == ["BE0403019261", None]

    edit(network_file, 'country = "BE"', 'country = "CH"')
    edit(network_file, 'vat_number = "BE0876543270"', 'vat_number = "CHE123456789MWST"')
    franchisor = load_config("be", configs, registry).network.franchisor
    assert (franchisor.country, franchisor.vat_number) == ("CH", "CHE123456789MWST")

    edit(network_file, 'vat_number = "CHE123456789MWST"', 'vat_number = "CHE-123.456.789 MWST"')
    error = refused(configs, registry)
    assert error.key == "network.franchisor.vat_number"
    assert "letters and digits only" in error.rule


def test_changes_must_come_in_date_order(configs: Path, registry: PluginRegistry) -> None:
    append(
        configs / "network.toml",
        '[[network.franchise_fee.changes]]\nfrom = 2028-01-01\nbasis = "fee_income"\nrate = "0.06"\n\n'
        '[[network.franchise_fee.changes]]\nfrom = 2027-01-01\nbasis = "fee_income"\nrate = "0.07"\n',
    )
    error = refused(configs, registry)
    assert error.key == "network.franchise_fee.changes[1].from"
    assert "strictly increasing" in error.rule


# --- brand rules on the instance's own layers -------------------------------------------
def test_an_instance_adapts_what_it_may_change(configs: Path, registry: PluginRegistry) -> None:
    append(
        configs / "instances" / "be.toml",
        '[instance.brand]\nlocal_name_suffix = "Belgique - België"\nsecondary_colour = "#003399"\n'
        'legal_mentions = ["SC agréée CNC"]\n',
    )
    network = load_config("be", configs, registry).network
    assert dict(network.brand_adaptations) == {
        "legal_mentions": ["SC agréée CNC"],
        "local_name_suffix": "Belgique - België",
        "secondary_colour": "#003399",
    }
    brand = network.brand()
    assert (brand["name"], brand["primary_colour"], brand["secondary_colour"]) == (
        "Partage",
        "#E4003A",
        "#003399",
    )


@pytest.mark.parametrize(
    ("table", "key", "rule"),
    [
        (
            '[instance.brand]\nprimary_colour = "#00FF00"',
            "instance.brand.primary_colour",
            "brand element 'primary_colour' is one a franchisee must keep",
        ),
        ('[instance.brand]\nname = "Partagé"', "instance.brand.name", "must keep"),
        (
            '[instance.brand]\nslogan = "Together"',
            "instance.brand.slogan",
            "not a brand element a franchisee may change",
        ),
        (
            '[instance.brand]\nsecondary_colour = "navy"',
            "instance.brand.secondary_colour",
            "must be a colour",
        ),
        (
            '[network.brand]\nprimary_colour = "#00FF00"',
            "network.brand.primary_colour",
            "must keep (network.brand.franchisee_must_keep); only network.toml sets it",
        ),
        (
            '[network.franchise_fee]\nrate = "0.01"',
            "network.franchise_fee.rate",
            "a term of the franchise contract: only network.toml sets it",
        ),
        (
            '[network.brand]\nfranchisee_may_change = ["primary_colour"]',
            "network.brand.franchisee_may_change",
            "a term of the franchise contract",
        ),
    ],
)
def test_an_instance_file_overriding_what_it_must_keep_is_refused(
    configs: Path, registry: PluginRegistry, table: str, key: str, rule: str
) -> None:
    append(configs / "instances" / "be.toml", table + "\n")
    error = refused(configs, registry)
    assert (error.source, error.key) == (str(configs / "instances" / "be.toml"), key)
    assert rule in error.rule


def test_an_instance_may_set_a_brand_element_it_may_change_in_the_network_table(
    configs: Path, registry: PluginRegistry
) -> None:
    append(configs / "instances" / "be.toml", '[network.brand]\nsecondary_colour = "#003399"\n')
    network = load_config("be", configs, registry).network
    assert network.brand_colours == ("#E4003A", "#003399")


def test_an_environment_override_of_the_contract_is_blamed_on_the_variable(
    registry: PluginRegistry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_NETWORK__FRANCHISE_FEE__RATE", "0.01")
    error = refused(None, registry)
    assert error.source == "env PARTAGE_NETWORK__FRANCHISE_FEE__RATE"
    assert error.key == "network.franchise_fee.rate"


def test_config_check_refuses_an_instance_overriding_a_kept_brand_key(
    configs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in list(os.environ):
        if name.startswith("PARTAGE_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    append(configs / "instances" / "fr.toml", '[network.brand]\nprimary_colour = "#0055A4"\n')
    with pytest.raises(SystemExit) as exit_:
        main(["--config-dir", str(configs), "--instance", "fr", "config", "check"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"partage: error: {configs / 'instances' / 'fr.toml'}: ")
    assert "network.brand.primary_colour = '#0055A4'" in err
    assert "franchisee must keep" in err
    with pytest.raises(SystemExit) as exit_:
        main(["--config-dir", str(configs), "--instance", "be", "config", "check"])
    assert exit_.value.code == 0
    assert "configuration of instance be is valid" in capsys.readouterr().out
