"""Tables fit the terminal: the widest columns of text wrap, numbers never do, and a pipe
gets whole lines."""

from __future__ import annotations

from decimal import Decimal

from partage.core.cli.output import NARROWEST, Format, render

HEADERS = ["key", "value", "source"]
ROWS = [
    ["instance.languages", "nl, fr, de, en", "/srv/partage/configs/instances/be.toml"],
    ["instance.name", "Partage Belgique " * 12, "env PARTAGE_INSTANCE__NAME"],
]


def column(lines: list[str], name: str, following: str | None) -> str:
    """The text of one column read down the table's lines (words rejoined by spaces)."""
    start = lines[0].index(name)
    end = lines[0].index(following) if following else None
    return " ".join(" ".join(line[start:end].split()) for line in lines[2:]).strip()


def test_a_table_fits_the_columns_given_and_keeps_every_word() -> None:
    lines = render(HEADERS, ROWS, Format.TABLE, columns=80).splitlines()
    assert max(len(line) for line in lines) <= 80
    assert len(lines) > 2 + len(ROWS)  # continuation lines
    assert column(lines, "value", "source").count("Partage Belgique") == 12
    assert "/srv/partage/configs/instances/be.toml" in column(lines, "source", None).replace(
        " ", ""
    )


def test_without_a_width_lines_are_whole() -> None:
    text = render(HEADERS, ROWS, Format.TABLE)
    assert len(text.splitlines()) == 2 + len(ROWS)
    assert ("Partage Belgique " * 12).strip() in text


def test_numbers_are_never_wrapped_and_text_stops_at_the_narrowest() -> None:
    rows = [["a fairly long account name " * 3, Decimal("1234567890.12")]]
    text = render(["account", "balance"], rows, Format.TABLE, columns=20)
    lines = text.splitlines()
    assert lines[2].endswith("1234567890.12")
    assert all(len(line.split("  ")[0].rstrip()) <= NARROWEST for line in lines[2:])
