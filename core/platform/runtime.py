"""The objects one run of Partage needs, built once from the command line or the app.

Building a runtime is where bad settings are refused: configuration is resolved and
validated against the installed plugins before any database is touched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType

import pluggy
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from partage.core.contract.errors import ConfigError, PartageError
from partage.core.platform import config as config_module
from partage.core.platform import validation
from partage.core.platform.config import PartageConfig
from partage.core.platform.db.engine import make_engine, parse_url, session_factory
from partage.core.platform.issuer import checked_issuer
from partage.core.platform.registry import PluginKind, PluginRegistry


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


def build_runtime(
    instance: str | None = None,
    config_dir: Path | str | None = None,
    database_url: str | None = None,
    registry: PluginRegistry | None = None,
) -> Runtime:
    """Build the runtime; ``database_url`` overrides every configuration layer."""
    registry = registry or PluginRegistry()
    config = load_config(instance, config_dir, registry)
    if database_url is not None:
        config = replace(config, database_url=database_url)
    try:
        parse_url(config.database_url)
    except PartageError as exc:
        source = "--database-url" if database_url else config.resolved.source_of("database_url")
        raise ConfigError(source, "database_url", config.database_url, exc.rule) from None
    plugins = registry.instance_manager(
        config.instance.country_plugin, registry.names(PluginKind.SECTOR)
    )
    checked_issuer(config, plugins)
    engine = make_engine(config.database_url)
    return Runtime(config, registry, plugins, engine, session_factory(engine))
