"""Reading a chart of accounts from a plugin's data files.

Part of the public contract for plugins: a country keeps its chart as a CSV file
(``code,name,type,parent``) and its role mapping as a TOML table (``[roles]``, role =
account code), and returns ``read_chart(...)`` from ``partage_chart_of_accounts``.
"""

from __future__ import annotations

import csv
import tomllib
from pathlib import Path

from partage.core.contract.accounting import AccountType, ChartAccount, ChartOfAccounts, PostingRole
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
        table = tomllib.load(handle).get("roles", {})
    roles = []
    for key, code in table.items():
        try:
            role = PostingRole(key)
        except ValueError:
            raise ChartFileError(roles_toml.name, f"{key!r} is not a posting role") from None
        if code not in seen:
            raise ChartFileError(roles_toml.name, f"role {key} maps to unknown account {code}")
        roles.append((role, str(code)))
    return ChartOfAccounts(name, tuple(accounts), tuple(roles))
