"""Charts drawn on the server as inline SVG: no script, no build, readable without
colour (every bar carries its figure as text and a title for screen readers).

Labels are the caller's translated words, never codes. A label never overflows its
column: the column widens to the longest label up to a third of the chart, and a longer
label is cut with an ellipsis, its whole text kept in a tooltip (``<title>``).

A negative amount is drawn to the left of the zero line, in the warning colour: an
entity short of funds must stand out, not vanish as a bar of zero length."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_CEILING, Decimal
from html import escape

from markupsafe import Markup

WIDTH, BAR_HEIGHT, GAP, LABEL = 640, 22, 8, 150
#: A generous average width of one character at the charts' 13px font, in pixels.
CHAR = Decimal("7.5")
#: The widest label column, in pixels.
LABEL_MAX = WIDTH // 3


def label_width(labels: Sequence[str]) -> int:
    """The label column's width: the longest label's, within [:data:`LABEL`,
    :data:`LABEL_MAX`] pixels."""
    longest = max((len(text) for text in labels), default=0)
    return min(max(int((longest * CHAR).to_integral_value(ROUND_CEILING)) + 12, LABEL), LABEL_MAX)


def fitted(label: str, pixels: int) -> str:
    """``label`` as an SVG text that fits ``pixels``: cut with an ellipsis when longer,
    its whole text in a tooltip either way."""
    room = max(int(Decimal(pixels - 12) / CHAR), 1)
    shown = label if len(label) <= room else label[: room - 1].rstrip() + "…"
    return f"<title>{escape(label)}</title>{escape(shown)}"


#: Room kept right of the longest bar for its figure, in pixels.
FIGURE_ROOM = 130
#: The colour of bars below zero (the page's warning colour).
NEGATIVE_COLOUR = "#b3261e"


def bars(
    rows: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    colour: str,
    show: Callable[[Decimal], str] = str,
    negative_colour: str = NEGATIVE_COLOUR,
) -> Markup:
    """A horizontal bar chart of labelled amounts, negative ones drawn below zero (to
    the left of the zero line) in ``negative_colour``."""
    top = max((value for _, value in rows), default=Decimal(0))
    label = label_width([text for text, _ in rows])
    bottom = min((value for _, value in rows), default=Decimal(0))
    span = max(top, Decimal(0)) - min(bottom, Decimal(0))
    # Pixel geometry stays in Decimal too: no float ever touches an amount.
    room = Decimal(WIDTH - label - FIGURE_ROOM)
    if bottom < 0:
        room -= FIGURE_ROOM // 2  # a negative bar's figure sits right of the zero line
    scale = room / span if span > 0 else Decimal(0)
    zero = label + (-min(bottom, Decimal(0))) * scale
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (name, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = abs(value) * scale
        start = zero - length if value < 0 else zero
        figure_at = zero + 6 if value < 0 else zero + length + 6
        fill = negative_colour if value < 0 else colour
        text = escape(show(value))
        parts += [
            f'<text x="{label - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{fitted(name, label)}</text>",
            f'<rect x="{start:.1f}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{escape(fill)}" data-value="{value}">'
            f"<title>{escape(name)}: {text}</title></rect>",
            f'<text x="{figure_at:.1f}" y="{y + 16}" font-size="13">{text}</text>',
        ]
    if bottom < 0 and rows:
        parts.append(
            f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" '
            f'stroke="currentColor" stroke-width="1" class="zero"/>'
        )
    if not rows:
        parts.append(f'<text x="{label}" y="{GAP + 16}" font-size="13">–</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


COLUMN_AREA, AXIS = 200, 40


def columns(
    months: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Decimal]]],
    *,
    title: str,
    show: Callable[[Decimal], str] = str,
) -> Markup:
    """Side-by-side columns per month, one colour per series (``(name, colour,
    values)``), named in a legend above; each column's tooltip gives its figure, and a
    negative figure hangs below the axis. Where ``YYYY-MM`` months do not fit under
    their columns, only the month's number is written (the whole one in its tooltip)."""
    values = [v for _, _, figures in series for v in figures]
    top = max((abs(v) for v in values), default=Decimal(0))
    negative = any(v < 0 for v in values)
    scale = Decimal(COLUMN_AREA) / top if top > 0 else Decimal(0)
    legend = 24
    axis = legend + (COLUMN_AREA if top > 0 else 0) + 8
    height = axis + (COLUMN_AREA if negative else 0) + AXIS
    slot = Decimal(WIDTH - 20) / max(len(months), 1)
    width = max(slot / max(len(series), 1) - 2, Decimal(2))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    x = 10
    for name, colour, _ in series:
        parts += [
            f'<rect x="{x}" y="6" width="12" height="12" fill="{escape(colour)}"/>',
            f'<text x="{x + 16}" y="16" font-size="13">{escape(name)}</text>',
        ]
        x += 40 + int(len(name) * CHAR)
    parts.append(f'<line x1="10" y1="{axis}" x2="{WIDTH - 10}" y2="{axis}" stroke="#999" />')
    for index, month in enumerate(months):
        left = 10 + slot * index
        for rank, (name, colour, figures) in enumerate(series):
            value = figures[index] if index < len(figures) else Decimal(0)
            size = abs(value) * scale
            y = axis - size if value >= 0 else Decimal(axis)
            parts.append(
                f'<rect x="{left + rank * (width + 2):.1f}" y="{y:.1f}" width="{width:.1f}" '
                f'height="{size:.1f}" fill="{escape(colour)}"><title>{escape(month)} · '
                f"{escape(name)}: {escape(show(value))}</title></rect>"
            )
        below = height - AXIS + 16
        room = int(Decimal(int(slot) - 12) / CHAR)
        shown = month if len(month) <= room else month.rsplit("-", 1)[-1]
        parts.append(
            f'<text x="{left + slot / 2:.1f}" y="{below}" text-anchor="middle" '
            f'font-size="12"><title>{escape(month)}</title>{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def most_in_trouble(
    rows: Sequence[tuple[str, Decimal]], shown: int
) -> tuple[list[tuple[str, Decimal]], int, Decimal]:
    """The ``shown`` rows of lowest amount, lowest first (ties by label), then how many
    rows were left out and their total: a chart of hundreds of entities shows those
    that need someone, and says how much the others hold."""
    ordered = sorted(rows, key=lambda row: (row[1], row[0]))
    rest = ordered[shown:]
    return ordered[:shown], len(rest), sum((value for _, value in rest), Decimal(0))
