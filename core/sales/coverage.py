"""Which receivables the salary guarantee's rules cover, and how much they offer: the
rule the fund's capacity (:mod:`partage.core.risk.solvency`) and its cover of a
shortfall (:mod:`partage.core.sales.fund_cover`) share.

A receivable is eligible when it is an issued invoice of the entity, neither written
off nor taken over by the fund, to a client not in default, and overdue by at most
``max_days_overdue`` days; its outstanding amount is its total (VAT included) less what
was paid or credited on it. The coverage offered on an entity's eligible receivables is
``min(coverage_rate × Σ eligible, ceiling_per_entity)``.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, func, select

from partage.core.contract.money import round_money
from partage.core.members.models import Party
from partage.core.platform.config import GuaranteeRules
from partage.core.sales.models import Invoice, InvoiceKind
from partage.core.sales.receivables import OPEN_INVOICES, OUTSTANDING

_OPEN_OF = OPEN_INVOICES.where(Invoice.entity_id.in_(bindparam("entity_ids", expanding=True)))
_OPEN_ROWS = _OPEN_OF.subquery()

#: Eligible receivables of entities (``entity_ids``) on a day (``on``, ``due_after``).
ELIGIBLE = (
    select(_OPEN_ROWS.c.entity_id, func.sum(_OPEN_ROWS.c.outstanding))
    .join(Invoice, Invoice.id == _OPEN_ROWS.c.id)
    .join(Party, Party.id == Invoice.party_id)
    .where(
        Party.defaulted_on.is_(None),
        Invoice.taken_over_on.is_(None),
        _OPEN_ROWS.c.due_on >= bindparam("due_after"),
        Invoice.issued_on <= bindparam("on"),
    )
    .group_by(_OPEN_ROWS.c.entity_id)
)

#: Eligible receivables of every entity that has some, on a day (``on``,
#: ``due_after``): read from the invoices due since ``due_after`` (an indexed range),
#: whatever the number of invoices issued before.
ELIGIBLE_ALL = (
    select(Invoice.entity_id, func.sum(OUTSTANDING).label("eligible"))
    .join(Party, Party.id == Invoice.party_id)
    .where(
        Invoice.due_on >= bindparam("due_after"),
        Invoice.issued_on <= bindparam("on"),
        Invoice.kind == InvoiceKind.INVOICE.value,
        Invoice.written_off_on.is_(None),
        Invoice.taken_over_on.is_(None),
        Party.defaulted_on.is_(None),
        OUTSTANDING > 0,
    )
    .group_by(Invoice.entity_id)
)


def due_after(rules: GuaranteeRules, on: date) -> date:
    """The earliest due date still covered on ``on``: an invoice due before it has
    lapsed."""
    return on - timedelta(days=rules.max_days_overdue)


def offered(eligible: Decimal, rules: GuaranteeRules, currency: str) -> Decimal:
    """The coverage the rules offer on ``eligible`` receivables (``C``)."""
    return min(round_money(eligible * rules.coverage_rate, currency), rules.ceiling_per_entity)
