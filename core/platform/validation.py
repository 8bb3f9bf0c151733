"""Validating the resolved settings into the typed configuration, before anything runs.

First every rule of :data:`.settings_rules.RULES` (a dynaconf ``Validator`` per setting)
runs on every table it applies to; then the functions here check what no rule of one
key can (a code that must match its file's name, plugins that must be installed,
amounts in the instance's currency, dates in order), and
:mod:`.network_validation` checks the contract. Every refusal is a
:class:`~partage.core.contract.errors.ConfigError` naming the layer the value came
from, the key, the value and the rule. Rates and amounts become ``Decimal``; a TOML
float is read through its literal text, never kept as a float.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from partage.core.contract.errors import ConfigError, PartageError
from partage.core.contract.money import round_money, to_minor
from partage.core.platform.config import (
    DateRules,
    GuaranteeRules,
    InstanceConfig,
    OfficeConfig,
    PartageConfig,
    RedemptionRules,
    ReminderRules,
    ResolvedSettings,
    ShareClass,
)
from partage.core.platform.einvoicing_settings import EInvoicingSettings, Provider
from partage.core.platform.issuer import read_issuer
from partage.core.platform.limits import Limits
from partage.core.platform.mail.settings import EmailSettings
from partage.core.platform.network_validation import validate_network
from partage.core.platform.registries import REGISTRIES, Registries, RegistrySettings
from partage.core.platform.settings_engine import ValidationError
from partage.core.platform.settings_rules import RULES

_MISSING = object()
#: The tables a rule may be absent with (``instance.issuer``): the rules under them
#: apply only where they are present.
_OPTIONAL = frozenset(rule.key for rule in RULES if not rule.required)


def _tables(values: Mapping[str, Any], pattern: str) -> list[tuple[str, Any]]:
    """Each table ``pattern`` names, as ``(its key, the table)``: ``[]`` walks the items
    of a list of tables, ``<name>`` the entries of a table. A missing table counts as
    empty, so that a key it must hold is reported missing, unless it is optional."""
    places: list[tuple[str, Any]] = [("", values)]
    walked = ""
    for part in pattern.split(".") if pattern else []:
        walked = f"{walked}.{part}" if walked else part
        found: list[tuple[str, Any]] = []
        for path, node in places:
            if not isinstance(node, Mapping):
                continue
            prefix = f"{path}." if path else ""
            if part.startswith("<"):
                found += [(prefix + str(k), v) for k, v in node.items() if isinstance(v, Mapping)]
            elif part.endswith("[]"):
                items = node.get(part[:-2])
                if isinstance(items, list):
                    found += [
                        (f"{prefix}{part[:-2]}[{i}]", item)
                        for i, item in enumerate(items)
                        if isinstance(item, Mapping)
                    ]
            elif part in node:
                found.append((prefix + part, node[part]))
            elif walked not in _OPTIONAL:
                found.append((prefix + part, {}))
        places = found
    return places


class Checked:
    """The resolved settings once every rule passed: the typed value of each key, and the
    refusal the checks across keys use.

    Attributes:
        resolved: the merged settings and their sources.
        typed: concrete key (``instance.offices[0].code``) to the value its rule gave
            (a ``Decimal`` rate, a ``date``), for every key present.
    """

    def __init__(self, resolved: ResolvedSettings) -> None:
        self.resolved = resolved
        self.typed: dict[str, Any] = {}
        for rule in RULES:
            self._check(rule)

    def _check(self, rule: Any) -> None:
        """Run one rule on every table it applies to."""
        wildcard = rule.leaf.startswith("<")
        for path, found in _tables(self.resolved.values, rule.table):
            table = found if isinstance(found, Mapping) else {}
            for name in list(table) if wildcard else [rule.leaf]:
                key = f"{path}.{name}" if path else name
                data = {rule.leaf: table[name]} if wildcard else dict(table)
                try:
                    rule.validate(data)
                except ValidationError as refusal:
                    self.fail(key, table.get(name), refusal.message)
                if rule.leaf in data:
                    self.typed[key] = data[rule.leaf]

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        """The merged value of ``key`` (``instance.offices[0].code``) as loaded."""
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

    def __getitem__(self, key: str) -> Any:
        """The checked value of ``key``: typed by its rule when it has one."""
        return self.typed[key] if key in self.typed else self.raw(key)

    def get(self, key: str, default: Any = None) -> Any:
        """The checked value of ``key``, or ``default`` when the layers do not give it."""
        return self.typed[key] if key in self.typed else self.raw(key, default)

    def fail(self, key: str, value: Any, rule: str) -> NoReturn:
        """Refuse ``key``, naming the layer its value (or its table) came from."""
        raise ConfigError(self.resolved.source_of(key), key, value, rule)

    def amount(self, key: str, currency: str) -> Decimal:
        """A checked amount with at most ``currency``'s decimals."""
        value: Decimal = self[key]
        try:
            to_minor(value, currency, field=key)
        except PartageError as exc:
            self.fail(key, self.raw(key), str(exc))
        return value


