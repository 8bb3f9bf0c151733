"""The mentions a country requires on an invoice, as its plugin lists them with their
legal source in ``data/invoice_mentions.toml``, and the check of a sample invoice
against that list.

Each mention names the parts of the invoice document that carry it (``fields``: dotted
attributes of :class:`partage.core.contract.documents.InvoiceDocument`, such as
``buyer.address.street`` or ``supplied_on``) and words the PDF must show (``printed``).
A sample invoice meets its country's list when every field it names has a value in the
document, every text value is printed on the PDF, the e-invoice gives every field back
(read again with the core's own reader), and every printed word appears on the PDF.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from partage.core.contract.documents import InvoiceDocument
from partage.core.contract.errors import PartageError

#: Where a country package lists its invoice mentions, under its folder.
MENTIONS_FILE = Path("data") / "invoice_mentions.toml"


class MentionsError(PartageError):
    """The country's list of invoice mentions is missing or malformed."""


@dataclass(frozen=True)
class Mention:
    """One mention the law requires on an invoice.

    Attributes:
        what: what it is, in words.
        source: the article that requires it.
        fields: the parts of the invoice document that carry it.
        printed: words the PDF must show for it.
    """

    what: str
    source: str
    fields: tuple[str, ...] = ()
    printed: tuple[str, ...] = ()


def read_mentions(path: Path) -> tuple[Mention, ...]:
    """The mentions listed in ``path``; refuses one without its source, without anything
    to check, or naming a part the invoice document does not have."""
    if not path.is_file():
        raise MentionsError(None, f"{path} is missing: list the invoice mentions there")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    mentions = []
    for number, entry in enumerate(data.get("mention", []), start=1):
        what = str(entry.get("what") or "").strip()
        source = str(entry.get("source") or "").strip()
        if not what or not source:
            raise MentionsError(None, f"{path}: mention {number} needs 'what' and 'source'")
        mention = Mention(
            what, source, tuple(entry.get("fields", ())), tuple(entry.get("printed", ()))
        )
        if not mention.fields and not mention.printed:
            raise MentionsError(None, f"{path}: {what!r} names no field and no printed words")
        for name in mention.fields:
            if not _known(name):
                raise MentionsError(None, f"{path}: {what!r} names {name!r}, not in an invoice")
        mentions.append(mention)
    if not mentions:
        raise MentionsError(None, f"{path} lists no mention")
    return tuple(mentions)


def _known(name: str) -> bool:
    head, _, rest = name.partition(".")
    fields = InvoiceDocument.__dataclass_fields__
    if head not in fields:
        return False
    if head in ("seller", "buyer") and rest:
        party, _, leaf = rest.partition(".")
        return party in {"name", "vat_number", "company_id", "email", "code"} or (
            party == "address" and leaf in {"street", "postcode", "city", "country"}
        )
    return not rest


def _value(document: object, name: str) -> Any:
    value: Any = document
    for part in name.split("."):
        value = getattr(value, part, None)
    return value


def _shown(value: Any) -> str | None:
    """The text a value is printed as, for those printed as given (names, numbers,
    addresses); ``None`` for dates, amounts and tables, printed in the language's form."""
    return value if isinstance(value, str) else None


def _same(value: Any) -> Any:
    """A value as compared between the document and its e-invoice: text without its
    punctuation and case (``0403.019.261`` is ``0403019261``), anything else as is."""
    if isinstance(value, str):
        return "".join(c for c in value if c.isalnum()).upper()
    return value


def missing_mentions(
    mentions: Sequence[Mention], document: InvoiceDocument, pdf_text: str, einvoice: InvoiceDocument
) -> list[str]:
    """What a sample invoice lacks of its country's mentions: one sentence each, naming
    the mention, the part missing and where, with the mention's source."""
    flat = " ".join(pdf_text.split())
    missing = []
    for mention in mentions:
        for name in mention.fields:
            value = _value(document, name)
            if value in (None, "", ()) or (isinstance(value, Decimal) and value == 0):
                missing.append(
                    f"{mention.what}: the sample invoice has no {name} ({mention.source})"
                )
                continue
            text = _shown(value)
            if text is not None and " ".join(text.split()) not in flat:
                missing.append(f"{mention.what}: {name} {text!r} is not printed ({mention.source})")
            given = _value(einvoice, name)
            if isinstance(value, (str, date, Decimal)) and _same(given) != _same(value):
                missing.append(
                    f"{mention.what}: the e-invoice gives {name} as {given!r}, not {value!r} "
                    f"({mention.source})"
                )
            elif not given:
                missing.append(f"{mention.what}: the e-invoice has no {name} ({mention.source})")
        for words in mention.printed:
            if words not in flat:
                missing.append(f"{mention.what}: {words!r} is not printed ({mention.source})")
    return missing
