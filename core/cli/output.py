"""Rendering rows for people (aligned table) and for programs (CSV, JSON).

Every report of the command line goes through :func:`render`, so that ``--format``
means the same thing everywhere. ``Decimal`` values are written as exact strings in
JSON, never as floats.
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import json
import shutil
import sys
import textwrap
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

import typer


class Format(enum.StrEnum):
    """Output formats of the command line."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(value: Any) -> str:
    """JSON with exact decimals (as strings) and ISO dates."""
    return json.dumps(value, default=_json_default, indent=2, ensure_ascii=False)


#: The narrowest a wrapped column of text gets, so that a cell stays readable.
NARROWEST = 16


def render(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    fmt: Format,
    *,
    columns: int | None = None,
) -> str:
    """Render rows with their headers in the chosen format.

    A table fits ``columns`` characters (by default the terminal's width when the output
    is a terminal, else no limit, so that a pipe gets whole lines): the widest columns of
    text are wrapped onto continuation lines; numbers are never wrapped.
    """
    if fmt is Format.JSON:
        return to_json([dict(zip(headers, row, strict=True)) for row in rows])
    if fmt is Format.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([[_text(v) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    if columns is None and sys.stdout.isatty():
        columns = shutil.get_terminal_size().columns
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    right = [
        bool(rows) and all(isinstance(r[i], int | Decimal) for r in rows)
        for i in range(len(headers))
    ]
    if columns is not None:
        widths = _fitted(widths, right, columns)

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ).rstrip()

    def lines(values: Sequence[str]) -> list[str]:
        parts = [
            textwrap.wrap(v, w, break_on_hyphens=False) or [""] if len(v) > w else [v]
            for v, w in zip(values, widths, strict=True)
        ]
        return [line(row) for row in itertools.zip_longest(*parts, fillvalue="")]

    body = [text for row in cells for text in lines(row)]
    return "\n".join([line(headers), line(["-" * w for w in widths]), *body])


def _fitted(widths: list[int], right: list[bool], columns: int) -> list[int]:
    """``widths`` with the text columns capped at one level, the highest at which the
    table fits ``columns`` (the widest columns share the cut; never below
    :data:`NARROWEST`)."""
    room = columns - 2 * (len(widths) - 1) - sum(w for w, r in zip(widths, right, strict=True) if r)
    text = [w for w, r in zip(widths, right, strict=True) if not r]
    level = max(text, default=0)
    while level > NARROWEST and sum(min(w, level) for w in text) > room:
        level -= 1
    return [w if r else min(w, level) for w, r in zip(widths, right, strict=True)]


#: The ``--format`` option every listing command takes.
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