def _validate_instance(
    read: Checked, countries: Mapping[str, str] | None, sectors: frozenset[str] | None
) -> InstanceConfig:
    code = read["instance.code"]
    if code != read.resolved.instance:
        read.fail(
            "instance.code", code, f"must match the instance file's name '{read.resolved.instance}'"
        )
    plugin = read["instance.country_plugin"]
    if countries is not None and plugin not in countries:
        known = ", ".join(sorted(countries)) or "none installed"
        read.fail("instance.country_plugin", plugin, f"unknown country plugin (installed: {known})")
    currency = read["instance.currency"]
    if countries is not None and countries[plugin] != currency:
        read.fail(
            "instance.currency",
            currency,
            f"country plugin '{plugin}' keeps its books in {countries[plugin]}",
        )
    issuer = read.get("instance.issuer")
    return InstanceConfig(
        code=code,
        name=read["instance.name"],
        legal_name=read["instance.legal_name"],
        country_plugin=plugin,
        currency=currency,
        languages=tuple(read["instance.languages"]),
        management_fee_rate=read["instance.management_fee_rate"],
        guarantee_fund_share=read["instance.guarantee_fund.share_of_fee_income"],
        share_nominal_value=read.amount("instance.shares.nominal_value", currency),
        share_classes=tuple(
            ShareClass(
                name,
                read[f"instance.shares.classes.{name}.name"],
                read[f"instance.shares.classes.{name}.minimum"],
            )
            for name in sorted(read["instance.shares.classes"])
        ),
        offices=_offices(read, sectors),
        management_fee_changes=_fee_changes(read),
        issuer=None if issuer is None else read_issuer(issuer, plugin, read.fail),
        guarantee=_guarantee_rules(read, currency),
        dates=DateRules(
            days_back=read["instance.act_dates.days_back"],
            days_ahead=read["instance.act_dates.days_ahead"],
            max_payment_term_days=read["instance.act_dates.max_payment_term_days"],
        ),
        appeal_body=read["instance.membership.appeal_body"],
        internal_fee_rate=read.get("instance.internal_fee_rate", Decimal(0)),
        vat_on_debits=read.get("instance.vat_on_debits", False),
        numbering=read.get("instance.numbering", "instance"),
        reminders=_reminder_rules(read),
        redemption=RedemptionRules(
            min_months_held=read["instance.shares.redemption.min_months_held"],
            yearly_limit=read["instance.shares.redemption.yearly_limit"],
            board_approval=read["instance.shares.redemption.board_approval"],
        ),
    )


def _offices(read: Checked, sectors: frozenset[str] | None) -> tuple[OfficeConfig, ...]:
    """``[[instance.offices]]``: each code once, each sector installed."""
    offices: list[OfficeConfig] = []
    for i in range(len(read["instance.offices"])):
        key = f"instance.offices[{i}]"
        enabled = tuple(read.get(f"{key}.sectors", ()))
        for sector in enabled:
            if sectors is not None and sector not in sectors:
                known = ", ".join(sorted(sectors)) or "none installed"
                read.fail(f"{key}.sectors", sector, f"unknown sector plugin (installed: {known})")
        office = OfficeConfig(
            code=read[f"{key}.code"],
            name=read[f"{key}.name"],
            address=read[f"{key}.address"],
            sectors=enabled,
            payroll_authority=read.get(f"{key}.payroll_authority"),
        )
        if any(o.code == office.code for o in offices):
            read.fail(f"{key}.code", office.code, "appears twice")
        offices.append(office)
    return tuple(offices)


