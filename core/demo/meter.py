"""The meter of a simulated month: acts done, refused and skipped, and their time.

``partage demo`` prints its counts and refusals; the month benchmark its acts per
second. An act refused by the engine's rules is counted, never raised: a refusal is
part of a realistic month.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from partage.core.acts.cooperative import ActError

#: The kind of the act whose transaction is running, ``None`` between acts: the month
#: benchmark counts each kind's database statements by it.
ACT_KIND: ContextVar[str | None] = ContextVar("act_kind", default=None)


@dataclass
class Meter:
    """Acts done, refused and skipped, and the time they took, by act kind.

    Attributes:
        done: acts that went through.
        refused: refusals, by ``(act kind, error class)``.
        skipped: acts not attempted because an act they follow was refused.
        seconds: time spent in each kind's transactions, commits included.
        examples: the first refusal message of each ``(kind, error class)``.
    """

    done: Counter[str] = field(default_factory=Counter)
    refused: Counter[tuple[str, str]] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    examples: dict[tuple[str, str], str] = field(default_factory=dict)

    def refuse(self, kind: str, error: ActError) -> None:
        """Count a refusal of a ``kind`` act, keeping the first message of its class."""
        key = (kind, type(error).__name__)
        self.refused[key] += 1
        self.examples.setdefault(key, str(error))

    def mark(self) -> tuple[Counter[str], Counter[tuple[str, str]]]:
        """The counts now, for :meth:`since`."""
        return Counter(self.done), Counter(self.refused)

    def since(self, mark: tuple[Counter[str], Counter[tuple[str, str]]]) -> dict[str, Any]:
        """What was counted since ``mark``, as JSON (a journalled step keeps it)."""
        done, refused = mark
        return {
            "done": dict(self.done - done),
            "refused": [
                [kind, error, n, self.examples[kind, error]]
                for (kind, error), n in (self.refused - refused).items()
            ],
        }

    def restore(self, counted: dict[str, Any]) -> None:
        """Count again what a journalled step counted (:meth:`since`)."""
        self.done.update(counted["done"])
        for kind, error, n, example in counted["refused"]:
            self.refused[kind, error] += n
            self.examples.setdefault((kind, error), example)

    def rates(self) -> dict[str, float]:
        """Acts per second of each kind (refused ones count: they were checked)."""
        attempts = Counter(self.done)
        for (kind, _), n in self.refused.items():
            attempts[kind] += n
        return {k: attempts[k] / s for k, s in self.seconds.items() if s > 0}

    @property
    def total_seconds(self) -> float:
        """Time spent in all the acts' transactions."""
        return sum(self.seconds.values())
