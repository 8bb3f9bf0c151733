"""Journal entries' descriptions in the reader's language: every description the core
posts is one of :mod:`partage.core.ledger.wording`'s templates, and a page says it in
French, Dutch or German with the stored figures."""

from __future__ import annotations

import re
from pathlib import Path

from partage.core.ledger import wording
from partage.core.web import i18n

ROOT = Path(wording.__file__).parents[1]
#: ``description=f"..."`` and ``cause=f"..."`` as the core writes them.
WRITTEN = re.compile(r'\b(description|cause)=f"((?:[^"\\]|\\.)*)"')
#: Descriptions that are the member's or the document's own words, shown as written.
VERBATIM = {"Credit: {}"}


def shape(template: str) -> str:
    """A template with each placeholder made anonymous: ``Payment of {}``."""
    return re.sub(r"\{[^{}]*\}", "{}", template)


def test_every_description_the_core_writes_has_its_template() -> None:
    known = {"description": {shape(t) for t in wording.DESCRIPTIONS}}
    known["cause"] = {shape(t) for t in wording.CAUSES}
    written = [
        (path.name, kind, shape(text))
        for path in ROOT.rglob("*.py")
        for kind, text in WRITTEN.findall(path.read_text(encoding="utf-8"))
    ]
    assert len(written) > 25
    missing = [w for w in written if w[2] not in known[w[1]] and w[2] not in VERBATIM]
    assert not missing, missing


def test_a_description_is_said_in_the_readers_language() -> None:
    french = i18n.catalog("fr").gettext
    dutch = i18n.catalog("nl").gettext
    german = i18n.catalog("de").gettext
    text = "Payment from Corner Café returned by the bank (AC04)"
    assert wording.parse(text) == (
        "Payment from {party} returned by the bank ({return_reason})",
        {"party": "Corner Café", "return_reason": "AC04"},
    )
    assert "Corner Café" in wording.said(text, french) and "banque" in wording.said(text, french)
    advance = "Guarantee fund advance to E000003 after invoice F2026-0001"
    said = wording.said(advance, dutch)
    assert "E000003" in said and "F2026-0001" in said and "invoice" not in said
    assert wording.said("Payslip 2026-03 of member 12", german).startswith("Lohnabrechnung")
    assert wording.said("Painting the hall", french) == "Painting the hall"
    assert wording.said(text, lambda m: m) == text


def test_every_template_is_translated_with_its_parts() -> None:
    for language in ("fr", "nl", "de"):
        gettext = i18n.catalog(language).gettext
        for template in wording.DESCRIPTIONS + wording.CAUSES:
            translated = gettext(template)
            assert translated != template or template == "{entity}", (language, template)
            assert sorted(re.findall(r"\{\w+\}", translated)) == sorted(
                re.findall(r"\{\w+\}", template)
            ), (language, template)
