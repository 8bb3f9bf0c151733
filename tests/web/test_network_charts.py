"""The network page's charts: a negative figure runs left of the zero line, the label
and figure columns are as wide as their longest text, and every bar carries its figure
as text and title."""

from __future__ import annotations

import re
from decimal import Decimal

from partage.core.web.reports.network_charts import Bar, colours, draw, over_time

D = Decimal


def numbers(svg: str, tag: str, attribute: str) -> list[Decimal]:
    return [D(v) for v in re.findall(rf'<{tag} [^>]*?\b{attribute}="(-?[\d.]+)"', svg)]


def test_a_negative_bar_runs_left_of_zero_and_a_positive_one_right() -> None:
    svg = str(draw([Bar("be", D(300), "#111"), Bar("fr", D(-100), "#222")], title="t", show=str))
    zero = D(re.search(r'<line x1="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    (be_x, fr_x), (be_w, fr_w) = numbers(svg, "rect", "x"), numbers(svg, "rect", "width")
    assert be_x == zero and fr_x + fr_w == zero
    assert be_w == 3 * fr_w  # to scale: 300 against 100
    assert "<title>fr: -100</title>" in svg


def test_columns_are_as_wide_as_their_longest_text() -> None:
    long = "Un libellé vraiment très long"
    svg = str(draw([Bar(long, D(5), "#111"), Bar("x", D(-5), "#111")], title="t", show=str))
    width = D(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))  # type: ignore[union-attr]
    label_end = numbers(svg, "text", "x")[0]
    assert label_end >= len(long) * 7  # the label's column holds the whole label
    assert max(numbers(svg, "text", "x")) + 8 * len("5") <= width


def test_without_figures_the_chart_says_so_and_bars_over_time_are_grouped() -> None:
    assert "–" in str(draw([], title="t", show=str))
    palette = colours(["be", "fr"], "#E4003A", "#1D1D1B")
    svg = str(
        over_time(
            [("2026-05", "be", D(1)), ("2026-05", "fr", D(2)), ("2026-06", "be", D(3))],
            title="Members",
            palette=palette,
            show=str,
        )
    )
    assert [t for t in re.findall(r">([^<>]+ · [a-z]{2})<", svg)] == [
        "2026-05 · be",
        "2026-05 · fr",
        "2026-06 · be",
    ]
    assert svg.count('fill="#E4003A"') == 2 and svg.count('fill="#1D1D1B"') == 1
