"""The shares of an admitted applicant wait for their transfer: the bank statement's
transaction carrying their structured reference pays them, entering them in the
register on the booking day; a transfer of another amount is refused by the rule (shares
are paid at nominal, in full), waits in the reconciliation queue, and nothing is
posted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, func, select

from partage.core.banking import statements, writers
from partage.core.banking.models import StatementTransaction
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.ledger.models import JournalEntry
from partage.core.members import review
from partage.core.members.membership import register_csv, shares_held
from partage.core.members.models import Member, SharePaymentDue
from tests.builders import person
from tests.engine_support import build_world
from tests.sector_support import DAY

BOOKED = date(2026, 7, 20)


def transfer(key: str, amount: str, reference: str) -> bytes:
    paid = BankTransaction(
        key, Decimal(amount), True, BOOKED, BOOKED, structured_reference=reference
    )
    return writers.camt053(
        BankStatement("camt.053", key, "ZZ00000000000001", "EUR", (paid,), Decimal(0))
    )


def test_a_transfer_of_the_reference_and_amount_pays_the_shares(engine: Engine) -> None:
    world = build_world(engine)
    with world.act() as s:
        made = review.submit_application(
            s, world.coop, person(1), office="cap", trade="designer", activity="Logos",
            clients="Shops", on=DAY, actor="adviser",
        )  # fmt: skip
        assert made.status == "admitted"
        due = s.scalars(select(SharePaymentDue)).one()
        reference, member_id = due.reference, due.member_id
        assert (due.quantity, due.amount) == (1, 3000)  # one share at 30.00
        assert shares_held(s, member_id) == 0
        entries = s.scalar(select(func.count(JournalEntry.id)))
    with world.act() as s:
        done = statements.import_statement(
            s, world.coop, transfer("T1", "25.00", reference), filename="a.xml", actor="t"
        )
        assert (done.matched, done.queued) == (0, 1)
        note = s.scalars(select(StatementTransaction.note)).one()
        assert "does not pay 1 share(s) at nominal" in (note or "")
        assert "exactly 30.00 EUR" in (note or "")
        assert s.scalar(select(func.count(JournalEntry.id))) == entries
        assert shares_held(s, member_id) == 0
    with world.act() as s:
        done = statements.import_statement(
            s, world.coop, transfer("T2", "30.00", reference), filename="b.xml", actor="t"
        )
        assert done.matched == 1
        assert shares_held(s, member_id) == 1
        paid = s.scalars(select(SharePaymentDue)).one()
        assert paid.paid_on == BOOKED
        number = s.get(Member, member_id).number
        assert f"{number},Lovelace,Ada1,A,{DAY.isoformat()},,1,30.00" in register_csv(s, world.coop)
    with world.act() as s:  # the same reference again pays nothing more
        done = statements.import_statement(
            s, world.coop, transfer("T3", "30.00", reference), filename="c.xml", actor="t"
        )
        assert done.matched == 0
        assert shares_held(s, member_id) == 1
