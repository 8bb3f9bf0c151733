"""How much happens in a simulated month: its volume of newcomers and acts.

The reference network's proportions give a month's volume from its size (entities or
members); a later month keeps the activity and welcomes fewer newcomers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Volume:
    """How much happens in a simulated month.

    Attributes:
        members: persons admitted as members this month.
        entities: entities opened this month (by new members, a few by older ones).
        clients: clients registered this month.
        suppliers: suppliers registered this month.
        quotes: quotes sent.
        invoices: invoices issued (those carrying out an accepted quote included).
        payments: payments received (late payments of earlier invoices included).
        credit_notes: credit notes issued.
        purchases: supplier invoices booked.
        expense_claims: expense claims made.
        payslips: payslips asked for in the month's payroll run, at most.
        defaults: clients declared in default.
    """

    members: int
    entities: int
    clients: int
    suppliers: int
    quotes: int
    invoices: int
    payments: int
    credit_notes: int
    purchases: int
    expense_claims: int
    payslips: int
    defaults: int

    @classmethod
    def for_entities(cls, entities: int) -> Volume:
        """A month of an instance with that many entities, in the reference network's
        proportions: about 1.2 entities per member, as many clients as entities, one
        supplier for five entities, and per entity 3 invoices, 2 payments and one
        payslip a month."""
        entities = max(entities, 1)
        return cls(
            members=max(1, round(entities / 1.2)),
            entities=entities,
            clients=entities,
            suppliers=max(1, entities // 5),
            quotes=max(1, entities // 2),
            invoices=3 * entities,
            payments=2 * entities,
            credit_notes=max(1, entities // 100),
            purchases=max(1, entities // 2),
            expense_claims=max(1, entities // 2),
            payslips=entities,
            defaults=1 + entities // 5000,
        )

    @classmethod
    def for_members(cls, members: int) -> Volume:
        """The first month of an instance of ``members`` members."""
        return cls.for_entities(round(max(members, 1) * 1.2))

    def growth(self) -> Volume:
        """A later month: the same activity, with a thirtieth as many newcomers."""
        return replace(
            self,
            members=max(1, self.members // 30),
            entities=max(1, self.entities // 30),
            clients=max(1, self.clients // 30),
            suppliers=max(1, self.suppliers // 30),
        )
