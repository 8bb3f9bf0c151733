"""The refund a supplier pays back of its credit note: received into the entity's bank
against the supplier's account, refused for what is not a refund owed (a credit note
still deducted from its unpaid invoice among them), and found on a CAMT.053 statement
by the credit note's number or by the supplier's account and the amount; a wrong amount
waits in the queue until a person settles it, with the same amount rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select, text

from partage.core.acts.cooperative import ClosedRecord, InvalidAct, NotFound
from partage.core.banking import reconciliation, statements, writers
from partage.core.banking.models import StatementTransaction, TransactionStatus
from partage.core.contract.accounting import PostingRole
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.errors import DatabaseError
from partage.core.ledger.models import Account, Book, Journal, JournalEntry, JournalLine
from partage.core.ledger.reports import book_balance
from partage.core.members.models import Party
from partage.core.platform.db import migrate
from partage.core.platform.db.models import AuditRecord
from partage.core.spending import settlement, supplier_credits
from partage.core.spending.models import Purchase
from partage.core.spending.refunds import receive_supplier_refund, refunds_owed
from tests.documents_support import (
    BE_IBAN,
    DAY,
    SUPPLIER_IBAN,
    CountryWorld,
    build_country_world,
    fund,
    supplier_purchases,
    validate_pending,
)

D = Decimal
BOOKED = date(2026, 7, 20)
TABLES = ("purchase", "journal_entry", "journal_line", "audit_log", "bank_transaction", "payment")


@dataclass(frozen=True)
class Suppliers:
    """What a supplier owes back and what it does not: the invoice ``paid`` (P-1, 300
    net) with its credit note ``after_payment`` (CN-1, 100 net: 121.00 owed back), the
    credit note ``standalone`` that credits no invoice (CN-7, 50 net: 60.50), and the
    unpaid invoice ``unpaid`` (P-2, 400 net) with its credit note ``deductible`` (CN-2,
    40 net), which paying P-2 deducts."""

    supplier: str
    paid: int
    unpaid: int
    after_payment: int
    standalone: int
    deductible: int


def refunds_world(world: CountryWorld) -> Suppliers:
    fund(world)
    paid, unpaid = supplier_purchases(world, "300", "400")
    with world.act() as s:
        purchase = s.get(Purchase, paid)
        assert purchase is not None
        party = s.get(Party, purchase.party_id)
        assert party is not None
        supplier = party.code
        settlement.pay_purchase(s, world.coop, paid, on=DAY, actor="t")

    def note(reference: str, net: str, credits: str | None) -> int:
        with world.act() as s:
            return supplier_credits.record_supplier_credit_note(
                s,
                world.coop,
                entity=world.entity,
                supplier=supplier,
                supplier_reference=reference,
                net=net,
                on=DAY,
                actor="t",
                credits=credits,
            ).id

    made = Suppliers(
        supplier,
        paid,
        unpaid,
        after_payment=note("CN-1", "100", "P-1"),
        standalone=note("CN-7", "50", None),
        deductible=note("CN-2", "40", "P-2"),
    )
    assert len(validate_pending(world)) == 1  # CN-7 names no invoice: staff vouch for it
    return made


def counts(world: CountryWorld) -> dict[str, int]:
    with world.engine.connect() as c:
        return {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def paid_on(world: CountryWorld, purchase_id: int) -> date | None:
    with world.act() as s:
        found = s.get(Purchase, purchase_id)
        assert found is not None
        return found.paid_on


def owed_ids(world: CountryWorld, entity_ids: list[int] | None = None) -> list[int]:
    with world.act() as s:
        return [note.id for note in refunds_owed(s, entity_ids=entity_ids)]


@dataclass(frozen=True)
class Posted:
    """An entry an act posted: where, when, its reference and its lines (role, side,
    amount, partner)."""

    book: str
    journal: str
    on: date
    reference: str
    lines: frozenset[tuple[str, str, D, str | None]]


def posted(world: CountryWorld, act: str, act_id: int) -> list[Posted]:
    with world.act() as s:
        roles = {
            world.coop.account(s, role): role.value
            for role in (PostingRole.BANK, PostingRole.SUPPLIERS)
        }
        entries = s.execute(
            select(
                JournalEntry.id, Book.code, Journal.kind, JournalEntry.date, JournalEntry.reference
            )
            .join(Book, Book.id == JournalEntry.book_id)
            .join(Journal, Journal.id == JournalEntry.journal_id)
            .where(JournalEntry.act_type == act, JournalEntry.act_id == str(act_id))
        ).all()
        found = []
        for entry_id, book, journal, on, reference in entries:
            lines = s.execute(
                select(Account.code, JournalLine.debit, JournalLine.credit, JournalLine.partner)
                .join(Account, Account.id == JournalLine.account_id)
                .where(JournalLine.entry_id == entry_id)
            ).all()
            found.append(
                Posted(
                    book,
                    journal,
                    on,
                    reference,
                    frozenset(
                        (
                            roles.get(code, code),
                            "debit" if debit else "credit",
                            D(debit or credit) / 100,
                            partner,
                        )
                        for code, debit, credit, partner in lines
                    ),
                )
            )
    return found


def with_supplier(world: CountryWorld) -> D:
    """The entity's balance with its suppliers, debit positive (positive: owed back)."""
    with world.act() as s:
        account = world.coop.account(s, PostingRole.SUPPLIERS)
        return book_balance(s, book=world.entity).get(account, D(0))


