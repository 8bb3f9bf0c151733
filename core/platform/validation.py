"""Validating the resolved settings into the typed configuration, before anything runs.

A :class:`SettingsReader` reads each value out of the merged layers as the type it must
be, and every refusal is a :class:`~partage.core.contract.errors.ConfigError` naming the
file the value came from, the key, the value and the rule. Rates and amounts become
``Decimal``; a TOML float is read through its literal text, never kept as a float.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from partage.core.contract.errors import ConfigError, PartageError
from partage.core.contract.money import (
    MoneyError,
    as_decimal,
    minor_exponent,
    round_money,
    to_minor,
)
from partage.core.platform.config import (
    CODE_PATTERN,
    SLUG_PATTERN,
    GuaranteeRules,
    InstanceConfig,
    OfficeConfig,
    PartageConfig,
    ResolvedSettings,
    ShareClass,
)
from partage.core.platform.issuer import read_issuer
from partage.core.platform.network_validation import validate_network

_MISSING = object()


class SettingsReader:
    """Reads typed values out of resolved settings, raising precise ``ConfigError``s."""

    def __init__(self, resolved: ResolvedSettings) -> None:
        self.resolved = resolved

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        node: Any = self.resolved.values
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", key):
            if part.startswith("["):
                index = int(part[1:-1])
                node = node[index] if isinstance(node, list) and index < len(node) else _MISSING
            else:
                node = node.get(part, _MISSING) if isinstance(node, Mapping) else _MISSING
            if node is _MISSING:
                break
        if node is _MISSING:
            if default is _MISSING:
                self.fail(key, None, "is required")
            return default
        return node

    def fail(self, key: str, value: Any, rule: str) -> NoReturn:
        raise ConfigError(self.resolved.source_of(key), key, value, rule)

    def text(self, key: str, pattern: re.Pattern[str] | None = None, rule: str = "") -> str:
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, value, "must be a non-empty text")
        if pattern is not None and not pattern.match(value):
            self.fail(key, value, rule)
        return value

    def choice(self, key: str, options: tuple[str, ...]) -> str:
        value = self.raw(key)
        if value not in options:
            self.fail(key, value, f"must be one of {', '.join(options)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.fail(key, value, "must be a list of texts")
        return tuple(value)

    def integer(self, key: str, low: int, high: int) -> int:
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(key, value, f"must be a whole number from {low} to {high}")
        return value

    def decimal(self, key: str) -> Decimal:
        value = self.raw(key)
        if isinstance(value, float):  # TOML float: its shortest repr is the literal typed
            value = repr(value)
        try:
            return as_decimal(value, field=key)
        except MoneyError:
            self.fail(key, value, 'must be a decimal number such as "0.065"')
        raise AssertionError  # unreachable: fail() raises

    def fraction(self, key: str, *, allow_one: bool = False, allow_zero: bool = True) -> Decimal:
        value = self.decimal(key)
        lower_ok = value >= 0 if allow_zero else value > 0
        upper_ok = value <= 1 if allow_one else value < 1
        if not (lower_ok and upper_ok):
            low = "0" if allow_zero else "0 excluded"
            high = "1" if allow_one else "1 excluded"
            self.fail(
                key,
                self.raw(key),
                f"must be a fraction from {low} to {high} (write 0.065 for 6.5 %)",
            )
        return value

    def amount(self, key: str, currency: str) -> Decimal:
        """A positive amount in ``currency``, with at most the currency's decimals."""
        value = self.decimal(key)
        try:
            to_minor(value, currency, field=key)
        except PartageError as exc:
            self.fail(key, self.raw(key), str(exc))
        if value <= 0:
            self.fail(key, self.raw(key), "must be a positive amount")
        return value


def _validate_instance(
    read: SettingsReader, countries: Mapping[str, str] | None, sectors: frozenset[str] | None
) -> InstanceConfig:
    code = read.text("instance.code", CODE_PATTERN, "must be a two-letter lower-case code")
    if code != read.resolved.instance:
        read.fail(
            "instance.code", code, f"must match the instance file's name '{read.resolved.instance}'"
        )
    plugin = read.text("instance.country_plugin")
    if countries is not None and plugin not in countries:
        known = ", ".join(sorted(countries)) or "none installed"
        read.fail("instance.country_plugin", plugin, f"unknown country plugin (installed: {known})")
    currency = _currency(read, plugin, countries)
    nominal = read.amount("instance.shares.nominal_value", currency)
    classes = _share_classes(read)
    offices = _offices(read, sectors)
    return InstanceConfig(
        code=code,
        name=read.text("instance.name"),
        legal_name=read.text("instance.legal_name"),
        country_plugin=plugin,
        currency=currency,
        languages=read.texts("instance.languages"),
        management_fee_rate=read.fraction("instance.management_fee_rate"),
        guarantee_fund_share=read.fraction(
            "instance.guarantee_fund.share_of_fee_income", allow_one=True
        ),
        share_nominal_value=nominal,
        share_classes=classes,
        offices=offices,
        management_fee_changes=_fee_changes(read),
        issuer=None
        if read.raw("instance.issuer", None) is None
        else read_issuer(read.raw("instance.issuer"), plugin, read.fail),
        guarantee=_guarantee_rules(read, currency),
    )


