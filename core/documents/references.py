"""Structured payment references: what a client quotes when paying, so that the bank
statement line finds its invoice without a person reading it.

A country plugin may give its national form (Belgium's structured communication
``+++123/4567/89012+++``, hook ``partage_payment_reference``); otherwise the core uses
the international ISO 11649 creditor reference (``RF`` + two check digits + up to 21
characters), built here from the invoice number with python-stdnum's ISO 7064
MOD 97-10. Matching compares references in their compact form (letters and digits,
upper case), whichever punctuation the bank kept.
"""

from __future__ import annotations

import re

import pluggy
from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def compact(reference: str) -> str:
    """A reference reduced to its letters and digits, upper case."""
    return _NOT_ALNUM.sub("", reference).upper()


def rf_reference(number: str) -> str:
    """The ISO 11649 creditor reference of an invoice number (``RF..`` compact)."""
    body = compact(number)[-21:]
    reference = f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"
    return iso11649.validate(reference)


def payment_reference(plugins: pluggy.PluginManager, invoice_id: int, number: str) -> str:
    """The reference an invoice asks its payment to carry: the country's, else RF."""
    given = plugins.hook.partage_payment_reference(invoice_id=invoice_id, number=number)
    return given if given is not None else iso11649.format(rf_reference(number))