def refund_lines(supplier: str, amount: str) -> frozenset[tuple[str, str, D, str | None]]:
    return frozenset(
        {
            ("bank", "debit", D(amount), supplier),
            ("suppliers", "credit", D(amount), supplier),
        }
    )


def tx(key: str, amount: str, **facts: str) -> BankTransaction:
    return BankTransaction(key, D(amount), True, BOOKED, BOOKED, **facts)  # type: ignore[arg-type]


def camt(*transactions: BankTransaction, sid: str = "2026-07-20") -> bytes:
    return writers.camt053(BankStatement("camt.053", sid, BE_IBAN, "EUR", transactions, D("0")))


def imported(world: CountryWorld, content: bytes) -> statements.Imported:
    with world.act() as s:
        return statements.import_statement(s, world.coop, content, filename="s.xml", actor="t")


def transactions(world: CountryWorld) -> dict[str, StatementTransaction]:
    with world.act() as s:
        rows = list(s.scalars(select(StatementTransaction)))
        s.expunge_all()
    return {row.key.removeprefix(f"{BE_IBAN}/"): row for row in rows}


# --- the act ------------------------------------------------------------------------------
def test_only_credit_notes_with_nothing_left_to_deduct_from_are_refunds_owed(
    be: CountryWorld,
) -> None:
    world = refunds_world(be)
    assert owed_ids(be) == [world.after_payment, world.standalone]
    with be.act() as s:
        purchase = s.get(Purchase, world.paid)
        assert purchase is not None
        entity_id = purchase.entity_id
    assert owed_ids(be, [entity_id]) == [world.after_payment, world.standalone]
    assert owed_ids(be, [entity_id + 1]) == []
    # Paying P-2 deducts CN-2 and settles it with the invoice: it is never owed back.
    with be.act() as s:
        settlement.pay_purchase(s, be.coop, world.unpaid, on=DAY, actor="t")
    assert paid_on(be, world.deductible) == DAY
    assert owed_ids(be) == [world.after_payment, world.standalone]


def test_a_refund_received_debits_the_bank_credits_the_supplier_and_settles_the_note(
    engine: Engine,
) -> None:
    be = build_country_world(engine, "be")
    world = refunds_world(be)
    owed_back = with_supplier(be)
    assert owed_back == D("121.00") + D("60.50") - D("484.00") + D("48.40")
    with be.act() as s:
        note = receive_supplier_refund(
            s, be.coop, world.after_payment, on=BOOKED, actor="anna", reference="BANK-1"
        )
        assert note.id == world.after_payment
    assert posted(be, "supplier_refund", world.after_payment) == [
        Posted(be.entity, "bank", BOOKED, "BANK-1", refund_lines(world.supplier, "121.00"))
    ]
    assert paid_on(be, world.after_payment) == BOOKED
    assert with_supplier(be) == owed_back - D("121.00")
    assert owed_ids(be) == [world.standalone]
    with be.act() as s:
        (record,) = s.scalars(select(AuditRecord).where(AuditRecord.action == "purchase.refund"))
        assert (record.actor, record.subject) == ("anna", f"purchase:{world.after_payment}")
        assert record.data["amount"] == "121.00" and record.data["from"] == world.supplier
    with be.act() as s:
        receive_supplier_refund(s, be.coop, world.standalone, on=BOOKED, actor="t")
    (entry,) = posted(be, "supplier_refund", world.standalone)
    assert entry.reference == "CN-7" and entry.lines == refund_lines(world.supplier, "60.50")
    assert owed_ids(be) == []


