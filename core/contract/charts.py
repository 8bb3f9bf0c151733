"""Reading a chart of accounts from a plugin's data files.

Part of the public contract for plugins: a country keeps its chart as a CSV file
(``code,name,type,parent``) and its role mapping as a TOML table (``[roles]``, role =
account code), with the company law's rules on appropriating the result as dated
``[[appropriation]]`` tables (``since``, ``legal_reserve_rate``,
``legal_reserve_ceiling``, ``reserved_share_of_rest``, ``reference``), and returns
``read_chart(...)`` from ``partage_chart_of_accounts``.
"""

from __future__ import annotations

import csv
import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from partage.core.contract.accounting import (
    AccountType,
    AppropriationRule,
    ChartAccount,
    ChartOfAccounts,
    PostingRole,
)
from partage.core.contract.errors import PartageError


class ChartFileError(PartageError):
    """A chart data file breaks a rule; the message names the file, row and field."""


def read_chart(name: str, accounts_csv: Path, roles_toml: Path) -> ChartOfAccounts:
    """Read a chart: accounts from CSV (parents listed before children) and roles."""
    accounts: list[ChartAccount] = []
    seen: set[str] = set()
    with accounts_csv.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            where = f"{accounts_csv.name} row {number}"
            code, parent = row["code"].strip(), (row.get("parent") or "").strip() or None
            try:
                kind = AccountType(row["type"].strip())
            except ValueError:
                raise ChartFileError(
                    where,
                    f"type {row['type']!r} is not one of {', '.join(t.value for t in AccountType)}",
                ) from None
            if code in seen:
                raise ChartFileError(where, f"account {code} appears twice")
            if parent is not None and parent not in seen:
                raise ChartFileError(where, f"parent {parent} of {code} is not listed before it")
            seen.add(code)
            accounts.append(ChartAccount(code, row["name"].strip(), kind, parent))
    with roles_toml.open("rb") as handle:
        document = tomllib.load(handle)
    table = document.get("roles", {})
    roles = []
    for key, code in table.items():
        try:
            role = PostingRole(key)
        except ValueError:
            raise ChartFileError(roles_toml.name, f"{key!r} is not a posting role") from None
        if code not in seen:
            raise ChartFileError(roles_toml.name, f"role {key} maps to unknown account {code}")
        roles.append((role, str(code)))
    rules = tuple(
        _rule(roles_toml.name, number, raw)
        for number, raw in enumerate(document.get("appropriation", []), start=1)
    )
    if [r.since for r in rules] != sorted({r.since for r in rules}):
        raise ChartFileError(roles_toml.name, "appropriation rules must be in date order")
    return ChartOfAccounts(name, tuple(accounts), tuple(roles), rules)


def _rule(file: str, number: int, raw: dict[str, Any]) -> AppropriationRule:
    """One ``[[appropriation]]`` table: a date, three fractions and a legal source."""
    where = f"{file} appropriation {number}"
    since = raw.get("since")
    if not isinstance(since, date):
        raise ChartFileError(where, "since must be a date (YYYY-MM-DD)")
    if not str(raw.get("reference", "")).strip():
        raise ChartFileError(where, "reference must name the legal source")
    values = []
    for key in ("legal_reserve_rate", "legal_reserve_ceiling", "reserved_share_of_rest"):
        try:
            value = Decimal(str(raw[key]))
        except (KeyError, InvalidOperation):
            raise ChartFileError(where, f"{key} must be a number written as a string") from None
        if isinstance(raw[key], float) or value < 0:
            raise ChartFileError(where, f"{key} must be a non-negative decimal string")
        values.append(value)
    rate, ceiling, share = values
    return AppropriationRule(since, rate, ceiling, share, str(raw["reference"]).strip())
