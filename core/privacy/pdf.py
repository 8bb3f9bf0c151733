"""A personal-data export as a PDF a person can read: what is stored about them, the
records the law keeps and until when, then every stored value.

The export's JSON is the reference; this is the same content laid out for reading,
with the fonts the invoices embed (DejaVu Sans), so that any name prints.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from partage.core.documents.pdf import FONT, FONTS
from partage.core.privacy.records import PersonalData

#: Longest text printed for one value; the JSON export carries it whole.
MOST_CHARACTERS = 2_000


def _lines(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """``(path, text)`` pairs for every leaf of a JSON-ready value."""
    if isinstance(value, dict):
        pairs: list[tuple[str, str]] = []
        for key, inner in value.items():
            pairs += _lines(inner, f"{prefix}.{key}" if prefix else str(key))
        return pairs or [(prefix, "—")]
    if isinstance(value, list):
        pairs = []
        for index, inner in enumerate(value, 1):
            pairs += _lines(inner, f"{prefix}[{index}]")
        return pairs or [(prefix, "none")]
    text = "—" if value is None else str(value)
    return [(prefix, text[:MOST_CHARACTERS])]


def render(data: PersonalData, *, title: str = "Personal data export") -> bytes:
    """The export as PDF bytes."""
    pdf = FPDF(format="A4")
    pdf.set_title(f"{title}: {data.subject}")
    # dated the export's day, so that the same data give the same bytes
    pdf.set_creation_date(datetime.combine(data.exported_on, time(), UTC))
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def heading(text: str, size: int = 12) -> None:
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(width, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 9)

    def line(text: str) -> None:
        pdf.multi_cell(width, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    heading(f"{title}: {data.subject}", 14)
    line(f"Exported on {data.exported_on.isoformat()} (GDPR art. 15).")
    if data.erased_at is not None:
        line(f"Erased on request at {data.erased_at.isoformat()} (GDPR art. 17).")
    heading("Records the law keeps (GDPR art. 17(3)(b))")
    if not data.retention_known:
        line("The country plugin gives no retention periods: none can be stated.")
    elif not data.kept:
        line("None.")
    for kept in data.kept:
        line(
            f"{kept.kind} {kept.reference} ({kept.count}, latest {kept.dated.isoformat()}): "
            f"kept until {kept.kept_until.isoformat()} — {kept.source}"
        )
    for section, value in data.sections.items():
        heading(section.replace("_", " ").capitalize())
        for path, text in _lines(value):
            line(f"{path}: {text}" if path else text)
    return bytes(pdf.output())