def test_what_is_not_a_refund_owed_is_refused_naming_the_field_and_writes_nothing(
    be: CountryWorld,
) -> None:
    world = refunds_world(be)
    with be.act() as s:
        receive_supplier_refund(s, be.coop, world.standalone, on=DAY, actor="t")
    written = counts(be)
    refusals: list[tuple[int, type[Exception], str]] = [
        (9999, NotFound, "credit_note: purchase 9999: no such purchase"),
        (
            world.paid,
            InvalidAct,
            f"credit_note: purchase {world.paid} is supplier invoice P-1, not a credit note",
        ),
        (world.standalone, ClosedRecord, f"credit_note: credit note CN-7 was settled on {DAY}"),
        (
            world.deductible,
            InvalidAct,
            "credit_note: credit note CN-2 credits invoice P-2, not paid yet: it will be "
            "deducted when invoice P-2 is paid",
        ),
    ]
    for purchase_id, error, message in refusals:
        with pytest.raises(error) as refused, be.act() as s:
            receive_supplier_refund(s, be.coop, purchase_id, on=BOOKED, actor="t")
        assert str(refused.value).startswith(message), str(refused.value)
    assert counts(be) == written
    assert paid_on(be, world.deductible) is None and paid_on(be, world.unpaid) is None
    assert paid_on(be, world.after_payment) is None


# --- bank statements ------------------------------------------------------------------------
def test_a_statement_matches_refunds_by_credit_note_number_and_by_account_and_amount(
    engine: Engine,
) -> None:
    be = build_country_world(engine, "be")
    world = refunds_world(be)
    content = camt(
        tx(
            "R1",
            "121.00",
            counterparty_name="IMPRIMERIE  dupont",
            remittance="Remboursement note de credit cn-1",
        ),
        tx("R2", "60.50", counterparty_iban=SUPPLIER_IBAN, counterparty_name="Dupont Printing"),
        tx("R3", "60.50", counterparty_iban=SUPPLIER_IBAN, remittance="CN-7 again"),
    )
    done = imported(be, content)
    assert (done.new, done.matched, done.refunds, done.queued) == (3, 2, 2, 1)
    rows = transactions(be)
    assert [(rows[k].status, rows[k].rule, rows[k].credit_note_id) for k in ("R1", "R2")] == [
        (TransactionStatus.MATCHED, "supplier_reference", world.after_payment),
        (TransactionStatus.MATCHED, "supplier_amount", world.standalone),
    ]
    assert rows["R1"].payment_id is None and rows["R1"].invoice_id is None
    # The refund of CN-7 arrived once; the same amount again is not a refund owed.
    assert rows["R3"].status == TransactionStatus.QUEUED and rows["R3"].credit_note_id is None
    assert {paid_on(be, n) for n in (world.after_payment, world.standalone)} == {BOOKED}
    assert posted(be, "supplier_refund", world.after_payment) == [
        Posted(be.entity, "bank", BOOKED, f"{BE_IBAN}/R1", refund_lines(world.supplier, "121.00"))
    ]
    (standalone,) = posted(be, "supplier_refund", world.standalone)
    assert standalone.on == BOOKED and standalone.lines == refund_lines(world.supplier, "60.50")

    written = counts(be)
    assert imported(be, content).replayed
    assert counts(be) == written
    # The same entries in a statement under another id are known by their keys.
    again = imported(be, camt(*[tx("R1", "121.00", remittance="CN-1")], sid="2026-07-21"))
    assert (again.new, again.matched, again.refunds) == (0, 0, 0)
    assert counts(be)["journal_entry"] == written["journal_entry"]


