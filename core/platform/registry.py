"""Finding plugins and building the plugin manager that serves one instance.

Country plugins register under the entry point group ``partage.countries`` (name: the
ISO 3166 alpha-2 code in lower case), sector plugins under ``partage.sectors``. A
plugin module declares ``PARTAGE_HOOK_API = "<major>.<minor>"``; the registry refuses
another major version, or a newer minor than this core's, before any hook runs.

Exactly one country plugin serves an instance: :meth:`PluginRegistry.manager` builds a
fresh :class:`pluggy.PluginManager` holding that country, the sectors asked for and the
core's default plugin (:mod:`partage.core.platform.defaults`, which answers the
defaulted hooks after the country), then calls ``check_pending()`` so that a misspelt
hook fails loudly. :meth:`PluginRegistry.instance_manager`, which a running instance
uses, also refuses a country plugin that leaves a required hook unimplemented: which
hooks are required, defaulted or optional is declared by each spec in
:mod:`partage.core.contract.hookspecs`, not listed here.

Tests stay hermetic by building a registry with ``autoload=False`` (or setting
``PARTAGE_DISABLE_PLUGIN_AUTOLOAD=1``) and adding their own plugin objects.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib.metadata import entry_points

import pluggy

from partage.core.contract import hookspecs
from partage.core.contract.errors import PluginError

API_ATTRIBUTE = "PARTAGE_HOOK_API"
AUTOLOAD_ENV = "PARTAGE_DISABLE_PLUGIN_AUTOLOAD"


class PluginKind(enum.StrEnum):
    """The two kinds of plugins, each with its entry point group."""

    COUNTRY = "country"
    SECTOR = "sector"

    @property
    def group(self) -> str:
        return {"country": "partage.countries", "sector": "partage.sectors"}[self.value]


@dataclass(frozen=True)
class PluginInfo:
    """A plugin the registry knows.

    Attributes:
        name: entry point name (country code or sector name).
        kind: country or sector.
        version: version of the distribution that ships it.
        api_version: the hook API version the plugin targets.
        distribution: the distribution's name (``"(local)"`` for plugins added by code).
        plugin: the plugin object (usually a module) holding the hook implementations.
    """

    name: str
    kind: PluginKind
    version: str
    api_version: str
    distribution: str
    plugin: object


def _parse_version(text: str, who: str) -> tuple[int, int]:
    try:
        major, minor = (int(part) for part in text.split("."))
    except (ValueError, AttributeError):
        raise PluginError(
            "plugin", f"{API_ATTRIBUTE} = {text!r} is not a '<major>.<minor>' version", value=who
        ) from None
    return major, minor


def check_api_version(name: str, declared: object, core: str = hookspecs.HOOK_API_VERSION) -> str:
    """Return the declared version if this core can serve it; raise ``PluginError``."""
    if declared is None:
        raise PluginError(
            "plugin",
            f"does not declare {API_ATTRIBUTE}; core hook API is {core}",
            value=repr(name),
        )
    declared_text = str(declared)
    plugin_major, plugin_minor = _parse_version(declared_text, repr(name))
    core_major, core_minor = _parse_version(core, "core")
    if plugin_major != core_major:
        raise PluginError(
            "plugin",
            f"targets hook API {declared_text}, this core provides {core}: major versions differ",
            value=repr(name),
        )
    if plugin_minor > core_minor:
        raise PluginError(
            "plugin",
            f"targets hook API {declared_text}, newer than this core's {core}: upgrade the core",
            value=repr(name),
        )
    return declared_text


class PluginRegistry:
    """Every plugin available to this process, by kind and name."""

    def __init__(self, *, autoload: bool | None = None) -> None:
        self._plugins: dict[tuple[PluginKind, str], PluginInfo] = {}
        if autoload is None:
            autoload = os.environ.get(AUTOLOAD_ENV, "") in ("", "0")
        if autoload:
            self.load_entry_points()

    def load_entry_points(self) -> None:
        """Load every plugin registered under the two entry point groups (read from the
        installed distributions once, for both)."""
        installed = entry_points()
        for kind in PluginKind:
            for ep in installed.select(group=kind.group):
                try:
                    plugin = ep.load()
                except Exception as exc:  # a broken plugin must name itself
                    raise PluginError(
                        "plugin",
                        f"({kind.group} = {ep.value}) failed to load: {exc}",
                        value=repr(ep.name),
                    ) from exc
                dist = ep.dist
                self.add(
                    plugin,
                    name=ep.name,
                    kind=kind,
                    distribution=dist.name if dist else "(unknown)",
                    version=dist.version if dist else "",
                )

    def add(
        self,
        plugin: object,
        *,
        name: str,
        kind: PluginKind,
        distribution: str = "(local)",
        version: str = "",
    ) -> PluginInfo:
        """Register a plugin object after checking its hook API version."""
        api = check_api_version(name, getattr(plugin, API_ATTRIBUTE, None))
        known = self._plugins.get((kind, name))
        if known is not None and known.plugin is not plugin:
            raise PluginError(
                f"{kind} plugin",
                f"registered twice: by {known.distribution} and by {distribution}",
                value=repr(name),
            )
        info = PluginInfo(name, kind, version, api, distribution, plugin)
        self._plugins[(kind, name)] = info
        return info

    def plugins(self, kind: PluginKind | None = None) -> list[PluginInfo]:
        """Known plugins, countries first, each kind sorted by name."""
        found = [info for (k, _), info in self._plugins.items() if kind in (None, k)]
        return sorted(found, key=lambda info: (list(PluginKind).index(info.kind), info.name))

    def names(self, kind: PluginKind) -> list[str]:
        """Names of the known plugins of a kind, sorted."""
        return [info.name for info in self.plugins(kind)]

    def get(self, kind: PluginKind, name: str) -> PluginInfo:
        """The plugin of that kind and name, or a ``PluginError`` listing the known ones."""
        try:
            return self._plugins[(kind, name)]
        except KeyError:
            known = ", ".join(self.names(kind)) or "none installed"
            raise PluginError(None, f"unknown {kind} plugin {name!r} (known: {known})") from None

    def manager(self, country: str, sectors: Iterable[str] = ()) -> pluggy.PluginManager:
        """A plugin manager serving one instance: its country plus the given sectors,
        and the core's default plugin.

        Tests build managers of partial plugins this way; a running instance uses
        :meth:`instance_manager`, which also checks the required hooks.
        """
        from partage.core.platform import defaults  # what listing plugins does not need

        chosen = [self.get(PluginKind.COUNTRY, country)]
        chosen += [self.get(PluginKind.SECTOR, sector) for sector in sorted(set(sectors))]
        pm = pluggy.PluginManager(hookspecs.PROJECT)
        pm.add_hookspecs(hookspecs)
        pm.register(defaults, name=defaults.NAME)
        try:
            for info in chosen:
                pm.register(info.plugin, name=f"{info.kind}:{info.name}")
            pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"{info.kind} plugin", str(exc), value=repr(info.name)) from None
        return pm

    def instance_manager(self, country: str, sectors: Iterable[str] = ()) -> pluggy.PluginManager:
        """The plugin manager of a running instance: :meth:`manager`, once the country
        plugin is known to implement every required hook (see :func:`missing_required`)."""
        pm = self.manager(country, sectors)
        info = self.get(PluginKind.COUNTRY, country)
        missing = missing_required(info)
        if missing:
            raise PluginError(
                None,
                f"country plugin {country!r} ({info.distribution}) does not implement the "
                f"required hook(s) {', '.join(missing)} of hook API {info.api_version}",
            )
        return pm


def implemented(plugin: object) -> frozenset[str]:
    """The hooks a plugin object implements (its ``@hookimpl`` attributes), read as
    pluggy reads them, without registering it."""
    reader = pluggy.PluginManager(hookspecs.PROJECT)
    prefix = f"{hookspecs.PROJECT}_"
    return frozenset(
        name
        for name in dir(plugin)
        if name.startswith(prefix) and reader.parse_hookimpl_opts(plugin, name) is not None
    )


def missing_required(info: PluginInfo) -> list[str]:
    """The hooks declared :attr:`~partage.core.contract.hookspecs.HookStatus.REQUIRED`
    that the country plugin ``info`` does not implement; a hook added after the API
    version the plugin targets is not asked of it."""
    target = _parse_version(info.api_version, repr(info.name))
    found = implemented(info.plugin)
    return sorted(
        hook
        for hook in hookspecs.hooks_of(hookspecs.REQUIRED)
        if hook not in found and hookspecs.added_in(hook) <= target
    )


SECTOR_PREFIX = "sector:"


CACHE_ATTRIBUTE = "_partage_act_plugins"


class ActPlugins(pluggy.PluginManager):
    """The plugin manager one act sees: the instance's country plugin and the sectors
    in force for the act.

    Attributes:
        root: the instance's manager, which holds every installed sector.
        sectors: the sectors this manager holds.
    """

    def __init__(self, root: pluggy.PluginManager, sectors: frozenset[str]) -> None:
        super().__init__(hookspecs.PROJECT)
        self.root, self.sectors = root, sectors
        self.add_hookspecs(hookspecs)
        for name, plugin in root.list_name_plugin():
            if not name.startswith(SECTOR_PREFIX) or name.removeprefix(SECTOR_PREFIX) in sectors:
                self.register(plugin, name=name)


def root(plugins: pluggy.PluginManager) -> pluggy.PluginManager:
    """The instance's plugin manager with every installed sector, also when handed the
    manager of one act's sectors."""
    return plugins.root if isinstance(plugins, ActPlugins) else plugins


