"""Charts drawn on the server as inline SVG: no script, no build, readable without
colour (every bar carries its figure as text and a title for screen readers).

A negative amount is drawn to the left of the zero line, in the warning colour: an
entity short of funds must stand out, not vanish as a bar of zero length."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from markupsafe import Markup

WIDTH, BAR_HEIGHT, GAP, LABEL = 640, 22, 8, 150
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
    bottom = min((value for _, value in rows), default=Decimal(0))
    span = max(top, Decimal(0)) - min(bottom, Decimal(0))
    # Pixel geometry stays in Decimal too: no float ever touches an amount.
    room = Decimal(WIDTH - LABEL - FIGURE_ROOM)
    if bottom < 0:
        room -= FIGURE_ROOM // 2  # a negative bar's figure sits right of the zero line
    scale = room / span if span > 0 else Decimal(0)
    zero = LABEL + (-min(bottom, Decimal(0))) * scale
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = abs(value) * scale
        start = zero - length if value < 0 else zero
        figure_at = zero + 6 if value < 0 else zero + length + 6
        fill = negative_colour if value < 0 else colour
        text = escape(show(value))
        parts += [
            f'<text x="{LABEL - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>",
            f'<rect x="{start:.1f}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{escape(fill)}" data-value="{value}">'
            f"<title>{escape(label)}: {text}</title></rect>",
            f'<text x="{figure_at:.1f}" y="{y + 16}" font-size="13">{text}</text>',
        ]
    if bottom < 0 and rows:
        parts.append(
            f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" '
            f'stroke="currentColor" stroke-width="1" class="zero"/>'
        )
    if not rows:
        parts.append(f'<text x="{LABEL}" y="{GAP + 16}" font-size="13">–</text>')
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