def test_a_deductible_credit_note_is_not_refunded_from_a_statement(be: CountryWorld) -> None:
    world = refunds_world(be)
    done = imported(
        be, camt(tx("D1", "48.40", counterparty_iban=SUPPLIER_IBAN, remittance="Avoir CN-2"))
    )
    assert (done.matched, done.queued) == (0, 1)
    (row,) = transactions(be).values()
    assert row.note == (
        "no refund owed by that supplier is of this amount: CN-1 (121.00), CN-7 (60.50)"
    )
    assert paid_on(be, world.deductible) is None
    written = counts(be)
    with (
        pytest.raises(InvalidAct, match="it will be deducted when invoice P-2 is paid"),
        be.act() as s,
    ):
        reconciliation.settle_queued(s, be.coop, row.id, actor="t", credit_note=world.deductible)
    assert counts(be) == written
    assert transactions(be)["D1"].status == TransactionStatus.QUEUED


def test_a_wrong_amount_waits_with_the_reason_and_a_person_settles_the_refund(
    engine: Engine,
) -> None:
    be = build_country_world(engine, "be")
    world = refunds_world(be)
    done = imported(
        be,
        camt(
            tx("W1", "120.00", counterparty_iban=SUPPLIER_IBAN, remittance="Refund CN-1"),
            tx("W2", "121.00", counterparty_name="Someone else", remittance="remboursement"),
        ),
    )
    assert (done.matched, done.queued) == (0, 2)
    rows = transactions(be)
    assert rows["W1"].note == (
        f"credit note CN-1 of supplier {world.supplier} is owed back as 121.00, not 120.00"
    )
    assert paid_on(be, world.after_payment) is None
    written = counts(be)
    refusals: list[tuple[dict[str, object], str]] = [
        (
            {"credit_note": world.after_payment},
            f"credit_note: bank transaction {rows['W1'].id} brings 120.00 EUR; the refund of "
            "credit note CN-1 is 121.00 EUR",
        ),
        (
            {"credit_note": world.after_payment, "entity": be.entity},
            "credit_note: a supplier's refund names its credit note only",
        ),
        ({}, "entity, client: say whose payment it is"),
    ]
    for options, message in refusals:
        with pytest.raises(InvalidAct) as refused, be.act() as s:
            reconciliation.settle_queued(s, be.coop, rows["W1"].id, actor="t", **options)  # type: ignore[arg-type]
        assert str(refused.value).startswith(message), str(refused.value)
    assert counts(be) == written

    with be.act() as s:
        settled = reconciliation.settle_queued(
            s, be.coop, rows["W2"].id, actor="anna", credit_note=world.after_payment
        )
        assert (settled.status, settled.rule, settled.credit_note_id, settled.note) == (
            TransactionStatus.MATCHED,
            "manual",
            world.after_payment,
            None,
        )
    assert paid_on(be, world.after_payment) == BOOKED
    assert posted(be, "supplier_refund", world.after_payment) == [
        Posted(be.entity, "bank", BOOKED, f"{BE_IBAN}/W2", refund_lines(world.supplier, "121.00"))
    ]
    with be.act() as s:
        assert [row.id for row in reconciliation.queue(s)] == [rows["W1"].id]
    with pytest.raises(ClosedRecord, match="not a payment waiting in the queue"), be.act() as s:
        reconciliation.settle_queued(
            s, be.coop, rows["W2"].id, actor="t", credit_note=world.after_payment
        )
    with pytest.raises(ClosedRecord, match="credit note CN-1 was settled on"), be.act() as s:
        reconciliation.settle_queued(
            s, be.coop, rows["W1"].id, actor="t", credit_note=world.after_payment
        )


def test_the_schema_is_not_stepped_back_below_refunds_it_could_not_trace(
    be: CountryWorld,
) -> None:
    refunds_world(be)
    imported(be, camt(tx("R1", "121.00", counterparty_iban=SUPPLIER_IBAN, remittance="CN-1")))
    with pytest.raises(DatabaseError, match="1 bank transactions are supplier refunds"):
        migrate.downgrade(be.engine, "0007")
    assert migrate.current(be.engine) == migrate.head()
    assert transactions(be)["R1"].credit_note_id is not None
