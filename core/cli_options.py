"""The command line's global options, shared by every command through its context."""

from __future__ import annotations

from pathlib import Path

from partage.core.runtime import Runtime, build_runtime


class Options:
    """Global options, shared by every command through the click context."""

    def __init__(self, instance: str | None, config_dir: Path | None, database_url: str | None):
        self.instance, self.config_dir, self.database_url = instance, config_dir, database_url

    def runtime(self) -> Runtime:
        return build_runtime(self.instance, self.config_dir, self.database_url)
