"""The core's own answers to the defaulted hooks, shipped as a plugin like any other.

Every hook whose spec declares :attr:`~partage.core.contract.hookspecs.HookStatus.DEFAULTED`
is answered here, and nowhere else: the services call the hook and take its answer,
with no private fallback of their own. The registry registers this module beside the
country plugin of every instance, each implementation ``trylast``, so that a country's
answer comes first and a country takes the default by leaving the hook unimplemented
(or, for a statement file it does not recognise, by answering ``None``).

It imports the contract only, as a country plugin does, and the camt.053 reader (with
lxml) only when a statement is read, so that building a plugin manager stays light.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

from partage.core.contract.documents import DOCUMENT_TEMPLATES
from partage.core.contract.hookspecs import HOOK_API_VERSION, hookimpl
from partage.core.contract.tax import VatTreatmentKind

if TYPE_CHECKING:
    from partage.core.contract.bank import BankStatement

PARTAGE_HOOK_API = HOOK_API_VERSION
#: The name the registry gives this plugin in every plugin manager.
NAME = "core:defaults"
#: The EN 16931 VAT category (UNCL 5305) of each kind of treatment but domestic, whose
#: category depends on its rate.
CATEGORY_OF_KIND = {
    VatTreatmentKind.INTRA_EU_REVERSE_CHARGE: "AE",
    VatTreatmentKind.EXPORT: "G",
    VatTreatmentKind.EXEMPT: "E",
}


def rf_reference(number: str) -> str:
    """The ISO 11649 creditor reference of an invoice number, compact (``RF..``): the
    number's last 21 letters and digits behind the ISO 7064 MOD 97-10 check digits."""
    body = "".join(ch for ch in number if ch.isascii() and ch.isalnum()).upper()[-21:]
    reference = f"RF{mod_97_10.calc_check_digits(body + 'RF')}{body}"
    return iso11649.validate(reference)


@hookimpl(trylast=True)
def partage_payment_reference(invoice_id: int, number: str) -> str:
    """The international creditor reference (ISO 11649 ``RF``), printed in groups of
    four, built from the invoice number alone."""
    return iso11649.format(rf_reference(number))


@hookimpl(trylast=True)
def partage_einvoice_vat_category(vat_code: str, kind: VatTreatmentKind, rate: Decimal) -> str:
    """The category by kind of treatment, and for a domestic one by rate: ``S`` when VAT
    is charged, ``Z`` at a zero rate."""
    if kind is VatTreatmentKind.DOMESTIC:
        return "S" if rate > 0 else "Z"
    return CATEGORY_OF_KIND[kind]


@hookimpl(trylast=True)
def partage_document_templates() -> str:
    """The core's own templates folder."""
    return str(DOCUMENT_TEMPLATES)


@hookimpl(trylast=True)
def partage_parse_bank_statement(content: bytes, filename: str) -> Sequence[BankStatement]:
    """The file read as ISO 20022 camt.053, the format every SEPA bank offers."""
    from partage.core.contract.camt import read_camt053

    return read_camt053(content)