def _currency(read: SettingsReader, plugin: str, countries: Mapping[str, str] | None) -> str:
    """``instance.currency``: an ISO 4217 code, the one the country plugin keeps its
    books in."""
    currency = read.text(
        "instance.currency",
        re.compile(r"^[A-Z]{3}$"),
        "must be an ISO 4217 currency code such as EUR",
    )
    try:
        minor_exponent(currency)
    except MoneyError as exc:
        read.fail("instance.currency", currency, str(exc))
    if countries is not None and countries[plugin] != currency:
        read.fail(
            "instance.currency",
            currency,
            f"country plugin '{plugin}' keeps its books in {countries[plugin]}",
        )
    return currency


def _share_classes(read: SettingsReader) -> tuple[ShareClass, ...]:
    """``[instance.shares.classes]``: class A (workers) and class B at least."""
    classes_raw = read.raw("instance.shares.classes")
    if not isinstance(classes_raw, Mapping) or not {"A", "B"} <= set(classes_raw):
        read.fail(
            "instance.shares.classes",
            classes_raw,
            "must define class A (workers) and class B (staff, partners, clients)",
        )
    return tuple(
        ShareClass(
            name,
            read.text(f"instance.shares.classes.{name}.name"),
            read.integer(f"instance.shares.classes.{name}.minimum", 1, 10_000),
        )
        for name in sorted(classes_raw)
    )


def _offices(read: SettingsReader, sectors: frozenset[str] | None) -> tuple[OfficeConfig, ...]:
    """``[[instance.offices]]``: at least one, each code once, each sector installed."""
    offices_raw = read.raw("instance.offices")
    if not isinstance(offices_raw, list) or not offices_raw:
        read.fail("instance.offices", offices_raw, "must list at least one office")
    offices: list[OfficeConfig] = []
    for i in range(len(offices_raw)):
        key = f"instance.offices[{i}]"
        enabled = read.texts(f"{key}.sectors") if read.raw(f"{key}.sectors", []) else ()
        for sector in enabled:
            if sectors is not None and sector not in sectors:
                known = ", ".join(sorted(sectors)) or "none installed"
                read.fail(f"{key}.sectors", sector, f"unknown sector plugin (installed: {known})")
        office = OfficeConfig(
            code=read.text(
                f"{key}.code",
                SLUG_PATTERN,
                "must be a short code of lower-case letters, digits, '-' or '_'",
            ),
            name=read.text(f"{key}.name"),
            address=read.text(f"{key}.address"),
            sectors=enabled,
        )
        if any(o.code == office.code for o in offices):
            read.fail(f"{key}.code", office.code, "appears twice")
        offices.append(office)
    return tuple(offices)


#: Longest overdue period the guarantee may cover, in days (ten years): a bound that
#: keeps the cut-off date computable, far beyond any fund's policy.
MAX_DAYS_OVERDUE = 3650


def _guarantee_rules(read: SettingsReader, currency: str) -> GuaranteeRules:
    """``[instance.guarantee_fund]``: the coverage rules the general assembly voted."""
    key = "instance.guarantee_fund"
    return GuaranteeRules(
        coverage_rate=read.fraction(f"{key}.coverage_rate", allow_one=True, allow_zero=False),
        max_days_overdue=read.integer(f"{key}.max_days_overdue", 0, MAX_DAYS_OVERDUE),
        # carried at the currency's decimals, like the amounts it caps ("25000.00" in ISK
        # is 25000); read.amount refused any finer amount, so nothing is rounded away
        ceiling_per_entity=round_money(
            read.amount(f"{key}.ceiling_per_entity", currency), currency
        ),
    )


def _fee_changes(read: SettingsReader) -> tuple[tuple[date, Decimal], ...]:
    """``instance.management_fee_changes``: ``[{from = 2027-01-01, rate = "0.07"}]``."""
    raw = read.raw("instance.management_fee_changes", [])
    key = "instance.management_fee_changes"
    if not isinstance(raw, list):
        read.fail(key, raw, 'must be a list of {from = YYYY-MM-DD, rate = "0.07"}')
    changes = []
    for i, item in enumerate(raw):
        start = item.get("from") if isinstance(item, Mapping) else None
        if isinstance(start, str):
            try:
                start = date.fromisoformat(start)
            except ValueError:
                start = None
        if not isinstance(start, date):
            read.fail(f"{key}[{i}].from", item, "must be a date YYYY-MM-DD")
        changes.append((start, read.fraction(f"{key}[{i}].rate")))
    if [c[0] for c in changes] != sorted({c[0] for c in changes}):
        read.fail(key, raw, "dates must be strictly increasing")
    return tuple(changes)


def validate(
    resolved: ResolvedSettings,
    countries: Mapping[str, str] | None = None,
    sectors: frozenset[str] | None = None,
) -> PartageConfig:
    """Check every rule and return the typed configuration.

    :param countries: installed country plugins, code to currency; ``None`` skips the
        checks that need plugins.
    :param sectors: installed sector plugin names; ``None`` skips that check.
    """
    read = SettingsReader(resolved)
    url = read.text("database_url")
    instance = _validate_instance(read, countries, sectors)
    return PartageConfig(
        database_url=url,
        fiscal_year_start_month=read.integer("ledger.fiscal_year_start_month", 1, 12),
        instance=instance,
        network=validate_network(read, instance),
        resolved=resolved,
    )
