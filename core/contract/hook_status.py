"""What each hook asks of plugins, and how the contract changed: the vocabulary the spec
module (:mod:`partage.core.contract.hookspecs`) declares its hooks with.

A spec carries its :class:`HookStatus` as an attribute (set by :func:`status`), the way
pluggy carries ``firstresult``; the spec module lists the :class:`HookChange` entries of
each version, from which ``partage upgrade check`` tells the author of an older plugin
what to change, and a deprecated spec warns every implementation with a
:class:`HookDeprecationWarning`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

STATUS_ATTRIBUTE = "partage_status"

F = TypeVar("F", bound=Callable[..., object])


class HookStatus(enum.StrEnum):
    """What a hook's spec asks of plugins, and what the core does when none answers.

    Members:
        REQUIRED: a country hook the core cannot work without: an instance refuses a
            country plugin that does not implement it.
        DEFAULTED: a country hook the core's default plugin answers when the country
            does not; leaving it unimplemented is how a country takes that default.
        OPTIONAL: a country hook a country may decline, saying why; the core then does
            without (the feature it serves is not offered, or refused naming the hook).
        SECTOR: a sector hook: every sector in force answers, and a sector implements
            only the hooks its rules need.
    """

    REQUIRED = "required"
    DEFAULTED = "defaulted"
    OPTIONAL = "optional"
    SECTOR = "sector"


def status(value: HookStatus) -> Callable[[F], F]:
    """Declare a spec's status (see :class:`HookStatus`) on the spec itself."""

    def declare(spec: F) -> F:
        setattr(spec, STATUS_ATTRIBUTE, value)
        return spec

    return declare


class ChangeKind(enum.StrEnum):
    """How a version changed a hook.

    Members:
        SIGNATURE: its arguments changed: every implementation must follow, and a plugin
            of the previous major version is refused until it does.
        DEPRECATED: implementations still run, each warned at registration, until the
            next major version removes the hook.
    """

    SIGNATURE = "signature"
    DEPRECATED = "deprecated"


@dataclass(frozen=True)
class HookChange:
    """One change of the contract that a plugin written for an earlier version must
    follow.

    Attributes:
        version: the hook API version that made it (``"2.0"``).
        hook: the hook it changed.
        kind: how (see :class:`ChangeKind`).
        what: what a plugin implementing the hook must do, in words.
    """

    version: str
    hook: str
    kind: ChangeKind
    what: str

    @property
    def major(self) -> int:
        """The major version of :attr:`version`."""
        return int(self.version.split(".")[0])

    def __str__(self) -> str:
        return f"{self.hook}: {self.kind} in {self.version}: {self.what}"


class HookDeprecationWarning(DeprecationWarning):
    """A plugin implements a deprecated hook: it still runs, until the next major version
    of the hook API removes the hook."""
