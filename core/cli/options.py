"""The command line's global options, shared by every command through its context."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from partage.core.platform.runtime import Configured, Runtime

#: The staff login a command of the cooperative's own work acts as: the audit log, the
#: four-eyes rule and the office's reach know it.
LoginOption = Annotated[
    str, typer.Option("--login", help="Your staff login (adviser, office manager, administrator).")
]


class Options:
    """Global options, shared by every command through the click context."""

    def __init__(self, instance: str | None, config_dir: Path | None, database_url: str | None):
        self.instance, self.config_dir, self.database_url = instance, config_dir, database_url

    def runtime(self, *, current: bool = True) -> Runtime:
        """The runtime these options name; use it as a context manager to close it.

        With ``current`` (every command but ``setup``, ``demo`` and ``db``), a database
        that is missing, empty or at another revision is refused with the command that
        makes it current, before anything is read or written.
        """
        from partage.core.platform.db.migrate import require_current
        from partage.core.platform.runtime import build_runtime

        runtime = build_runtime(self.instance, self.config_dir, self.database_url)
        if current:
            try:
                require_current(runtime.engine)
            except BaseException:
                runtime.close()
                raise
        return runtime

    def configured(self) -> Configured:
        """What :meth:`runtime` checks before it opens the database (the configuration,
        the database URL, the plugins serving the instance), without opening it."""
        from partage.core.platform.runtime import configure

        return configure(self.instance, self.config_dir, self.database_url)


def options_of(ctx: typer.Context) -> Options:
    """The global options the root command stored, for a subcommand's context.

    The root callback always stores them before any subcommand runs, so their absence is a
    wiring fault, not bad input: say so plainly rather than fail on an attribute of None.
    """
    options = ctx.find_object(Options)
    if options is None:
        raise RuntimeError("the global options were not set: the root command did not run")
    return options


def cli_actor() -> str:
    """Who acts from the command line, as the audit log records it: the identity
    ``PARTAGE_ACTOR`` names (``cli:NAME``), else the operating-system user (``os:NAME``);
    never a free text typed on the command line
    (:func:`partage.core.platform.audit.cli_actor`, imported here when a command acts,
    so that the command line starts without the database layer)."""
    from partage.core.platform.audit import cli_actor as resolved

    return resolved()
