"""The objects one run of Partage needs, built once from the command line or the app.

Building a runtime is where bad settings are refused: configuration is resolved and
validated against the installed plugins before any database is touched
(:func:`configure`, all that ``partage config check`` runs), then the engine is made
(:func:`build_runtime`). SQLAlchemy is imported by the second step only, so checking a
configuration loads no database library.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from partage.core.contract.errors import ConfigError, PartageError
from partage.core.platform import config as config_module
from partage.core.platform import validation
from partage.core.platform.config import PartageConfig
from partage.core.platform.db.urls import driver_name, require_driver
from partage.core.platform.issuer import checked_issuer
from partage.core.platform.registry import PluginKind, PluginRegistry

if TYPE_CHECKING:
    import pluggy
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker


def country_currencies(registry: PluginRegistry) -> dict[str, str]:
    """Installed country plugins, code to the currency their identity hook declares."""
    currencies = {}
    for info in registry.plugins(PluginKind.COUNTRY):
        identity = registry.manager(info.name).hook.partage_country_identity()
        if identity is None:
            raise PartageError(
                None,
                f"country plugin {info.name!r} ({info.distribution}) does not implement "
                "partage_country_identity",
            )
        currencies[info.name] = identity.currency
    return currencies


def load_config(
    instance: str | None = None,
    config_dir: Path | str | None = None,
    registry: PluginRegistry | None = None,
) -> PartageConfig:
    """Resolve and validate the configuration of one instance.

    :param config_dir: the deployment's configs folder, layered over the shipped one
        (default: ``PARTAGE_CONFIG_DIR``, else ``./configs`` when present).
    """
    registry = registry or PluginRegistry()
    resolved = config_module.resolve(instance, config_dir)
    return validation.validate(
        resolved,
        countries=country_currencies(registry),
        sectors=frozenset(registry.names(PluginKind.SECTOR)),
    )


@dataclass
class Runtime:
    """Configuration, plugins and database of one run.

    A runtime holds the database's connection pool until it is closed; use it as a
    context manager (``with build_runtime(...) as runtime:``) so that every way out of
    a command closes it.

    Attributes:
        config: the validated configuration.
        registry: every installed plugin.
        plugins: the plugin manager serving this instance: its country plus every
            installed sector, since offices enable sectors in the database at any time;
            :mod:`partage.core.sectors.rules` calls each act's sectors in force only.
        engine: the database engine.
        sessions: the one session factory.
    """

    config: PartageConfig
    registry: PluginRegistry
    plugins: pluggy.PluginManager
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        """Release the database's connections."""
        self.engine.dispose()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True)
class Configured:
    """What a run needs before its database, each part checked.

    Attributes:
        config: the validated configuration, its database URL checked too.
        registry: every installed plugin.
        plugins: the plugin manager serving this instance (see :class:`Runtime`).
    """

    config: PartageConfig
    registry: PluginRegistry
    plugins: pluggy.PluginManager


def configure(
    instance: str | None = None,
    config_dir: Path | str | None = None,
    database_url: str | None = None,
    registry: PluginRegistry | None = None,
) -> Configured:
    """Check everything a run needs but its database: the configuration against the
    installed plugins, the database URL (``database_url`` overrides every configuration
    layer) and its driver, the country plugin's required hooks and the issuer's facts.
    Nothing connects to the database."""
    registry = registry or PluginRegistry()
    config = load_config(instance, config_dir, registry)
    if database_url is not None:
        config = replace(config, database_url=database_url)
    try:
        driver_name(config.database_url)
    except PartageError as exc:
        source = "--database-url" if database_url else config.resolved.source_of("database_url")
        raise ConfigError(source, "database_url", config.database_url, exc.rule) from None
    plugins = registry.instance_manager(
        config.instance.country_plugin, registry.names(PluginKind.SECTOR)
    )
    checked_issuer(config, plugins)
    require_driver(config.database_url)
    return Configured(config, registry, plugins)


def build_runtime(
    instance: str | None = None,
    config_dir: Path | str | None = None,
    database_url: str | None = None,
    registry: PluginRegistry | None = None,
) -> Runtime:
    """Build the runtime (:func:`configure`, then the engine); ``database_url``
    overrides every configuration layer."""
    from partage.core.platform.db.engine import make_engine, session_factory

    configured = configure(instance, config_dir, database_url, registry)
    engine = make_engine(configured.config.database_url)
    return Runtime(
        configured.config, configured.registry, configured.plugins, engine, session_factory(engine)
    )
