"""The command line's global options, shared by every command through its context."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from partage.core.platform.runtime import Runtime, build_runtime

#: Who acts, as the audit log records it.
ActorOption = Annotated[str, typer.Option("--actor", help="Who acts (audit log).")]


class Options:
    """Global options, shared by every command through the click context."""

    def __init__(self, instance: str | None, config_dir: Path | None, database_url: str | None):
        self.instance, self.config_dir, self.database_url = instance, config_dir, database_url

    def runtime(self) -> Runtime:
        """The runtime these options name; use it as a context manager to close it."""
        return build_runtime(self.instance, self.config_dir, self.database_url)


def options_of(ctx: typer.Context) -> Options:
    """The global options the root command stored, for a subcommand's context.

    The root callback always stores them before any subcommand runs, so their absence is a
    wiring fault, not bad input: say so plainly rather than fail on an attribute of None.
    """
    options = ctx.find_object(Options)
    if options is None:
        raise RuntimeError("the global options were not set: the root command did not run")
    return options
