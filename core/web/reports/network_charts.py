"""The network page's charts, drawn on the server as inline SVG like :mod:`..charts`.

The network compares instances and follows them over time, so its charts must show
what a comparison needs: a value below zero (a period with more credit notes than
invoices, a fund that paid more than it held) drawn to the left of a zero line, and
labels as long as the language makes them, whatever that language. The label and
value columns are sized from the longest text, so no text is cut; every bar carries
its figure as text and a title for screen readers, and the figures stay exact
(Decimal geometry, no float).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from markupsafe import Markup

#: Width of the bars' area, and of one bar with the gap under it (pixels).
PLOT, BAR, GAP, GROUP_GAP = Decimal(380), 20, 6, 10
#: A wide character's advance at the charts' 13-pixel font, to size text columns.
CHARACTER = Decimal(8)
#: Colours of the instances after the brand's two, in order.
MORE_COLOURS = ("#2E7D32", "#1565C0", "#EF6C00", "#6A1B9A", "#00838F", "#AD1457")


@dataclass(frozen=True)
class Bar:
    """One bar.

    Attributes:
        label: what it stands for, shown left of the chart.
        value: its figure (negative drawn left of zero).
        colour: its fill.
        group_start: whether a wider gap separates it from the bar above.
    """

    label: str
    value: Decimal
    colour: str
    group_start: bool = False


def colours(codes: Sequence[str], primary: str, secondary: str) -> dict[str, str]:
    """One colour per instance code: the brand's two first, then distinct ones."""
    palette = (primary, secondary, *MORE_COLOURS)
    return {code: palette[i % len(palette)] for i, code in enumerate(codes)}


def _width(texts: Sequence[str]) -> Decimal:
    return CHARACTER * max((len(t) for t in texts), default=0) + 12


def draw(bars: Sequence[Bar], *, title: str, show: Callable[[Decimal], str]) -> Markup:
    """A horizontal bar chart; zero is a line, negative bars run left of it."""
    shown = [show(b.value) for b in bars]
    label_width, value_width = _width([b.label for b in bars]), _width(shown)
    top = max((b.value for b in bars), default=Decimal(0))
    bottom = min((b.value for b in bars), default=Decimal(0))
    span = max(top, Decimal(0)) - min(bottom, Decimal(0))
    scale = PLOT / span if span > 0 else Decimal(0)
    left_room = value_width if bottom < 0 else Decimal(0)
    zero = label_width + left_room - min(bottom, Decimal(0)) * scale
    width = label_width + left_room + PLOT + value_width
    rows: list[str] = []
    y = GAP
    for bar, text in zip(bars, shown, strict=True):
        y += GROUP_GAP if bar.group_start and rows else 0
        length = abs(bar.value) * scale
        x = zero if bar.value >= 0 else zero - length
        figure_x, anchor = (zero + length + 4, "start") if bar.value >= 0 else (x - 4, "end")
        rows += [
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{escape(bar.label)}</text>",
            f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR}" '
            f'fill="{escape(bar.colour)}"><title>{escape(bar.label)}: {escape(text)}</title>'
            "</rect>",
            f'<text x="{figure_x:.1f}" y="{y + 15}" text-anchor="{anchor}" font-size="13">'
            f"{escape(text)}</text>",
        ]
        y += BAR + GAP
    if not bars:
        rows.append(f'<text x="{label_width}" y="{GAP + 15}" font-size="13">–</text>')
        y += BAR + GAP
    axis = f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{y}" stroke="#777" />'
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {width:.0f} {y}" width="{width:.0f}" height="{y}" data-fit="1" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(rows)
        + axis
        + "</svg>"
    )


def per_instance(
    rows: Sequence[tuple[str, Decimal]],
    *,
    title: str,
    palette: dict[str, str],
    show: Callable[[Decimal], str],
) -> Markup:
    """One bar per instance code."""
    return draw([Bar(code, value, palette[code]) for code, value in rows], title=title, show=show)


def over_time(
    points: Sequence[tuple[str, str, Decimal]],
    *,
    title: str,
    palette: dict[str, str],
    show: Callable[[Decimal], str],
) -> Markup:
    """``(period, instance, value)`` points, grouped by period in the order given, one
    bar per instance in its colour, each labelled with the period and the instance."""
    bars: list[Bar] = []
    previous: str | None = None
    for period, code, value in points:
        bars.append(Bar(f"{period} · {code}", value, palette[code], period != previous))
        previous = period
    return draw(bars, title=title, show=show)
