"""Charts drawn on the server as inline SVG: no script, no build, readable without
colour (every bar carries its figure as text and a title for screen readers)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from markupsafe import Markup

WIDTH, BAR_HEIGHT, GAP, LABEL = 640, 22, 8, 150


def bars(
    rows: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    colour: str,
    show: Callable[[Decimal], str] = str,
) -> Markup:
    """A horizontal bar chart of labelled amounts (negative amounts drawn as zero)."""
    top = max((value for _, value in rows), default=Decimal(0))
    # Pixel geometry stays in Decimal too: no float ever touches an amount.
    scale = Decimal(WIDTH - LABEL - 130) / top if top > 0 else Decimal(0)
    height = max(len(rows), 1) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = max(value, Decimal(0)) * scale
        text = escape(show(value))
        parts += [
            f'<text x="{LABEL - 6}" y="{y + 16}" text-anchor="end" font-size="13">'
            f"{escape(label)}</text>",
            f'<rect x="{LABEL}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{escape(colour)}"><title>{escape(label)}: {text}</title></rect>',
            f'<text x="{LABEL + length + 6:.1f}" y="{y + 16}" font-size="13">{text}</text>',
        ]
    if not rows:
        parts.append(f'<text x="{LABEL}" y="{GAP + 16}" font-size="13">–</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
