"""Typed errors of the core.

Every refusal the kit makes is one of these, so that the CLI, the API and the tests can
tell a rule that failed from a bug. Each carries a message meant for a person: it names
the field (or file, key, plugin) and the rule that was broken.
"""

from __future__ import annotations


class PartageError(Exception):
    """Base of every error the core raises on purpose.

    Attributes:
        exit_code: the process exit status the CLI uses for this error.
    """

    exit_code: int = 1


class ConfigError(PartageError):
    """A setting is missing or breaks a rule; nothing has run yet.

    Attributes:
        source: the file (or environment variable) the offending value came from.
        key: the dotted key of the setting.
        value: the value found (``None`` when missing).
        rule: the rule it breaks, in words.
    """

    exit_code = 2

    def __init__(self, source: str, key: str, value: object, rule: str) -> None:
        self.source, self.key, self.value, self.rule = source, key, value, rule
        shown = "<missing>" if value is None else repr(value)
        super().__init__(f"{source}: {key} = {shown}: {rule}")


class PluginError(PartageError):
    """A plugin cannot be loaded or used (unknown name, wrong hook API version, ...)."""

    exit_code = 2


class DatabaseError(PartageError):
    """The database cannot be reached or its URL is not usable."""

    exit_code = 2