def _guarantee_rules(read: Checked, currency: str) -> GuaranteeRules:
    """``[instance.guarantee_fund]``: the coverage rules the general assembly voted."""
    key = "instance.guarantee_fund"
    return GuaranteeRules(
        coverage_rate=read[f"{key}.coverage_rate"],
        max_days_overdue=read[f"{key}.max_days_overdue"],
        # carried at the currency's decimals, like the amounts it caps ("25000.00" in ISK
        # is 25000); read.amount refused any finer amount, so nothing is rounded away
        ceiling_per_entity=round_money(
            read.amount(f"{key}.ceiling_per_entity", currency), currency
        ),
        leverage=read[f"{key}.leverage"],
    )


def _reminder_rules(read: Checked) -> ReminderRules:
    """``[instance.reminders]``: each step later than the one before."""
    key = "instance.reminders"
    rules = ReminderRules(
        friendly_days=read[f"{key}.friendly_days"],
        second_days=read[f"{key}.second_days"],
        formal_notice_days=read[f"{key}.formal_notice_days"],
        charge_by_default=read[f"{key}.charge_by_default"],
    )
    for (_, before), (name, days) in zip(rules.steps, rules.steps[1:], strict=False):
        if days <= before:
            read.fail(f"{key}.{name}_days", days, f"must be later than {before} days")
    return rules


def _fee_changes(read: Checked) -> tuple[tuple[date, Decimal], ...]:
    """``instance.management_fee_changes``: ``[{from = 2027-01-01, rate = "0.07"}]``."""
    key = "instance.management_fee_changes"
    raw = read.get(key, [])
    changes = [(read[f"{key}[{i}].from"], read[f"{key}[{i}].rate"]) for i in range(len(raw))]
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
    read = Checked(resolved)
    instance = _validate_instance(read, countries, sectors)
    return PartageConfig(
        database_url=read["database_url"],
        fiscal_year_start_month=read["ledger.fiscal_year_start_month"],
        instance=instance,
        network=validate_network(read, instance),
        resolved=resolved,
        limits=Limits(
            einvoice_bytes=read["limits.einvoice_bytes"],
            einvoice_xml_bytes=read["limits.einvoice_xml_bytes"],
            receipt_bytes=read["limits.receipt_bytes"],
            statement_bytes=read["limits.statement_bytes"],
            report_bytes=read["limits.report_bytes"],
        ),
        email=_email(read),
        einvoicing=_einvoicing(read),
        registries=_registries(read),
    )


def _einvoicing(read: Checked) -> EInvoicingSettings:
    """``[einvoicing]``; each provider's token comes from the variable it names."""

    def provider(net: str) -> Provider:
        variable = read[f"einvoicing.{net}.token_env"]
        return Provider(
            name=read[f"einvoicing.{net}.provider"],
            api=read[f"einvoicing.{net}.api"],
            base_url=read[f"einvoicing.{net}.base_url"],
            token=os.environ.get(variable, "") if variable else "",
            sender_id=read[f"einvoicing.{net}.sender_id"],
        )

    return EInvoicingSettings(
        company_size=read["einvoicing.company_size"],
        peppol=provider("peppol"),
        platform=provider("platform"),
        max_attempts=read["einvoicing.max_attempts"],
        first_retry_seconds=read["einvoicing.first_retry_seconds"],
        timeout_seconds=read["einvoicing.timeout_seconds"],
    )


def _registries(read: Checked) -> Registries:
    """``[registries.<name>]``; each token comes from the environment variable it names."""
    found = {}
    for name in REGISTRIES:
        key = f"registries.{name}"
        if read.get(key) is None:
            continue
        variable = read[f"{key}.token_env"]
        found[name] = RegistrySettings(
            name=name,
            enabled=read[f"{key}.enabled"],
            base_url=str(read[f"{key}.base_url"]).rstrip("/"),
            timeout_seconds=float(read[f"{key}.timeout_seconds"]),
            token=os.environ.get(variable, "") if variable else "",
        )
    return Registries(found)


def _email(read: Checked) -> EmailSettings:
    """``[email]``; the password comes from the environment variable it names."""
    variable = read["email.password_env"]
    return EmailSettings(
        backend=read["email.backend"],
        sender=read["email.sender"],
        host=read["email.host"],
        port=read["email.port"],
        security=read["email.security"],
        username=read["email.username"],
        password=os.environ.get(variable, "") if variable else "",
        timeout_seconds=read["email.timeout_seconds"],
        folder=read["email.folder"],
        max_attempts=read["email.max_attempts"],
        first_retry_seconds=read["email.first_retry_seconds"],
        worker_in_process=read["email.worker_in_process"],
        password_reset_minutes=read["email.password_reset_minutes"],
        invitation_days=read["email.invitation_days"],
    )
