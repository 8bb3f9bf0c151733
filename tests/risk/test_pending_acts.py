"""Only real money or a person's validation raises funds: cash declared, a stand-alone
supplier credit note and expense-claim VAT that no rate explains wait for staff of the
entity's office, count nowhere meanwhile, and count once another login validates them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from partage.core.acts.cooperative import InsufficientFunds, InvalidAct
from partage.core.acts.models import PendingStatus
from partage.core.acts.pending import FourEyes
from partage.core.banking import due
from partage.core.banking import pending as decisions
from partage.core.banking.models import OrderKind
from partage.core.ledger.models import JournalEntry
from partage.core.platform.db.models import AuditRecord
from partage.core.risk.solvency import funds_by_entity, headroom
from partage.core.sales import payments
from partage.core.spending import expenses, purchases, refunds, supplier_credits
from partage.core.spending.models import ExpenseClaim, Purchase
from tests.acts.test_engine import DAY, funds, set_up
from tests.engine_support import World, build_world

D = Decimal
MEMBER = "user:ada"
ADVISER = "user:adviser"


@pytest.fixture
def world(engine):  # type: ignore[no-untyped-def]
    """E000001 holding 100.00 a bank confirmed."""
    world = set_up(build_world(engine))
    with world.act() as s:
        payments.receive_payment(
            s, world.coop, key="bank-1", entity="E000001", client="C000001",
            amount="100", on=DAY, actor="t",
        )  # fmt: skip
    return world


def declare_cash(world: World, amount: str, key: str = "cash-1") -> payments.Received:
    with world.act() as s:
        return payments.receive_payment(
            s, world.coop, key=key, entity="E000001", client="C000001", amount=amount,
            on=DAY, actor=MEMBER, method="cash",
        )  # fmt: skip


def buy(world: World, net: str, reference: str = "S1") -> None:
    with world.act() as s:
        purchases.record_purchase(
            s, world.coop, entity="E000001", supplier="C000001",
            supplier_reference=reference, net=net, on=DAY, actor=MEMBER,
        )  # fmt: skip


def claim(world: World, net: str, vat: str) -> int:
    with world.act() as s:
        return expenses.claim_expense(
            s, world.coop, entity="E000001", member=1, category="supplies", net=net,
            vat=vat, on=DAY, receipt_name="ticket.pdf", receipt=b"%PDF", actor=MEMBER,
        ).id  # fmt: skip


def standalone_note(world: World, net: str) -> int:
    with world.act() as s:
        return supplier_credits.record_supplier_credit_note(
            s, world.coop, entity="E000001", supplier="C000001",
            supplier_reference="CN-FORGED", net=net, on=DAY, actor=MEMBER,
        ).id  # fmt: skip


def waiting(world: World) -> list[decisions.PendingView]:
    with world.act() as s:
        return decisions.listing(s, world.coop, statuses=[PendingStatus.PENDING])


def validate(world: World, pending_id: int, actor: str = ADVISER) -> None:
    with world.act() as s:
        decisions.validate(s, world.coop, pending_id, actor=actor, on=DAY)


def room(world: World) -> Decimal:
    with world.act() as s:
        from partage.core.members.service import entity_by_code

        return headroom(s, world.coop, entity_by_code(s, "E000001"), DAY)


def test_declared_cash_counts_nowhere_until_another_login_validates_it(world: World) -> None:
    """Issue 16, reproduced 1: 999,999,999,999.00 of cash declared against a client never
    invoiced raised the entity's funds at once."""
    before, before_room = funds(world), room(world)
    received = declare_cash(world, "999999999999.00")
    assert received.status == "pending" and received.settled == ()
    assert (funds(world), room(world)) == (before, before_room)
    with pytest.raises(InsufficientFunds, match="missing"):
        buy(world, "5000")
    (shown,) = waiting(world)
    assert (shown.kind, shown.amount, shown.entered_by) == (
        "cash_receipt",
        D("999999999999.00"),
        MEMBER,
    )
    assert "method: cash of 999999999999.00 EUR" in shown.rule
    assert declare_cash(world, "999999999999.00").replayed  # the key is taken, still pending
    with world.act() as s:
        decisions.refuse(s, shown.id, actor=ADVISER, reason="no receipt book entry")
        assert s.scalar(select(func.count()).where(AuditRecord.action == "pending.refuse")) == 1
    assert funds(world) == before and waiting(world) == []
    with world.act() as s:  # a refused receipt never becomes a client's credit either
        assert (
            payments.apply_credit(s, world.coop, entity="E000001", client="C000001", actor="t")
            == []
        )


