"""Rendering rows for people (aligned table) and for programs (CSV, JSON).

Every report of the command line goes through :func:`render`, so that ``--format``
means the same thing everywhere. ``Decimal`` values are written as exact strings in
JSON, never as floats.
"""

from __future__ import annotations

import csv
import enum
import io
import json
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


def render(headers: Sequence[str], rows: Sequence[Sequence[Any]], fmt: Format) -> str:
    """Render rows with their headers in the chosen format."""
    if fmt is Format.JSON:
        return to_json([dict(zip(headers, row, strict=True)) for row in rows])
    if fmt is Format.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([[_text(v) for v in row] for row in rows])
        return buffer.getvalue().rstrip("\n")
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    right = [
        bool(rows) and all(isinstance(r[i], int | Decimal) for r in rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in cells)])


#: The ``--format`` option every listing command takes.
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
