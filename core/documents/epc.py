"""The EPC QR code of a credit transfer (EPC069-12, "SEPA credit transfer QR code").

A banking app that scans it fills in the beneficiary, the IBAN, the amount and the
structured reference, so the client types nothing and the payment matches its invoice
when the bank statement comes back. The payload is the guideline's version 002: twelve
fields separated by a line feed, UTF-8 (character set ``1``), the BIC optional inside
the EEA, no line feed after the last field that is present. The code itself is drawn
with ``segno`` at error-correction level M, as the guideline requires.

A code is made only where the guideline allows one: an amount in euros between 0.01
and 999,999,999.99 and an IBAN of the SEPA zone (the ``schwifty`` library knows the
zone). Otherwise :func:`epc_payload` answers ``None`` and the document prints no code.
"""

from __future__ import annotations

from decimal import Decimal

import segno
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from partage.core.sales.references import compact

SERVICE_TAG = "BCD"
VERSION = "002"
UTF_8 = "1"
IDENTIFICATION = "SCT"
#: The guideline's bounds (EPC069-12 section 4.2, field 8).
MINIMUM = Decimal("0.01")
MAXIMUM = Decimal("999999999.99")
#: Field lengths of EPC069-12: beneficiary name, structured and unstructured remittance.
NAME_LENGTH = 70
STRUCTURED_LENGTH = 35
UNSTRUCTURED_LENGTH = 140
#: The whole payload may not exceed this many bytes.
PAYLOAD_BYTES = 331


def remittance_reference(reference: str) -> str:
    """The structured reference as the structured-remittance field carries it: an ISO
    11649 ``RF`` reference compact, a Belgian structured communication as its twelve
    digits (without ``+++`` and slashes, as Belgian banks read it)."""
    return compact(reference)


def epc_payload(
    *,
    name: str,
    iban: str,
    amount: Decimal,
    currency: str,
    reference: str = "",
    bic: str | None = None,
    text: str = "",
) -> str | None:
    """The EPC069-12 version 002 payload of a credit transfer, or ``None`` where the
    guideline allows no code (not euros, an amount out of bounds, an IBAN outside the
    SEPA zone or not an IBAN at all).

    ``reference`` goes to the structured remittance field (10), ``text`` to the
    unstructured one (11) only when there is no reference: the guideline allows one of
    the two. The name is cut to 70 characters.
    """
    if currency != "EUR" or not MINIMUM <= amount <= MAXIMUM:
        return None
    try:
        account = IBAN(iban)
    except SchwiftyException:
        return None
    if not account.in_sepa_zone:
        return None
    structured = remittance_reference(reference)[:STRUCTURED_LENGTH] if reference else ""
    fields = [
        SERVICE_TAG,
        VERSION,
        UTF_8,
        IDENTIFICATION,
        (bic or "").replace(" ", "").upper(),
        " ".join(name.split())[:NAME_LENGTH],
        account.compact,
        f"EUR{amount.quantize(MINIMUM)}",
        "",  # purpose (field 9): none
        structured,
        "" if structured else " ".join(text.split())[:UNSTRUCTURED_LENGTH],
    ]
    while fields[-1] == "":
        fields.pop()
    payload = "\n".join(fields)
    if len(payload.encode("utf-8")) > PAYLOAD_BYTES:
        return None
    return payload


def epc_qr(payload: str) -> segno.QRCode:
    """The QR code of a payload: level M, no error boost, UTF-8 bytes, version at most
    13 (the guideline's limit, which 331 bytes at level M respect)."""
    return segno.make(payload, error="m", boost_error=False, encoding="utf-8", micro=False)
