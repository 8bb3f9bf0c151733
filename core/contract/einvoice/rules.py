"""The EN 16931 business rules a document can break through its parties' data.

Most EN 16931 rules hold by construction of the model (totals are sums, VAT is rounded
per category). Those checked here depend on facts a member may have left out when the
client was registered — a business client's VAT number above all — and must be caught
before a file is produced, with the rule's official identifier, so that the member
knows what to fix. The official Schematron stays the judge of the produced files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from partage.core.contract.documents import InvoiceDocument
from partage.core.contract.errors import PartageError


@dataclass(frozen=True)
class Finding:
    """One broken rule.

    Attributes:
        rule: the official identifier (``"BR-AE-02"``).
        message: what is wrong, in words, with the field to fix.
        where: where it is: ``"XML line 12"`` in a file, ``"invoice line 2"``, or
            ``None`` for the document as a whole.
        severity: ``"fatal"`` when the document must be refused, ``"warning"`` when the
            rule only advises (the official rules flag some that way); the caller decides
            what a warning does.
    """

    rule: str
    message: str
    where: str | None = None
    severity: Literal["fatal", "warning"] = "fatal"

    def __str__(self) -> str:
        notes = [self.where] if self.where else []
        if self.severity != "fatal":
            notes.append(self.severity)
        return (
            f"{self.rule} ({', '.join(notes)}): {self.message}"
            if notes
            else (f"{self.rule}: {self.message}")
        )


class RuleBroken(PartageError):
    """A document breaks EN 16931 or network rules; nothing was produced.

    Attributes:
        findings: every rule broken.
    """

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__(None, "; ".join(str(f) for f in findings))


#: Categories where the buyer must be identified by a VAT number: reverse charge
#: (BR-AE-02) and intra-community supply (BR-IC-02).
BUYER_VAT_RULES = {"AE": "BR-AE-02", "K": "BR-IC-02"}


def check(document: InvoiceDocument) -> list[Finding]:
    """Rules the document breaks through missing party data."""
    found: list[Finding] = []
    categories = {line.vat_category for line in document.lines}
    for category, rule in BUYER_VAT_RULES.items():
        if category in categories and not document.buyer.vat_number:
            found.append(
                Finding(
                    rule,
                    f"an invoice with VAT category {category} needs the buyer's VAT number "
                    f"(client {document.buyer.code or document.buyer.name}: vat_number is empty)",
                )
            )
    if not document.seller.vat_number and categories & {"S", "Z", "AE", "K", "G", "E"}:
        found.append(Finding("BR-CO-26", "the seller's VAT number is missing (issuer.vat_number)"))
    if not document.buyer.address.country:
        found.append(Finding("BR-11", "the buyer's country code is missing"))
    if "K" in categories and not document.delivery_country:
        found.append(Finding("BR-IC-12", "an intra-community supply needs the deliver-to country"))
    return found


def require(document: InvoiceDocument, extra: list[Finding] | None = None) -> None:
    """Raise :class:`RuleBroken` if the document breaks any rule of :func:`check`."""
    found = check(document) + list(extra or [])
    if found:
        raise RuleBroken(found)
