"""Layered configuration, loaded and merged by dynaconf, and the typed configuration it becomes.

Where the files live: the ``configs`` folder shipped inside Partage holds the defaults;
a deployment's own configs folder (``--config-dir``, else ``PARTAGE_CONFIG_DIR``, else
``./configs`` in the working folder when there is one) holds its instance files and,
for the franchisor, its contract. Its files are layered over the shipped ones, each
overriding the one before:

1. ``settings.toml`` shipped, then the deployment's (core defaults);
2. ``network.toml`` shipped, then the deployment's (the social-franchise contract);
3. ``instances/<code>.toml``, from the deployment's folder if it has one, else shipped;
4. environment variables ``PARTAGE_*``, read by dynaconf's env loader: ``__`` nests
   (``PARTAGE_INSTANCE__MANAGEMENT_FEE_RATE``).

Only variables that name a setting are settings: ``PARTAGE_DATABASE_URL``, or
``PARTAGE_<TABLE>__<KEY>`` under a top-level table of the configuration reference
(:data:`.settings_rules.TABLE_ROOTS`). ``PARTAGE_INSTANCE`` (which chooses the
instance), ``PARTAGE_CONFIG_DIR`` and the program's other variables never are.

A later layer replaces a value, a list included, and keeps the rest of its table
(dynaconf's own merge would append lists: each layer is handed to it in pieces that
merge so, see :func:`_pieces`). The instance is chosen by ``--instance``, else
``PARTAGE_INSTANCE``, else ``core.default_instance``. Every value keeps the name of the
layer that set it, so that ``partage config show`` says where it came from and every
:class:`ConfigError` names the file, the key, the value and the rule. No command writes
into the shipped folder (:func:`writable_config_dir`). The resolved layers are checked
and typed by :mod:`.validation` before anything runs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from partage.core.contract.errors import ConfigError
from partage.core.platform.einvoicing_settings import EInvoicingSettings

# At run time, not only for type checkers: the web's dependency injection reads the
# annotations of the configuration's dataclasses.
from partage.core.platform.issuer import Issuer
from partage.core.platform.limits import Limits
from partage.core.platform.mail.settings import EmailSettings
from partage.core.platform.network import NetworkConfig
from partage.core.platform.registries import Registries
from partage.core.platform.settings_engine import Dynaconf, load_from_env, toml_loader
from partage.core.platform.settings_rules import (
    CODE_PATTERN,
    SCALAR_ROOTS,
    SLUG_PATTERN,
    TABLE_ROOTS,
)

__all__ = ["CODE_PATTERN", "SLUG_PATTERN"]  # re-exported: offices check codes alike

ENV_PREFIX = "PARTAGE"
INSTANCE_ENV = "PARTAGE_INSTANCE"
CONFIG_DIR_ENV = "PARTAGE_CONFIG_DIR"
#: The deployment's configs folder when neither --config-dir nor PARTAGE_CONFIG_DIR
#: names one, relative to the working folder.
LOCAL_CONFIG_DIR = "configs"


def default_config_dir() -> Path:
    """The configs folder shipped inside Partage: the defaults, never written to."""
    return Path(__file__).resolve().parents[2] / "configs"


def _is_shipped(folder: Path) -> bool:
    return folder.resolve().is_relative_to(default_config_dir().resolve())


def deployment_config_dir(explicit: Path | str | None = None) -> Path | None:
    """The deployment's own configs folder, layered over the shipped one.

    ``explicit`` (``--config-dir``), else ``PARTAGE_CONFIG_DIR``, else ``./configs``
    when the working folder has one; ``None`` when there is none, or when the folder
    named is the shipped one itself (a source checkout's ``./configs``). A folder named
    explicitly or by the variable must exist.
    """
    chosen = explicit if explicit is not None else os.environ.get(CONFIG_DIR_ENV)
    if chosen:
        folder = Path(chosen).absolute()
        if not folder.is_dir():
            source = f"env {CONFIG_DIR_ENV}" if explicit is None else "--config-dir"
            raise ConfigError(source, "config_dir", str(folder), "no such configs folder")
    else:
        folder = Path(LOCAL_CONFIG_DIR).absolute()
        if not folder.is_dir():
            return None
    return None if _is_shipped(folder) else folder


def writable_config_dir(explicit: Path | str | None = None) -> Path:
    """Where a command writes a deployment's configuration (``partage new-country``).

    ``explicit``, else ``PARTAGE_CONFIG_DIR``, else ``./configs`` (created by the
    writer); never the shipped folder, which an upgrade of Partage replaces.
    """
    if explicit is not None:
        chosen, source = str(explicit), "--config-dir"
    elif os.environ.get(CONFIG_DIR_ENV):
        chosen, source = os.environ[CONFIG_DIR_ENV], f"env {CONFIG_DIR_ENV}"
    else:
        chosen, source = LOCAL_CONFIG_DIR, "./configs"
    folder = Path(chosen).absolute()
    if _is_shipped(folder):
        raise ConfigError(
            source,
            "config_dir",
            str(folder),
            "is the configs folder shipped inside Partage, which no command writes to: "
            "name the deployment's own with --config-dir or PARTAGE_CONFIG_DIR",
        )
    return folder


def is_setting_variable(suffix: str) -> bool:
    """Whether ``PARTAGE_<suffix>`` sets a setting: a top-level value of the reference
    (``DATABASE_URL``) or a key under a top-level table (``INSTANCE__NAME``). A table
    is never replaced whole from one variable, so ``PARTAGE_INSTANCE``, the instance
    selector, is not one; nor are the program's and the tests' own variables
    (``PARTAGE_CONFIG_DIR``, ``PARTAGE_TEST_BACKENDS``...)."""
    parts = suffix.lower().split("__")
    if len(parts) == 1:
        return parts[0] in SCALAR_ROOTS
    return parts[0] in TABLE_ROOTS and all(parts)


# --- loading ---------------------------------------------------------------------
def _leaves(path: tuple[str, ...], value: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    """The leaves under ``path``: a table is walked, anything else (a list included) is
    a leaf; an empty table is one leaf, so that it still exists once merged."""
    if isinstance(value, Mapping) and value:
        for name, inner in value.items():
            yield from _leaves((*path, str(name)), inner)
    else:
        yield path, value


class _Layers:
    """dynaconf's filter strategy while the layers load: each layer's data goes through
    it on its way in. It hands the data to dynaconf in pieces (:func:`_pieces`) so that
    a layer replaces what it sets, lists included, and nothing else; it drops the
    ``PARTAGE_*`` variables that are not settings; and it remembers which layer set
    each key, for ``partage config show`` and the refusals (dynaconf's own history
    records a merged table whole under the last layer that touched it).

    Attributes:
        source: the layer being loaded (a file path, or ``""`` for the environment).
        sources: lower-case dotted key to the layer that set it last; a file also
            names itself for every table it sets a key in, so that a key missing from
            a table is blamed on the table's last layer.
        roots: the top-level keys the layers set, in order.
    """

    def __init__(self) -> None:
        self.source = ""
        self.sources: dict[str, str] = {}
        self.roots: dict[str, None] = {}

    def __call__(self, data: Mapping[str, Any]) -> dict[str, Any]:
        earlier = set(self.sources)
        handed: dict[str, Any] = {}
        for name, value in data.items():
            if self.source:
                top: tuple[str, ...] = (name.lower(),)
                source = self.source
            elif is_setting_variable(name):
                top = tuple(name.lower().split("__"))
                source = f"env {ENV_PREFIX}_{name}"
                if isinstance(value, float):  # read back as typed, never through a float
                    value = os.environ.get(f"{ENV_PREFIX}_{name}", value)
            else:
                continue
            self.roots[top[0]] = None
            for path, leaf in _leaves(top, value):
                _refuse_template(source, path, leaf)
                _refuse_float(source, path, leaf)
                self.sources[".".join(path).lower()] = source
                if self.source:
                    for depth in range(1, len(path)):
                        self.sources[".".join(path[:depth]).lower()] = source
            handed.update(_pieces(top, value, earlier))
        return handed


def _refuse_template(source: str, path: tuple[str, ...], value: Any) -> None:
    """Refuse a value written as a Jinja template (``@jinja ...``).

    dynaconf reads such a value as a template rendered on use; Partage imports dynaconf
    without Jinja (:mod:`.settings_engine`), and a setting means what its file says. Its
    other markers (``@int``, ``@format {env[...]}``, ...) are dynaconf's and stay.
    """
    if getattr(getattr(value, "formatter", None), "token", None) == "jinja":
        value = f"@jinja {value.value}"  # the environment's values arrive parsed
    if isinstance(value, str) and value.lstrip().startswith("@jinja"):
        raise ConfigError(
            source,
            ".".join(path).lower(),
            value,
            "Jinja templates are not read in Partage's settings: write the value itself",
        )


def _refuse_float(source: str, path: tuple[str, ...], value: Any) -> None:
    """Refuse a TOML number with a fraction (``0.065``): TOML reads it as a binary
    float, which does not hold every decimal typed; rates and amounts are written as
    strings (``"0.065"``), read exactly. Whole numbers (``leverage = 10``) are exact."""
    floats = [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, float)]
    if floats:
        raise ConfigError(
            source,
            ".".join(path).lower(),
            value,
            "a number with a fraction is read as a binary float: "
            f'write it as a string, "{floats[0]!r}"',
        )


def _pieces(path: tuple[str, ...], value: Any, earlier: set[str]) -> Iterator[tuple[str, Any]]:
    """``value`` at ``path``, in as few pieces as dynaconf merges as this layer means.

    A layer replaces what it sets, lists included, and keeps the rest of each table.
    dynaconf replaces the value at a nested key (``INSTANCE__languages``) and keeps the
    rest of its table, so leaves would do; but each piece costs a merge of its whole
    table. So a table no earlier layer set a key under goes in one piece; and a
    top-level table goes in one piece marked ``dynaconf_merge``, which merges tables
    deeply, unless it holds a list where an earlier layer set one: that merge would
    append the lists (dynaconf#999), so such a table goes key by key.
    """
    key = ".".join(path).lower()
    if not isinstance(value, Mapping) or not value or key not in earlier:
        yield "__".join(path), value
    elif len(path) == 1 and not any(
        isinstance(leaf, list) and ".".join(at).lower() in earlier
        for at, leaf in _leaves(path, value)
    ):
        yield path[0], {**value, "dynaconf_merge": True}
    else:
        for name, inner in value.items():
            yield from _pieces((*path, str(name)), inner, earlier)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Loading:
    """One dynaconf settings object, fed layer by layer."""

    def __init__(self) -> None:
        self.layers = _Layers()
        self.files: list[Path] = []
        self.settings = Dynaconf(
            core_loaders=["TOML"],
            loaders=[],  # the environment is loaded last, by environment()
            environments=False,
            merge_enabled=False,  # the pieces merge: see _pieces
            load_dotenv=False,
            filter_strategy=self.layers,
        )

    def file(self, path: Path) -> None:
        """Load one TOML layer over the ones before."""
        self.layers.source = str(path)
        try:
            toml_loader.load(self.settings, filename=str(path), silent=False)
        except ValueError as exc:  # dynaconf's TOML reader raises TOMLDecodeError
            raise ConfigError(str(path), "(file)", None, f"not valid TOML: {exc}") from None
        self.files.append(path)

    def environment(self) -> None:
        """Load the ``PARTAGE_*`` variables that are settings, with dynaconf's env loader."""
        self.layers.source = ""
        load_from_env(self.settings, ENV_PREFIX, identifier="env_global")

    def get(self, key: str) -> Any:
        return _plain(self.settings.get(key))

    def values(self) -> dict[str, Any]:
        """The merged settings as plain dictionaries, top-level keys lower case."""
        return {root: self.get(root) for root in self.layers.roots}


def load_layers(files: list[Path]) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings ``files`` give, merged in order, without the environment: the
    values and the file each key came from (the configuration reference reads the
    shipped defaults so)."""
    loading = _Loading()
    for path in files:
        loading.file(path)
    return loading.values(), dict(loading.layers.sources)


@dataclass(frozen=True)
class ResolvedSettings:
    """The merged settings of one instance and where each value came from.

    Attributes:
        instance: the instance code that was selected.
        values: the merged settings as plain dictionaries, top-level keys lower case.
        sources: lower-case dotted key (``instance.management_fee_rate``) to the layer
            it came from (a file path, or ``env PARTAGE_...``).
        layers: the files read, in order; the instance file is the last.
    """

    instance: str
    values: dict[str, Any]
    sources: dict[str, str]
    layers: tuple[Path, ...]

    def source_of(self, key: str) -> str:
        """The layer that set ``key`` or its nearest enclosing table."""
        probe = re.sub(r"\[\d+\]", "", key).lower()
        while probe:
            if probe in self.sources:
                return self.sources[probe]
            probe = probe.rpartition(".")[0]
        return "(no layer)"

    def items(self) -> list[tuple[str, Any, str]]:
        """Every leaf setting as ``(dotted key, value, source)``, sorted by key."""
        leaves = (
            (".".join(path), value)
            for root, table in self.values.items()
            for path, value in _leaves((root,), table)
        )
        return [(k, v, self.source_of(k)) for k, v in sorted(leaves)]


def _instance_file(code: str, deployment: Path | None) -> Path:
    """``instances/<code>.toml``: the deployment's if it has one, else the shipped one."""
    folders = [f / "instances" for f in (deployment, default_config_dir()) if f is not None]
    if CODE_PATTERN.match(code):
        for folder in folders:
            if (folder / f"{code}.toml").is_file():
                return folder / f"{code}.toml"
    known = sorted({p.stem for folder in folders for p in folder.glob("*.toml")})
    raise ConfigError(
        str(folders[0]),
        "instance",
        code,
        f"no such instance file (known instances: {', '.join(known) or 'none'})",
    )


def resolve(instance: str | None = None, directory: Path | str | None = None) -> ResolvedSettings:
    """Merge the layers for one instance; raise :class:`ConfigError` on a bad layer.

    :param instance: the instance code; ``PARTAGE_INSTANCE`` else ``core.default_instance``
        when ``None``.
    :param directory: the deployment's configs folder (see :func:`deployment_config_dir`).
    """
    shipped, deployment = default_config_dir(), deployment_config_dir(directory)
    loading = _Loading()
    for name in ("settings.toml", "network.toml"):
        loading.file(shipped / name)
        if deployment is not None and (deployment / name).is_file():
            loading.file(deployment / name)
    code = instance or os.environ.get(INSTANCE_ENV) or loading.get("core.default_instance")
    if not code:
        raise ConfigError(
            loading.layers.sources.get("core", str(shipped / "settings.toml")),
            "core.default_instance",
            None,
            f"no instance chosen: pass --instance or set {INSTANCE_ENV}",
        )
    loading.file(_instance_file(str(code), deployment))
    loading.environment()
    return ResolvedSettings(
        str(code), loading.values(), dict(loading.layers.sources), tuple(loading.files)
    )


# --- typed configuration -------------------------------------------------------------
@dataclass(frozen=True)
class OfficeConfig:
    """A local office as the instance configures it.

    Attributes:
        code: short stable code (``"bru"``).
        name: display name.
        address: postal address.
        sectors: sector plugins enabled in this office.
        payroll_authority: the local authority whose levy on salaries applies to the
            workers of this office (France: the mobility authority of the versement
            mobilité, CGCT art. L2333-64), as the country plugin names it; ``None``: the
            country's default.
    """

    code: str
    name: str
    address: str
    sectors: tuple[str, ...]
    payroll_authority: str | None = None


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
        leverage: how many times its balance the fund may guarantee across the instance
            at once: its capacity is ``balance × leverage`` (see
            :mod:`partage.core.risk.solvency`).
    """

    coverage_rate: Decimal = Decimal("0.80")
    max_days_overdue: int = 60
    ceiling_per_entity: Decimal = Decimal("25000.00")
    leverage: Decimal = Decimal("10")


@dataclass(frozen=True)
class RedemptionRules:
    """When a member may have shares repaid, as the instance's statutes say
    (``[instance.shares.redemption]``; the core layer's defaults in
    ``configs/settings.toml``). The defaults here, for contexts built without a
    configuration, restrict nothing.

    Attributes:
        min_months_held: months after admission before any share is repaid.
        yearly_limit: the most shares repaid in a calendar year, as a fraction of the
            shares issued on its first day (1 = no limit).
        board_approval: each redemption needs the board's approval, recorded with it.
    """

    min_months_held: int = 0
    yearly_limit: Decimal = Decimal(1)
    board_approval: bool = False


@dataclass(frozen=True)
class DateRules:
    """How far from today an act may be dated, and how late a client may pay.

    The instance's own policy, set in ``[instance.act_dates]`` (defaults in the core
    layer, ``configs/settings.toml``); the defaults here are that layer's, for contexts
    built without a configuration. The law may cap payment terms further: the country's
    cap, where it sets one, wins over ``max_payment_term_days``.

    Attributes:
        days_back: an act may be dated at most this many days before today.
        days_ahead: an act may be dated at most this many days after today.
        max_payment_term_days: a sales invoice's due date lies at most this many days
            after its date.
    """

    days_back: int = 366
    days_ahead: int = 31
    max_payment_term_days: int = 60


@dataclass(frozen=True)
class ReminderRules:
    """When late payers are reminded, and whether reminders claim charges by default.

    The instance's own policy, set in ``[instance.reminders]`` (defaults in the core
    layer, ``configs/settings.toml``); the defaults here are that layer's, for contexts
    built without a configuration.

    Attributes:
        friendly_days, second_days, formal_notice_days: days after the due date when
            each step is sent, strictly increasing.
        charge_by_default: whether a reminder claims the interest and compensation the
            law allows unless the member chooses otherwise.
    """

    friendly_days: int = 7
    second_days: int = 21
    formal_notice_days: int = 35
    charge_by_default: bool = True

    @property
    def steps(self) -> tuple[tuple[str, int], ...]:
        """The steps in order, each ``(name, days after the due date)``."""
        return (
            ("friendly", self.friendly_days),
            ("second", self.second_days),
            ("formal_notice", self.formal_notice_days),
        )


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
        dates: the window of act dates and the longest payment term
            (``[instance.act_dates]``).
        redemption: the statutes' rules on repaying shares
            (``[instance.shares.redemption]``).
        internal_fee_rate: the fee the cooperative takes on an internal invoice between
            two of its entities, a fraction of its amount charged to the seller
            (``[instance] internal_fee_rate``; none unless the instance sets one).
        appeal_body: the body a refused applicant appeals to (``ethics_committee``,
            ``board`` or ``general_assembly``; ``[instance.membership]``).
        reminders: the schedule of reminders to late payers (``[instance.reminders]``).
        vat_on_debits: the cooperative opted to pay the VAT of its services on invoicing
            rather than on payment (``[instance] vat_on_debits``; France: CGI art.
            269-2-c, printed on invoices under CGI ann. II art. 242 nonies A, 13°).
        numbering: ``"instance"`` (one series of invoices and one of credit notes for
            the cooperative) or ``"entity"`` (a series per entity, its code in the
            number); :func:`partage.core.sales.recording.series_of` cites the law.
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
    dates: DateRules = field(default_factory=DateRules)
    redemption: RedemptionRules = field(default_factory=RedemptionRules)
    appeal_body: str = "ethics_committee"
    internal_fee_rate: Decimal = Decimal(0)
    reminders: ReminderRules = field(default_factory=ReminderRules)
    vat_on_debits: bool = False
    numbering: str = "instance"

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
        limits: the most each upload may weigh (``[limits]``).
        email: how messages leave the outbox (``[email]``).
        einvoicing: where structured invoices leave and arrive (``[einvoicing]``).
        registries: the public company registers that prefill new clients
            (``[registries]``).
    """

    database_url: str
    fiscal_year_start_month: int
    instance: InstanceConfig
    network: NetworkConfig
    resolved: ResolvedSettings
    limits: Limits = field(default_factory=Limits)
    email: EmailSettings = field(default_factory=EmailSettings)
    einvoicing: EInvoicingSettings = field(default_factory=EInvoicingSettings)
    registries: Registries = field(default_factory=Registries)
