"""Adding a national partner to the network contract (``[[network.franchisees]]``).

The contract lives in the franchisor's deployment configs folder (``--config-dir``, else
``PARTAGE_CONFIG_DIR``, else ``./configs``), layered over the one shipped inside Partage,
which no command writes to. A later layer replaces a list whole, so the deployment's
file must list every franchisee: when it has no list yet, the shipped one is copied
into it before the new partner is appended; when it has no file yet, the shipped
contract is copied whole, comments included.

The file is edited with tomlkit, which keeps its comments and layout. The edited
contract is validated exactly as every run validates it (:func:`validate` over the
resolved layers) before anything is written: a duplicate code, a country ISO 3166 does
not know, a VAT number that fails its check digits, a date that is not one are refused
with the file, the key, the value and the rule, and the file is left as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.items import AoT, Table

from partage.core.contract.errors import ConfigError
from partage.core.platform.config import default_config_dir, resolve, writable_config_dir
from partage.core.platform.network import NetworkConfig
from partage.core.platform.validation import validate

CONTRACT = "network.toml"


@dataclass(frozen=True)
class NewFranchisee:
    """A national partner to add, as the franchisor gives it.

    Attributes:
        code: the code of the instance it runs (``pt``), which its reports carry.
        legal_name: its registered name.
        country: ISO 3166 alpha-2 code, upper case.
        role: its commitments under the contract, in words.
        vat_number: its VAT number, if given.
        contact: who answers the franchisor there, if given.
        since: its first day in the network, if given.
    """

    code: str
    legal_name: str
    country: str
    role: str
    vat_number: str | None = None
    contact: str | None = None
    since: date | None = None

    def table(self) -> Table:
        """The ``[[network.franchisees]]`` entry, keys in the contract's order."""
        entry = tomlkit.table()
        entry.trivia.indent = "\n"  # a blank line before it, like the entries above
        entry["code"] = self.code
        entry["legal_name"] = self.legal_name
        entry["country"] = self.country
        if self.vat_number:
            entry["vat_number"] = self.vat_number
        if self.contact:
            entry["contact"] = self.contact
        if self.since is not None:
            entry["since"] = self.since
        entry["role"] = self.role
        return entry


@dataclass(frozen=True)
class Enrolment:
    """What adding a franchisee did.

    Attributes:
        path: the contract file written.
        network: the contract as validated, the new partner included.
        copied: whether the shipped franchisees (or the whole shipped contract) were
            copied into the deployment's file first.
    """

    path: Path
    network: NetworkConfig
    copied: bool


def instance_answers(folder: Path, code: str) -> dict[str, Any]:
    """The ``[instance]`` table of ``<folder>/instances/<code>.toml`` (written by
    ``partage new-country``), or ``{}``: where a partner's name and country come from
    when the franchisor does not type them."""
    path = folder / "instances" / f"{code}.toml"
    if not path.is_file():
        return {}
    table = tomlkit.parse(path.read_text(encoding="utf-8")).get("instance", {})
    return dict(table.unwrap()) if isinstance(table, Table) else {}


def _contract(target: Path) -> tuple[tomlkit.TOMLDocument, bool]:
    """The deployment's contract as a document, with the full list of franchisees
    (copied from the shipped contract when the file lacks one), and whether it copied."""
    shipped = tomlkit.parse((default_config_dir() / CONTRACT).read_text(encoding="utf-8"))
    if not target.is_file():
        return shipped, True
    document = tomlkit.parse(target.read_text(encoding="utf-8"))
    network = document.setdefault("network", tomlkit.table())
    if "franchisees" in network:
        return document, False
    listed = tomlkit.aot()
    for party in shipped["network"]["franchisees"]:
        listed.append(party)
    network["franchisees"] = listed
    return document, True


def _check(text: str, folder: Path, target: Path, instance: str | None, code: str) -> NetworkConfig:
    """Validate the contract ``text`` as if it were ``target``: in a scratch copy of the
    deployment folder, over the shipped layers, for the new partner's instance when its
    file is there (so its own record is checked against it), else ``instance``."""
    with tempfile.TemporaryDirectory(prefix="partage-contract-") as scratch:
        root = Path(scratch)
        (root / CONTRACT).write_text(text, encoding="utf-8")
        if (folder / "settings.toml").is_file():
            shutil.copyfile(folder / "settings.toml", root / "settings.toml")
        if (folder / "instances").is_dir():
            shutil.copytree(folder / "instances", root / "instances")
        chosen = code if (root / "instances" / f"{code}.toml").is_file() else instance
        try:
            return validate(resolve(chosen, root)).network
        except ConfigError as exc:
            source = exc.source.replace(str(root), str(folder))
            raise ConfigError(source, exc.key, exc.value, exc.rule) from None


def add_franchisee(
    new: NewFranchisee, *, config_dir: Path | str | None = None, instance: str | None = None
) -> Enrolment:
    """Append ``new`` to the deployment's contract, validated; nothing written on refusal.

    :param config_dir: the deployment's configs folder (``--config-dir``); never the
        shipped one.
    :param instance: the instance to validate the contract for when the new partner's
        instance file is not in the folder (default: the configured default instance).
    """
    folder = writable_config_dir(config_dir)
    target = folder / CONTRACT
    document, copied = _contract(target)
    listed = document["network"]["franchisees"]
    assert isinstance(listed, AoT)
    for i, party in enumerate(listed):
        if party.get("code") == new.code:
            raise ConfigError(
                str(target),
                f"network.franchisees[{i}].code",
                new.code,
                f"is already a franchisee ({party.get('legal_name')}): each code once",
            )
    listed.append(new.table())
    text = tomlkit.dumps(document)
    network = _check(text, folder, target, instance, new.code)
    folder.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{CONTRACT}.new")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, target)
    return Enrolment(target, network, copied)
