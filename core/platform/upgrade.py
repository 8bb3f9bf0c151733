"""Before a core upgrade: will the installed plugins still load, what must their authors
change, and which schema migrations will run?

The franchisor ships new core versions; each franchisee upgrades its own instance. A
plugin declares the hook API it was written for (``PARTAGE_HOOK_API = "2.0"``) and a
core serves a plugin of its own major version and of a minor no newer than its own
(:func:`partage.core.platform.registry.check_api_version`, the rule the registry applies
when it loads plugins). :func:`check` applies that rule to every installed plugin against
a target hook API version — this core's, or the one a coming core announces — without
loading the plugins through the registry (which would stop at the first incompatible
one). For each plugin it lists, from the changes the spec module declares
(:data:`partage.core.contract.hookspecs.CHANGES`), those that concern the hooks the
plugin implements: the signatures changed since the version it declares, and the
deprecated hooks it still answers. It also lists the Alembic revisions between the
database's and the shipped head; ``partage db upgrade`` then applies them.
"""

from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from sqlalchemy import Engine

from partage.core.contract.errors import PartageError, PluginError
from partage.core.contract.hook_status import ChangeKind, HookChange
from partage.core.contract.hookspecs import CHANGES, HOOK_API_VERSION, changes_since
from partage.core.platform.db import migrate
from partage.core.platform.plugin_imports import ImportProblem, check_package, check_source
from partage.core.platform.registry import (
    API_ATTRIBUTE,
    AUTOLOAD_ENV,
    PluginKind,
    check_api_version,
    implemented,
)

_VERSION = re.compile(r"^\d+\.\d+$")


class UpgradeError(PartageError):
    """A target version given on the command line is not ``<major>.<minor>``."""

    usage = True


@dataclass(frozen=True)
class InstalledPlugin:
    """A plugin found under the entry point groups, loaded but not yet checked.

    Attributes:
        name: entry point name.
        kind: country or sector.
        distribution: the distribution that ships it.
        version: the distribution's version.
        declared: the hook API version it declares, ``None`` when it declares none.
        load_error: why importing it failed, if it did.
        imports: its imports of Partage that the plugin contract does not allow (read
            from its source, so also when it fails to load), each saying where the
            names went when the path is one an older core offered.
        hooks: the hooks it implements.
    """

    name: str
    kind: PluginKind
    distribution: str
    version: str
    declared: str | None
    load_error: str | None = None
    imports: tuple[ImportProblem, ...] = ()
    hooks: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PluginVerdict:
    """Whether one plugin works with the target hook API.

    Attributes:
        plugin: the plugin.
        compatible: whether a core of the target version will load it.
        reason: why not, or ``"ok"``.
        changes: what its author must change, oldest first: each hook it implements
            whose signature changed after the version it declares, and each deprecated
            hook it still implements.
        declare: the ``PARTAGE_HOOK_API`` it must declare once changed, when the
            version it declares (or its lack of one) is what keeps it out.
    """

    plugin: InstalledPlugin
    compatible: bool
    reason: str
    changes: tuple[HookChange, ...] = ()
    declare: str | None = None


@dataclass(frozen=True)
class Migration:
    """One shipped schema migration.

    Attributes:
        revision: its Alembic revision id.
        message: what it changes (its docstring's first paragraph).
    """

    revision: str
    message: str


@dataclass(frozen=True)
class MigrationPlan:
    """Where the database stands against the migrations shipped with this core.

    Attributes:
        current: the database's revision, ``None`` for an empty database.
        head: the newest revision shipped (several, comma-separated, while branches
            of the chain are not yet merged).
        pending: the migrations ``partage db upgrade`` will apply, oldest first.
        known: ``False`` when the database is at a revision this core does not ship
            (it was migrated by a newer core).
    """

    current: str | None
    head: str | None
    pending: tuple[Migration, ...]
    known: bool = True


@dataclass(frozen=True)
class UpgradeCheck:
    """The answer of ``partage upgrade check``.

    Attributes:
        core_api: this core's hook API version.
        target_api: the version the plugins were judged against.
        plugins: one verdict per installed plugin.
        migrations: the schema's migration plan.
    """

    core_api: str
    target_api: str
    plugins: tuple[PluginVerdict, ...]
    migrations: MigrationPlan

    @property
    def ready(self) -> bool:
        """Every plugin is compatible and the database's revision is known."""
        return all(v.compatible for v in self.plugins) and self.migrations.known


def target_version(text: str | None) -> str:
    """The target hook API version: ``text`` checked, or this core's."""
    if text is None:
        return HOOK_API_VERSION
    if not _VERSION.match(text.strip()):
        raise UpgradeError(
            "--target-version", "write the hook API as <major>.<minor>", value=repr(text)
        )
    return text.strip()


