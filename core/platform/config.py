"""Layered configuration, resolved with dynaconf, and the typed configuration it becomes.

Layers, each overriding the one before:

1. ``configs/settings.toml`` — core defaults;
2. ``configs/network.toml`` — the social-franchise contract;
3. ``configs/instances/<code>.toml`` — one national instance;
4. environment variables ``PARTAGE_*`` (``__`` nests: ``PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE``).

The instance is chosen by ``--instance``, else ``PARTAGE_INSTANCE``, else
``core.default_instance``. ``PARTAGE_CONFIG_DIR`` points at another configs folder (a
franchisee's own). Every value keeps the name of the layer it came from, so that
``partage config show`` can say where it came from and every :class:`ConfigError` names
the file, the key, the value and the rule. The resolved layers are checked and typed
by :mod:`.validation` before anything runs.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from dynaconf import Dynaconf
from dynaconf.utils.parse_conf import parse_conf_data

from partage.core.contract.errors import ConfigError
from partage.core.platform.issuer import Issuer
from partage.core.platform.network import NetworkConfig

ENV_PREFIX = "PARTAGE_"
INSTANCE_ENV = "PARTAGE_INSTANCE"
CONFIG_DIR_ENV = "PARTAGE_CONFIG_DIR"
# Variables that steer the program rather than override a setting.
RESERVED_ENV = frozenset({INSTANCE_ENV, CONFIG_DIR_ENV, "PARTAGE_DISABLE_PLUGIN_AUTOLOAD"})
CODE_PATTERN = re.compile(r"^[a-z]{2}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


def default_config_dir() -> Path:
    """The configs folder shipped with Partage (the repository's ``configs/``)."""
    return Path(__file__).resolve().parents[2] / "configs"


def config_dir(explicit: Path | str | None = None) -> Path:
    """The configs folder in use: explicit, else ``PARTAGE_CONFIG_DIR``, else shipped."""
    chosen = explicit or os.environ.get(CONFIG_DIR_ENV) or default_config_dir()
    return Path(chosen)


# --- resolution ------------------------------------------------------------------
def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        dotted = f"{prefix}{str(key).lower() if not prefix else key}"
        if isinstance(value, Mapping) and value:
            yield from _flatten(value, dotted + ".")
        else:
            yield dotted, value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "(file)", None, f"not valid TOML: {exc}") from None


def _env_overrides(environ: Mapping[str, str]) -> dict[str, str]:
    return {
        name[len(ENV_PREFIX) :]: value
        for name, value in sorted(environ.items())
        if name.startswith(ENV_PREFIX) and name not in RESERVED_ENV
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True)
class ResolvedSettings:
    """The merged settings of one instance and where each value came from.

    Attributes:
        instance: the instance code that was selected.
        values: the merged settings as plain dictionaries, top-level keys lower case.
        sources: dotted key (``instance.management_fee_rate``) to the layer it came
            from (a file path, or ``env PARTAGE_...``).
        layers: the files read, in order.
    """

    instance: str
    values: dict[str, Any]
    sources: dict[str, str]
    layers: tuple[Path, ...]

    def source_of(self, key: str) -> str:
        """The layer that set ``key`` or its nearest enclosing table."""
        probe = re.sub(r"\[\d+\]", "", key)
        while probe:
            if probe in self.sources:
                return self.sources[probe]
            probe = probe.rpartition(".")[0]
        return "(no layer)"

    def items(self) -> list[tuple[str, Any, str]]:
        """Every leaf setting as ``(dotted key, value, source)``, sorted by key."""
        return [(k, v, self.source_of(k)) for k, v in sorted(_flatten(self.values))]


