"""What entities spend in a simulated month: purchases and expense claims.

Spending follows a sale, for part of it: a supplier invoice a few days later, most
paid within days from the entity's funds; an expense claim by the entity's holder,
with its receipt, most reimbursed in the month. A purchase or a claim the entity cannot
afford is refused by the no-bankruptcy rule, and its settlement is then skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from partage.core.demo.sales import Sale
from partage.core.demo.schedule import MonthSchedule
from partage.core.spending import expenses, settlement
from partage.core.spending import purchases as purchases_acts

#: Smallest purchase booked, in euros.
MINIMUM_PURCHASE = Decimal(10)


def _settle(
    month: MonthSchedule, act: Callable[..., object], key: str, on: date
) -> Callable[[Session], object]:
    """Settling on ``on`` what the act kept under ``key`` booked (paying a purchase,
    reimbursing a claim)."""
    return lambda session: act(session, month.coop, month.results[key], on=on, actor=month.actor)


def plan_purchases(month: MonthSchedule, sales: Sequence[Sale], suppliers: Sequence[str]) -> None:
    """Supplier invoices after a sale, for part of it; most are paid within days. None
    without suppliers."""
    if not suppliers:
        return
    rng = month.rng
    for n, sale in enumerate(rng.choices(sales, k=month.volume.purchases)):
        on = sale.on + timedelta(days=rng.randint(1, 10))
        if on > month.last:
            continue
        share = Decimal(rng.randint(5, 35)) / 100
        net = max(month.scaled(MINIMUM_PURCHASE), sale.net(month.currency) * share)
        key = f"purchase:{n}"
        supplier = rng.choice(suppliers)
        category = rng.choice(("purchases", "purchases", "expenses"))

        def book(
            session: Session,
            s: Sale = sale,
            d: date = on,
            v: Decimal = net,
            i: int = n,
            p: str = supplier,
            c: str = category,
        ) -> int:
            return purchases_acts.record_purchase(
                session,
                month.coop,
                entity=s.entity.code,
                supplier=p,
                supplier_reference=f"S{month.first:%y%m}-{i:06d}",
                net=month.round(v),
                on=d,
                category=c,
                actor=month.actor,
            ).id

        month.at(on, 5, "purchase.record", book, key=key)
        paid = on + timedelta(days=rng.randint(3, 15))
        if paid <= month.last and rng.random() < 0.7:
            pay = _settle(month, settlement.pay_purchase, key, paid)
            month.at(paid, 6, "purchase.pay", pay, needs=(key,))


def plan_expenses(month: MonthSchedule, sales: Sequence[Sale]) -> None:
    """Expense claims of holders, with their receipt; most reimbursed in the month."""
    rng = month.rng
    categories = expenses.CORE_EXPENSE_CATEGORIES
    rates = month.coop.plugins.hook.partage_vat_rates(on=month.first) or ()
    standard = rates[0].rate if rates else Decimal(0)
    for n, sale in enumerate(rng.choices(sales, k=month.volume.expense_claims)):
        on = sale.on + timedelta(days=rng.randint(0, 10))
        if on > month.last:
            continue
        net = month.round(
            min(month.money(8, 250), max(month.quantum, sale.net(month.currency) / 5))
        )
        key = f"expense:{n}"
        chosen = rng.choice(categories)

        def claim(
            session: Session,
            s: Sale = sale,
            d: date = on,
            v: Decimal = net,
            i: int = n,
            category: str = chosen,
        ) -> int:
            return expenses.claim_expense(
                session,
                month.coop,
                entity=s.entity.code,
                member=s.entity.holder,
                category=category,
                net=v,
                vat=month.round(v * standard),
                on=d,
                receipt_name=f"receipt-{month.first:%Y%m}-{i}.pdf",
                receipt=f"%PDF-1.4 receipt {i} {category} {v}".encode(),
                actor=month.actor,
            ).id

        month.at(on, 5, "expense.claim", claim, key=key)
        back = on + timedelta(days=rng.randint(2, 12))
        if back <= month.last and rng.random() < 0.8:
            reimburse = _settle(month, expenses.reimburse_expense, key, back)
            month.at(back, 6, "expense.reimburse", reimburse, needs=(key,))
