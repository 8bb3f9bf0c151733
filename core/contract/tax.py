"""VAT as the core asks a country for it: rates in force, the treatment of a line, the
movements a return is built from and the boxes it answers with.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class VatRate:
    """A VAT rate in force.

    Attributes:
        code: the plugin's rate code (``"standard"``, ``"reduced"``, ``"zero"``).
        rate: a fraction, ``Decimal("0.21")``.
        in_force_from: the first day it applies.
        label: the rate as printed (``"21 %"``).
    """

    code: str
    rate: Decimal
    in_force_from: date
    label: str


class VatTreatmentKind(enum.StrEnum):
    """How VAT applies to one line."""

    DOMESTIC = "domestic"
    INTRA_EU_REVERSE_CHARGE = "intra_eu_reverse_charge"
    EXPORT = "export"
    EXEMPT = "exempt"


@dataclass(frozen=True)
class VatLineContext:
    """What the core knows about a sale or purchase line when asking for its VAT.

    Attributes:
        direction: ``"sale"`` or ``"purchase"``.
        on: the tax point (invoice date).
        rate_code: the rate the member chose (``"standard"``...), or ``None`` for the
            country's standard rate.
        supply: ``"services"`` or ``"goods"``.
        counterpart_country: ISO alpha-2 code (upper case) of the client or supplier.
        counterpart_vat_number: their VAT number when they are a taxable business.
        exemption: the plugin's exemption code the member chose, if any.
        vat_on_debits: the instance opted to pay the VAT of its services on invoicing
            rather than on payment (``[instance] vat_on_debits``; France's "option pour
            les débits", CGI art. 269-2-c); countries without such an option ignore it.
            Added in 2.6.
    """

    direction: str
    on: date
    rate_code: str | None
    supply: str
    counterpart_country: str
    counterpart_vat_number: str | None = None
    exemption: str | None = None
    vat_on_debits: bool = False


@dataclass(frozen=True)
class VatTreatment:
    """The VAT a line carries.

    Attributes:
        kind: domestic, reverse charge, export or exempt.
        vat_code: the code stored on journal lines and used by the VAT return.
        rate: the fraction charged on the line (zero unless domestic).
        legal_mention: the text the invoice must print for this treatment, if any.
    """

    kind: VatTreatmentKind
    vat_code: str
    rate: Decimal
    legal_mention: str | None = None


@dataclass(frozen=True)
class VatMovement:
    """Posted VAT-relevant amounts for one VAT code, summed over a period.

    Attributes:
        vat_code: as returned in :class:`VatTreatment`.
        direction: ``"sale"`` or ``"purchase"``.
        base: taxable base, positive for sales and purchases, negative for credit notes.
        vat: VAT amount with the same sign convention.
    """

    vat_code: str
    direction: str
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class ReturnBox:
    """One box (grid, line) of a periodic return.

    Attributes:
        box: the official box number or line code (``"03"``, ``"A1"``).
        label: what the box holds.
        amount: in the instance currency.
    """

    box: str
    label: str
    amount: Decimal
