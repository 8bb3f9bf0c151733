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


def test_a_redemption_follows_the_statutes_rules(engine: Engine) -> None:
    from dataclasses import replace

    from partage.core.acts.cooperative import InvalidAct
    from partage.core.members import membership
    from partage.core.platform.config import RedemptionRules

    world = build_world(engine, today=date(2027, 1, 20))
    world.coop.instance = replace(
        world.coop.instance,
        redemption=RedemptionRules(
            min_months_held=12, yearly_limit=Decimal("0.10"), board_approval=True
        ),
    )
    start = date(2026, 1, 20)
    with world.act() as s:
        for n in range(1, 4):  # 3 members of 10 shares, so 30 issued on 1 January 2027
            membership.admit_member(
                s, world.coop, person(n), share_class="A", shares=10, on=start, actor="t"
            )

    def redeem(quantity: int, on: date, approved_by: str | None = "board 2026-03") -> str:
        with world.act() as s:
            try:
                membership.redeem_shares(
                    s, world.coop, 1, quantity, on=on, actor="t", reason="leaves",
                    approved_by=approved_by,
                )  # fmt: skip
            except InvalidAct as refused:
                return f"{refused.field}: {refused.rule}"
        return "done"

    today = date(2027, 1, 20)
    assert redeem(1, today, approved_by=None).startswith("approved_by: the statutes")
    assert redeem(1, date(2027, 1, 19)).startswith("on: the statutes repay shares 12 month")
    assert redeem(4, today).startswith("quantity: the statutes repay at most")
    assert redeem(3, today) == "done"  # 10 % of 30
    assert "3 already repaid" in redeem(1, today)
    with world.act() as s:
        member = membership.member_by_number(s, 1)
        assert shares_held(s, member.id) == 7
