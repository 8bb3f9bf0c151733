"""Structured payment references: what a client quotes when paying, so that the bank
statement line finds its invoice without a person reading it.

A country plugin may give its national form (Belgium's structured communication
``+++123/4567/89012+++``, hook ``partage_payment_reference``); otherwise the core's
default plugin gives the international ISO 11649 creditor reference (``RF`` + two check
digits + up to 21 characters), built from the invoice number with python-stdnum's
ISO 7064 MOD 97-10 (:func:`partage.core.platform.defaults.rf_reference`). Matching
compares references in their compact form (letters and digits, upper case), whichever
punctuation the bank kept.

Suppliers ask the same of the cooperative (EN 16931 BT-83): a reference a supplier
gives is checked here, with python-stdnum, before payments are made to carry it — a
wrong check digit would send the money unmatched to the supplier's books.
"""

from __future__ import annotations

import re

import pluggy
from stdnum import iso11649
from stdnum.be import ogm_vcs
from stdnum.exceptions import ValidationError

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")
#: The forms a structured reference is written in: ``RF`` and two check digits, or a
#: Belgian communication between ``+++`` or ``***``, or its twelve digits alone.
_STRUCTURED = re.compile(r"^RF\d\d|^\d{12}$")


def compact(reference: str) -> str:
    """A reference reduced to its letters and digits, upper case."""
    return _NOT_ALNUM.sub("", reference).upper()


def payment_reference(plugins: pluggy.PluginManager, invoice_id: int, number: str) -> str:
    """The reference an invoice asks its payment to carry: the country's, else the
    core's ISO 11649 ``RF`` reference (the default plugin gives it)."""
    reference: str = plugins.hook.partage_payment_reference(invoice_id=invoice_id, number=number)
    return reference


def looks_structured(reference: str) -> bool:
    """Whether a reference is written as a structured one (``RF..``, ``+++..+++``,
    ``***..***`` or twelve digits), whether or not its check digits are right: free
    text is something else, a structured reference with wrong digits is a mistake."""
    return "+++" in reference or "***" in reference or bool(_STRUCTURED.match(compact(reference)))


def structured_reference(reference: str) -> str:
    """A structured payment reference in its standard form: a Belgian structured
    communication as ``+++123/4567/89012+++``, an ISO 11649 creditor reference compact
    (``RF18539007547034``, its electronic form).

    Raises ``ValueError`` saying which form was expected and which check failed.
    """
    body = compact(reference)
    try:
        if body.startswith("RF"):
            return iso11649.validate(body)
        return f"+++{ogm_vcs.format(ogm_vcs.validate(body))}+++"
    except ValidationError as error:
        form = (
            "an ISO 11649 creditor reference (RF, 2 check digits, up to 21 characters)"
            if body.startswith("RF")
            else "a Belgian structured communication (+++123/4567/89012+++) or an RF "
            "creditor reference"
        )
        raise ValueError(f"{reference!r} is not {form}: {error}") from None