def installed_plugins() -> list[InstalledPlugin]:
    """Every plugin registered under the entry point groups, with what it declares.

    Honours ``PARTAGE_DISABLE_PLUGIN_AUTOLOAD`` like the registry: when it is set, no
    plugin is considered installed.
    """
    if os.environ.get(AUTOLOAD_ENV, "") not in ("", "0"):
        return []
    found = []
    for kind in PluginKind:
        for ep in entry_points(group=kind.group):
            dist = ep.dist
            distribution = dist.name if dist else "(unknown)"
            version = dist.version if dist else ""
            imports = tuple(_contract_problems(ep.module))
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken plugin is a verdict, not a crash
                found.append(
                    InstalledPlugin(ep.name, kind, distribution, version, None, str(exc), imports)
                )
                continue
            declared = getattr(plugin, API_ATTRIBUTE, None)
            found.append(
                InstalledPlugin(
                    ep.name,
                    kind,
                    distribution,
                    version,
                    None if declared is None else str(declared),
                    imports=imports,
                    hooks=implemented(plugin),
                )
            )
    return sorted(found, key=lambda p: (list(PluginKind).index(p.kind), p.name))


def _contract_problems(module: str) -> list[ImportProblem]:
    """What the plugin ``module`` imports beyond the contract, read from its source."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return []
    if spec is None or spec.origin is None:
        return []
    origin = Path(spec.origin)
    if spec.submodule_search_locations is not None:
        return check_package(origin.parent, module)
    return check_source([origin], module)


def changes_for(plugin: InstalledPlugin, target: str) -> tuple[HookChange, ...]:
    """What the plugin's author must change for ``target``: the signature changes after
    the version it declares, and every deprecation up to ``target``, of the hooks it
    implements (a plugin that declares no valid version gets every change)."""
    declared = plugin.declared if plugin.declared and _VERSION.match(plugin.declared) else "0.0"
    newer = set(changes_since(declared, target))
    deprecated = {c for c in changes_since("0.0", target) if c.kind is ChangeKind.DEPRECATED}
    return tuple(c for c in CHANGES if c in newer | deprecated and c.hook in plugin.hooks)


def judge(plugins: list[InstalledPlugin], target: str) -> tuple[PluginVerdict, ...]:
    """Apply the registry's version rule and the plugin contract's rule on imports to each
    plugin against ``target``, with what its author must change."""
    verdicts = []
    for plugin in plugins:
        changes = changes_for(plugin, target)
        moved = "; ".join(str(problem) for problem in plugin.imports)
        if plugin.load_error is not None:
            reason = f"fails to load: {plugin.load_error}"
            reason = f"{reason}; {moved}" if moved else reason
            verdicts.append(PluginVerdict(plugin, False, reason, changes))
            continue
        if plugin.imports:
            reason = f"imports beyond the contract: {moved}"
            verdicts.append(PluginVerdict(plugin, False, reason, changes))
            continue
        try:
            check_api_version(plugin.name, plugin.declared, core=target)
        except PluginError as exc:
            older = plugin.declared is None or _major(plugin.declared) < _major(target)
            declare = target if older else None
            verdicts.append(PluginVerdict(plugin, False, str(exc), changes, declare))
        else:
            verdicts.append(PluginVerdict(plugin, True, "ok", changes))
    return tuple(verdicts)


def _major(version: str) -> int:
    """The major number of a version, -1 when it is not ``<major>.<minor>``."""
    return int(version.split(".")[0]) if _VERSION.match(version) else -1


def _message(doc: str | None) -> str:
    """A revision's message: its docstring's first paragraph on one line."""
    return " ".join((doc or "").split("\n\n")[0].split())


def migration_plan(engine: Engine) -> MigrationPlan:
    """The database's revision, the shipped head and what lies between."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    current = migrate.current(engine)
    head = ", ".join(script.get_heads()) or None
    try:
        revisions = list(script.iterate_revisions("heads", current))
    except ResolutionError:
        return MigrationPlan(current, head, (), known=False)
    pending = tuple(Migration(r.revision, _message(r.doc)) for r in reversed(revisions))
    return MigrationPlan(current, head, pending)


def check(engine: Engine, target: str | None = None) -> UpgradeCheck:
    """Judge the installed plugins against ``target`` and plan the database's migrations."""
    version = target_version(target)
    return UpgradeCheck(
        HOOK_API_VERSION,
        version,
        judge(installed_plugins(), version),
        migration_plan(engine),
    )
