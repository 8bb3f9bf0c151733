"""The settings' rules and the reference generated from them: no shipped setting without
a rule that describes it, no rule for a setting nobody can give."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from partage.core.platform.config import default_config_dir
from partage.core.platform.registry import PluginRegistry
from partage.core.platform.runtime import load_config
from partage.core.platform.settings_reference import markdown, rows
from partage.core.platform.settings_rules import RULES

SHIPPED = default_config_dir()
SHIPPED_FILES = sorted(SHIPPED.rglob("*.toml"))

#: Every optional setting the shipped files leave out, in an instance file and a
#: franchisor's contract that Partage accepts.
OPTIONAL_INSTANCE = """
[instance]
management_fee_changes = [{from = 2027-01-01, rate = "0.07"}]
internal_fee_rate = "0.02"
numbering = "entity"

[instance.brand]
local_name_suffix = "Belgique - België"
secondary_colour = "#003399"
languages = ["fr", "nl"]
legal_mentions = ["SC agréée CNC"]
"""
OPTIONAL_NETWORK = """
[network.brand]
franchisee_may_change = ["name", "primary_colour", "secondary_colour", "logo", "values",
    "local_name_suffix", "languages", "legal_mentions"]
franchisee_must_keep = []

[network.franchise_fee]
basis = "flat"
amount = "1500.00"
currency = "EUR"

[[network.franchise_fee.changes]]
from = 2027-01-01
basis = "invoiced_volume"
rate = "0.004"
period = "year"

[[network.franchise_fee.changes]]
from = 2028-01-01
basis = "flat"
amount = "1800.00"
currency = "EUR"

[[network.franchisees]]
code = "be"
legal_name = "Partage Belgique SC"
country = "BE"
contact = "Network desk <network@partage.be>"
since = 2026-01-01
role = "Runs the Belgian instance."
"""
OPTIONAL_BRAND = """
[instance.brand]
name = "Partagé"
primary_colour = "#00FF00"
logo = "logo.svg"
values = ["autonomy"]
"""


@pytest.fixture(autouse=True)
def no_partage_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in [n for n in os.environ if n.startswith("PARTAGE_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def keys(data: Any, prefix: str = "") -> Iterator[tuple[str, bool]]:
    """Every key under ``data`` as ``(dotted key, is a value)``: tables and lists of
    tables are walked (``offices[0].code``), and are keys themselves."""
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            yield key, False
            yield from keys(value, key + ".")
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            yield key, True
            for i, item in enumerate(value):
                yield from keys(item, f"{key}[{i}].")
        else:
            yield key, True


def matcher(pattern: str) -> re.Pattern[str]:
    """A rule's key as a pattern of concrete keys: ``[]`` any index, ``<x>`` any name."""
    text = re.escape(pattern).replace(r"\[\]", r"\[\d+\]")
    return re.compile("^" + re.sub(r"<[^>]+>", r"[^.]+", text) + "$")


MATCHERS = {rule.key: matcher(rule.key) for rule in RULES}


def described(key: str) -> list[str]:
    return [rule for rule, pattern in MATCHERS.items() if pattern.match(key)]


def shipped_keys() -> set[tuple[str, bool]]:
    found: set[tuple[str, bool]] = set()
    for path in SHIPPED_FILES:
        found |= set(keys(tomllib.loads(path.read_text())))
    return found


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: str(p.relative_to(SHIPPED)))
def test_every_shipped_setting_is_described_by_a_rule(path: Path) -> None:
    undescribed = [
        key
        for key, is_value in keys(tomllib.loads(path.read_text()))
        if is_value and not described(key)
    ]
    assert undescribed == []


def test_every_rule_describes_a_setting_shipped_or_optional() -> None:
    """Each rule matches a key of the shipped files or of the optional settings above
    (which the next test proves accepted): no rule for a setting nobody can give."""
    given = shipped_keys()
    for text in (OPTIONAL_INSTANCE, OPTIONAL_NETWORK, OPTIONAL_BRAND):
        given |= set(keys(tomllib.loads(text)))
    unused = [rule.key for rule in RULES if not any(MATCHERS[rule.key].match(k) for k, _ in given)]
    assert unused == []


def test_the_optional_settings_are_accepted(tmp_path: Path, registry: PluginRegistry) -> None:
    deployment = tmp_path / "deployment"
    (deployment / "instances").mkdir(parents=True)
    instance = (SHIPPED / "instances" / "be.toml").read_text()
    instance = instance.replace(
        'management_fee_rate = "0.065"\n',
        'management_fee_rate = "0.065"\n'
        'management_fee_changes = [{from = 2027-01-01, rate = "0.07"}]\n',
    )
    brand = OPTIONAL_INSTANCE.partition("[instance.brand]")[2]
    (deployment / "instances" / "be.toml").write_text(f"{instance}\n[instance.brand]{brand}")
    (deployment / "network.toml").write_text(OPTIONAL_NETWORK)
    config = load_config("be", deployment, registry)
    assert config.instance.management_fee_changes == ((date(2027, 1, 1), Decimal("0.07")),)
    assert dict(config.network.brand_adaptations)["legal_mentions"] == ["SC agréée CNC"]
    fee = config.network.franchise_fee
    assert (fee.basis, str(fee.amount), fee.currency, len(fee.changes)) == (
        "flat",
        "1500.00",
        "EUR",
        2,
    )
    party = config.network.franchisee("be")
    assert (party.contact, party.since) == ("Network desk <network@partage.be>", date(2026, 1, 1))
    (deployment / "instances" / "be.toml").write_text(f"{instance}{OPTIONAL_BRAND}")
    adapted = dict(load_config("be", deployment, registry).network.brand_adaptations)
    assert adapted["name"] == "Partagé" and adapted["logo"] == "logo.svg"


def test_the_reference_has_a_row_per_rule_with_its_description_default_and_layer() -> None:
    table = rows()
    assert [row.key for row in table] == [rule.key for rule in RULES]
    assert all(row.description and row.rule for row in table)
    by_key = {row.key: row for row in table}
    assert by_key["database_url"][2:4] == ('"sqlite:///partage.db"', "settings.toml")
    assert by_key["instance.guarantee_fund.max_days_overdue"][2:4] == ("60", "settings.toml")
    assert by_key["network.franchise_fee.period"][2:4] == ('"quarter"', "network.toml")
    assert by_key["instance.management_fee_rate"][2:4] == ("", "instances/<code>.toml")
    assert by_key["instance.issuer"].rule.endswith("; optional")
    assert by_key["network.franchise_fee.currency"].rule.endswith("required when basis is flat")


def test_the_markdown_reference_lists_every_setting_once() -> None:
    text = markdown()
    lines = text.splitlines()
    assert lines[0].startswith("| Setting |") and len(lines) == len(RULES) + 2
    for rule in RULES:
        assert sum(line.startswith(f"| `{rule.key}` |") for line in lines) == 1
    # a tag-like <code> reads as HTML outside code: escaped in prose, kept in code
    assert "`instances/<code>.toml`" in text and "instances/&lt;code>.toml." in text