def _registered(plugins: pluggy.PluginManager) -> list[str]:
    return sorted(
        name.removeprefix(SECTOR_PREFIX)
        for name, _ in plugins.list_name_plugin()
        if name.startswith(SECTOR_PREFIX)
    )


def installed(plugins: pluggy.PluginManager) -> list[str]:
    """Names of the sector plugins installed for the instance, sorted."""
    return _registered(root(plugins))


#: The module attribute where a sector plugin declares the country whose law its rules
#: follow (a lower-case ISO 3166 alpha-2 code, as country plugins are named), or
#: ``"any"`` for a trade whose rules hold in every country (the default).
COUNTRY_ATTRIBUTE = "SECTOR_COUNTRY"


def sector_countries(plugins: pluggy.PluginManager) -> dict[str, str]:
    """The country each installed sector plugin declares, by sector name."""
    return {
        name.removeprefix(SECTOR_PREFIX): str(getattr(plugin, COUNTRY_ATTRIBUTE, "any")).lower()
        for name, plugin in root(plugins).list_name_plugin()
        if name.startswith(SECTOR_PREFIX)
    }


def sector_names(plugins: pluggy.PluginManager) -> dict[str, str]:
    """Each installed sector's name as pages show it (its plugin's ``SECTOR_NAME``, an
    English text marked for the catalogs), by sector; the sector's code where it has none."""
    return {
        name.removeprefix(SECTOR_PREFIX): str(getattr(plugin, "SECTOR_NAME", "") or "")
        or name.removeprefix(SECTOR_PREFIX)
        for name, plugin in root(plugins).list_name_plugin()
        if name.startswith(SECTOR_PREFIX)
    }


def scoped(plugins: pluggy.PluginManager, sectors: Collection[str]) -> pluggy.PluginManager:
    """A plugin manager holding the country plugin of ``plugins`` and only ``sectors``.

    Built once per set of sectors and kept while the instance's manager lives, so that a
    payroll run of thousands of payslips does not rebuild it. ``plugins`` may itself be
    an act's manager: the sectors are taken from the instance's.
    """
    base = root(plugins)
    wanted = frozenset(sectors)
    missing = wanted.difference(_registered(base))
    if missing:
        raise PluginError(
            "sector plugin(s)",
            "enabled in the database but not installed "
            f"(installed: {', '.join(_registered(base)) or 'none'})",
            value=", ".join(sorted(missing)),
        )
    # Kept on the instance's manager itself, so that the cache lives and dies with it.
    cache: dict[frozenset[str], ActPlugins] = base.__dict__.setdefault(CACHE_ATTRIBUTE, {})
    if wanted not in cache:
        cache[wanted] = ActPlugins(base, wanted)
    return cache[wanted]
