"""How much one upload may weigh: the ``[limits]`` settings, typed.

A file is refused by its size before any parser sees it, so that a request costs no
more time and memory than its limit allows: an e-invoice is parsed, checked against its
schema and its business rules in memory, a statement read entry by entry, a receipt only
hashed. The limits are operational settings, not law: an instance raises them in its
configuration (``[limits]``); the defaults are sized from the measurements in
``benchmarks/uploads.py`` (docs/speed.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from partage.core.contract.errors import TooLarge

#: What the web's request body may carry besides the largest upload: the other fields
#: of its form or JSON body.
BODY_MARGIN = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """The largest upload of each kind, in bytes (``[limits]`` in the settings).

    Attributes:
        einvoice_bytes: a supplier e-invoice file (Peppol UBL, CII XML, Factur-X PDF).
        einvoice_xml_bytes: an e-invoice's XML, the file itself or the XML inside a
            Factur-X PDF once inflated.
        receipt_bytes: the receipt of an expense claim.
        statement_bytes: a bank statement file (CAMT.053, CODA).
        report_bytes: a network report an instance exported, read by the franchisor.
    """

    einvoice_bytes: int = 5_000_000
    einvoice_xml_bytes: int = 2_000_000
    receipt_bytes: int = 10_000_000
    statement_bytes: int = 50_000_000
    report_bytes: int = 1_000_000

    def request_body_bytes(self) -> int:
        """The largest request body the web reads: the largest file it accepts
        (e-invoice or receipt) as base64 in JSON, and room for the other fields."""
        return base64_length(max(self.einvoice_bytes, self.receipt_bytes)) + BODY_MARGIN


def base64_length(size: int) -> int:
    """The length of ``size`` bytes written in base64 (padded, no line breaks)."""
    return 4 * math.ceil(size / 3)


def bounded(field: str, size: int, limit: int, setting: str) -> None:
    """Nothing if ``size`` bytes fit ``limit``; else :class:`TooLarge` naming ``field``,
    the limit and the setting that sets it."""
    if size > limit:
        raise TooLarge(
            field,
            f"{size:,} bytes, more than the {limit:,} accepted ([limits] {setting})",
        )


def bounded_base64(field: str, text: str, limit: int, setting: str) -> None:
    """Nothing if base64 ``text`` decodes to at most ``limit`` bytes, judged by its
    length before decoding it; else :class:`TooLarge` naming ``field``."""
    if len(text) > base64_length(limit):
        size = len(text) * 3 // 4
        raise TooLarge(
            field,
            f"about {size:,} bytes once decoded, more than the {limit:,} accepted "
            f"([limits] {setting})",
        )