def resolve(
    instance: str | None = None,
    directory: Path | str | None = None,
    environ: Mapping[str, str] | None = None,
) -> ResolvedSettings:
    """Merge the layers for one instance; raise :class:`ConfigError` on a bad layer."""
    environ = os.environ if environ is None else environ
    folder = config_dir(directory if directory is not None else environ.get(CONFIG_DIR_ENV))
    settings_file, network_file = folder / "settings.toml", folder / "network.toml"
    for required in (settings_file, network_file):
        if not required.is_file():
            raise ConfigError(str(required), "(file)", None, "configuration layer not found")
    base_layers = [
        (settings_file, _read_toml(settings_file)),
        (network_file, _read_toml(network_file)),
    ]
    code = instance or environ.get(INSTANCE_ENV)
    if not code:
        code = base_layers[0][1].get("core", {}).get("default_instance")
        if not code:
            raise ConfigError(
                str(settings_file),
                "core.default_instance",
                None,
                f"no instance chosen: pass --instance or set {INSTANCE_ENV}",
            )
    instances = folder / "instances"
    instance_file = instances / f"{code}.toml"
    if not CODE_PATTERN.match(str(code)) or not instance_file.is_file():
        known = sorted(p.stem for p in instances.glob("*.toml")) if instances.is_dir() else []
        raise ConfigError(
            str(instances),
            "instance",
            code,
            f"no such instance file (known instances: {', '.join(known) or 'none'})",
        )
    layers = [*base_layers, (instance_file, _read_toml(instance_file))]

    sources: dict[str, str] = {}
    for path, data in layers:
        for key, _ in _flatten(data):
            parts = key.split(".")
            for depth in range(1, len(parts) + 1):  # tables too: a missing key blames its table
                sources[".".join(parts[:depth])] = str(path)
    dyn = Dynaconf(
        settings_files=[str(path) for path, _ in layers],
        core_loaders=["TOML"],
        loaders=[],
        environments=False,
        merge_enabled=True,
        load_dotenv=False,
    )
    overrides = _env_overrides(environ)
    if overrides:
        parsed = {
            k: parse_conf_data(v, tomlfy=True, box_settings=dyn) for k, v in overrides.items()
        }
        dyn.update(parsed, loader_identifier="env")
        for name, value in parsed.items():
            dotted = name.lower().replace("__", ".")
            leaves = (
                _flatten(value, dotted + ".") if isinstance(value, Mapping) else [(dotted, value)]
            )
            for key, _ in leaves:
                sources[key] = f"env {ENV_PREFIX}{name}"
    values = {
        key.lower(): _plain(value)
        for key, value in dyn.as_dict().items()
        if not key.endswith("_FOR_DYNACONF") and key not in ("LOAD_DOTENV",)
    }
    return ResolvedSettings(str(code), values, sources, tuple(path for path, _ in layers))


# --- typed configuration -------------------------------------------------------------
@dataclass(frozen=True)
class OfficeConfig:
    """A local office as the instance configures it.

    Attributes:
        code: short stable code (``"bru"``).
        name: display name.
        address: postal address.
        sectors: sector plugins enabled in this office.
    """

    code: str
    name: str
    address: str
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class ShareClass:
    """A class of cooperative shares.

    Attributes:
        code: ``"A"`` or ``"B"``.
        name: who holds it.
        minimum: shares a member of this class must subscribe.
    """

    code: str
    name: str
    minimum: int


@dataclass(frozen=True)
class GuaranteeRules:
    """How far the salary guarantee fund lets an entity commit before clients pay.

    These are the cooperative's own policy, voted by its general assembly, not law: each
    instance sets them in ``[instance.guarantee_fund]`` (defaults in the core layer,
    ``configs/settings.toml``). The defaults here are that layer's, for contexts built
    without a configuration.

    Attributes:
        coverage_rate: fraction of an eligible open receivable the fund guarantees.
        max_days_overdue: a receivable overdue by more days is no longer guaranteed.
        ceiling_per_entity: the most the fund guarantees for one entity at a time, in
            the instance's currency.
    """

    coverage_rate: Decimal = Decimal("0.80")
    max_days_overdue: int = 60
    ceiling_per_entity: Decimal = Decimal("25000.00")


@dataclass(frozen=True)
class InstanceConfig:
    """One national instance.

    Attributes:
        code: the instance code (also its file name).
        name: display name.
        legal_name: the cooperative's registered name.
        country_plugin: the country plugin serving it.
        currency: ISO 4217 code of its books.
        languages: languages it works in.
        management_fee_rate: fraction of amounts invoiced excluding VAT.
        guarantee_fund_share: fraction of fee income allocated to the guarantee fund.
        share_nominal_value: nominal value of one share, in ``currency``.
        share_classes: the classes of shares.
        offices: the local offices.
        management_fee_changes: later fee rates, each ``(first day, rate)``; the
            ``management_fee_rate`` applies before the first of them.
        issuer: the cooperative's facts printed on its documents (``[instance.issuer]``),
            ``None`` until it is registered (documents are refused then).
        guarantee: the guarantee fund's coverage rules (``[instance.guarantee_fund]``).
    """

    code: str
    name: str
    legal_name: str
    country_plugin: str
    currency: str
    languages: tuple[str, ...]
    management_fee_rate: Decimal
    guarantee_fund_share: Decimal
    share_nominal_value: Decimal
    share_classes: tuple[ShareClass, ...]
    offices: tuple[OfficeConfig, ...]
    management_fee_changes: tuple[tuple[date, Decimal], ...] = ()
    issuer: Issuer | None = None
    guarantee: GuaranteeRules = field(default_factory=GuaranteeRules)

    def fee_rate_on(self, day: date) -> Decimal:
        """The management fee rate in force on ``day``."""
        rate = self.management_fee_rate
        for start, later in self.management_fee_changes:
            if day >= start:
                rate = later
        return rate


@dataclass(frozen=True)
class PartageConfig:
    """Validated settings of one run.

    Attributes:
        database_url: where the instance's database lives.
        fiscal_year_start_month: first month of the fiscal year.
        instance: the national instance served.
        network: the franchise contract.
        resolved: the raw merged settings with their sources.
    """

    database_url: str
    fiscal_year_start_month: int
    instance: InstanceConfig
    network: NetworkConfig
    resolved: ResolvedSettings