def test_cash_validated_by_office_staff_counts_from_then_on(world: World) -> None:
    before = funds(world)
    declare_cash(world, "120.00")
    (shown,) = waiting(world)
    with pytest.raises(FourEyes, match=f"four-eyes rule: {MEMBER} entered"):
        validate(world, shown.id, actor=MEMBER)
    assert funds(world) == before
    validate(world, shown.id)
    assert funds(world) == before + D("120.00")
    with world.act() as s:
        (done,) = decisions.listing(s, world.coop, ids=[shown.id])
        assert (done.status, done.decided_by) == ("validated", ADVISER)
        actions = s.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
    assert actions[-3:] == ["pending.enter", "payment.receive", "pending.validate"]
    with pytest.raises(Exception, match="not waiting for a decision"):
        validate(world, shown.id, actor="user:admin")


def test_expense_vat_no_rate_explains_waits_and_the_funds_check_counts_net_plus_vat(
    world: World,
) -> None:
    """Issue 16, reproduced 2: net 1.00 with 90,000.00 of VAT and no rate was accepted,
    its funds check on the net only."""
    before = funds(world)
    with pytest.raises(InsufficientFunds, match=r"90001\.00 EUR refused.*89901\.00 EUR missing"):
        claim(world, "1.00", "90000.00")
    odd = claim(world, "10.00", "7.77")  # no rate of Testland gives 7.77 on 10.00
    assert funds(world) == before
    (shown,) = waiting(world)
    assert shown.kind == "expense_claim" and shown.amount == D("17.77")
    assert shown.rule.startswith("vat: 7.77 EUR on a net of 10.00 EUR is not the net at a VAT")
    assert "21% gives 2.10 EUR, 6% gives 0.60 EUR" in shown.rule
    with world.act() as s:
        items, _ = due.due_items(s, world.coop, [OrderKind.EXPENSE])
        assert odd not in {item.subject_id for item in items}
    claim(world, "50.00", "10.50")  # 21 % of 50: posted at once
    assert funds(world) == before - D("50.00")
    with pytest.raises(InsufficientFunds, match=r"net \+ VAT\) of 60\.50 EUR refused"):
        claim(world, "50.00", "10.50")  # 50.00 left: the whole outflow counts
    validate(world, shown.id)
    assert funds(world) == before - D("60.00")
    with world.act() as s:
        items, _ = due.due_items(s, world.coop, [OrderKind.EXPENSE])
        assert odd in {item.subject_id for item in items}
        assert s.scalar(select(func.count()).select_from(ExpenseClaim)) == 2


def test_a_stand_alone_supplier_credit_note_raises_nothing_until_validated(world: World) -> None:
    """Issue 16, reproduced 3: a credit note naming no invoice raised the entity's funds
    by 50,000 + VAT, and a 20,000 commitment then passed."""
    before = funds(world)
    note = standalone_note(world, "50000")
    assert funds(world) == before
    with pytest.raises(InsufficientFunds):
        buy(world, "20000")
    with world.act() as s:
        assert note not in {n.id for n in refunds.refunds_owed(s)}
    (shown,) = waiting(world)
    assert shown.kind == "supplier_credit_note" and shown.amount == D("60500.00")
    assert "credits: credit note CN-FORGED of supplier C000001" in shown.rule
    validate(world, shown.id)
    assert funds(world) == before + D("50000.00")
    with world.act() as s:
        assert note in {n.id for n in refunds.refunds_owed(s)}


def test_a_refused_stand_alone_credit_note_gives_the_supplier_s_number_back(
    world: World,
) -> None:
    """The number on a received credit note is the supplier's: refusing the note takes
    no number of ours (nothing was posted), and the number is free again for the
    supplier's genuine document, while the refusal keeps it in words."""
    with world.act() as s:
        entries = s.scalar(select(func.count()).select_from(JournalEntry))
    first = standalone_note(world, "50")
    with pytest.raises(InvalidAct, match="CN-FORGED of supplier C000001 is already booked"):
        standalone_note(world, "50")  # still waiting: the number is taken
    (shown,) = waiting(world)
    with world.act() as s:
        decisions.refuse(s, shown.id, actor=ADVISER, reason="no such document")
    again = standalone_note(world, "50")
    assert again != first
    with world.act() as s:
        refused = s.get(Purchase, first)
        assert refused is not None
        assert refused.supplier_reference == f"CN-FORGED [refused {shown.id}]"
        assert s.scalar(select(func.count()).select_from(JournalEntry)) == entries
        (record,) = decisions.listing(s, world.coop, statuses=[PendingStatus.REFUSED])
    assert "credit note CN-FORGED of supplier C000001" in record.rule
    assert [w.amount for w in waiting(world)] == [D("60.50")]


def test_nothing_pending_counts_in_the_sum_of_available_funds(world: World) -> None:
    with world.act() as s:
        total = sum(funds_by_entity(s, world.coop, [1]).values())
    declare_cash(world, "700")
    claim(world, "1.00", "30.00")
    standalone_note(world, "400")
    assert len(waiting(world)) == 3
    with world.act() as s:
        assert sum(funds_by_entity(s, world.coop, [1]).values()) == total
