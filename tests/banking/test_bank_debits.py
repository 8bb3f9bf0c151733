"""Money the bank takes that no one can refuse (issue 16): a returned payment and the
bank's charges, read from camt.053 statements as a Belgian bank sends them, are booked
as acts of the entity they concern, whatever it holds; what they leave short, the
guarantee fund advances, and the entity is blocked until it is repaid. A charge that
names no entity's payment waits in the reconciliation queue."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from partage.core.acts.cooperative import EntityBlocked
from partage.core.banking import reconciliation, statements
from partage.core.banking.models import StatementTransaction, TransactionStatus
from partage.core.contract.camt import read_camt053
from partage.core.ledger.models import JournalEntry
from partage.core.members.service import entity_by_code
from partage.core.sales import payments
from partage.core.sales.fund_cover import standing
from partage.core.spending import purchases
from tests.banking.test_bank_statements import BOOKED, owed, sale
from tests.documents_support import BE_IBAN, DAY, CountryWorld, build_country_world

D = Decimal
DATA = Path(__file__).parent / "data"
PAID = (DATA / "camt053_payment_received.xml").read_bytes()
RETURNED = (DATA / "camt053_return_and_charges.xml").read_bytes()


def load(world: CountryWorld, content: bytes, name: str) -> statements.Imported:
    with world.act() as s:
        return statements.import_statement(s, world.coop, content, filename=name, actor="bank")


def test_the_statement_reads_the_bank_codes_and_the_return_reason() -> None:
    (statement,) = read_camt053(RETURNED)
    assert [(t.code, t.return_reason) for t in statement.transactions] == [
        ("PMNT/RCDT/RRTN", "FOCR"),
        ("PMNT/RCDT/CHRG", None),
        ("ACMT/MDOP/CHRG", None),
    ]


@pytest.fixture
def world(engine: Engine) -> CountryWorld:
    """A Belgian entity whose client paid its invoice F2026-000001 of 121.00."""
    world = build_country_world(engine, "be")
    assert sale(world, "domestic", "100")[1] == "F2026-000001"  # the number the bank quotes
    assert load(world, PAID, "paid.xml").matched == 1
    assert owed(world, "F2026-000001") == 0
    return world


def test_a_returned_payment_reopens_the_invoice_and_the_charges_are_the_entity_s(
    world: CountryWorld,
) -> None:
    with world.act() as s:
        before = standing(s, world.coop, entity_by_code(s, world.entity), BOOKED)
    done = load(world, RETURNED, "returned.xml")
    assert (done.new, done.matched, done.queued) == (3, 2, 1)
    assert owed(world, "F2026-000001") == D("121.00")
    with world.act() as s:
        rows = {
            r.key.rsplit("/", 1)[1]: r
            for r in s.scalars(select(StatementTransaction).order_by(StatementTransaction.id))
        }
        after = standing(s, world.coop, entity_by_code(s, world.entity), BOOKED)
        acts = s.scalars(
            select(JournalEntry.act_type).where(
                JournalEntry.act_type.in_(["payment_return", "bank_charge"])
            )
        ).all()
        queued = [q.key for q in reconciliation.queue(s)]
    assert rows["2026072400142000001"].rule == "payment_return"
    assert rows["2026072400142000002"].rule == "bank_charge"
    assert rows["2026072400142000002"].note == f"charged to {world.entity}"
    assert rows["2026072400142000003"].status == TransactionStatus.QUEUED.value
    assert "names no entity's payment" in (rows["2026072400142000003"].note or "")
    assert queued == [f"{BE_IBAN}/2026072400142000003"]
    assert sorted(acts) == ["bank_charge", "payment_return"]
    with world.act() as s:  # the money returned is no credit the client could use
        settled = payments.apply_credit(
            s, world.coop, entity=world.entity, client=world.client("domestic"), actor="t"
        )
    assert settled == [] and owed(world, "F2026-000001") == D("121.00")
    # the money left: the payment and the charge; the receivable is back, and covered
    assert after.funds + after.covered >= 0
    assert after.funds < before.funds
    assert load(world, RETURNED, "returned.xml").replayed


def test_what_the_return_leaves_short_the_fund_advances_and_the_entity_is_blocked(
    world: CountryWorld,
) -> None:
    """The entity spent what the client paid; the bank then takes it back: accepted,
    the fund advances the shortfall, and the entity commits nothing new."""
    with world.act() as s:
        state = standing(s, world.coop, entity_by_code(s, world.entity), DAY)
    with world.act() as s:
        purchases.record_purchase(
            s,
            world.coop,
            entity=world.entity,
            supplier=world.client("domestic"),
            supplier_reference="SPEND-ALL",
            net=str(((state.funds + state.covered) / D("1.21")).quantize(D("0.01"))),
            on=DAY,
            actor="t",
        )
    load(world, RETURNED, "returned.xml")
    with world.act() as s:
        after = standing(s, world.coop, entity_by_code(s, world.entity), BOOKED)
    assert after.advanced > 0
    assert after.funds + after.covered == 0
    with world.act() as s, pytest.raises(EntityBlocked):
        purchases.record_purchase(
            s,
            world.coop,
            entity=world.entity,
            supplier=world.client("domestic"),
            supplier_reference="ONE-MORE",
            net="1",
            on=DAY,
            actor="t",
        )
