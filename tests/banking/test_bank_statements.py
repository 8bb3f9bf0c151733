"""Payments in: CAMT.053 and CODA statements imported, each transaction matched to an
open invoice (structured reference, invoice number, or amount and client) and posted,
the rest queued; importing twice changes nothing; malformed files write nothing."""

from __future__ import annotations

import importlib.util
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from partage.core.banking import payees, reconciliation, sepa, statements, writers
from partage.core.banking.models import (
    OrderKind,
    StatementRecord,
    StatementTransaction,
    TransactionStatus,
)
from partage.core.banking.statements import StatementRefused
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.ledger.models import JournalEntry
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Payment
from partage.core.sales.references import payment_reference
from partage.core.spending import purchases
from partage.plugins.belgium import coda
from tests.documents_support import BE_IBAN, DAY, CountryWorld, be_vat, build_country_world, issuer
from tests.engine_support import build_world

D = Decimal
BOOKED = date(2026, 7, 20)


def tx(key: str, amount: str, *, credit: bool = True, **facts: str) -> BankTransaction:
    return BankTransaction(key, D(amount), credit, BOOKED, BOOKED, **facts)  # type: ignore[arg-type]


def statement(*transactions: BankTransaction, sid: str = "2026-07-20") -> BankStatement:
    return BankStatement("camt.053", sid, BE_IBAN, "EUR", transactions, D("0"))


def sale(world: CountryWorld, client: str, net: str) -> tuple[int, str]:
    with world.act() as s:
        invoice = invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client(client),
            lines=[LineInput("Mission", "1", net)],
            on=DAY,
            actor="t",
        )
        return invoice.id, invoice.number


def counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (StatementRecord, StatementTransaction, Payment, JournalEntry)
    )


def owed(world: CountryWorld, number: str) -> Decimal:
    with world.act() as s:
        return payments.outstanding(s, invoices.invoice_by_number(s, number), "EUR")


def test_each_rule_matches_its_payment_and_the_rest_is_queued(engine: Engine) -> None:
    world = build_country_world(engine, "be")
    a_id, a = sale(world, "domestic", "100")  # 121.00
    b_id, b = sale(world, "domestic", "200")  # 242.00
    _, c = sale(world, "eu", "300")  # 300.00, reverse charge
    _, d = sale(world, "domestic", "50")  # 60.50
    reference_a = payment_reference(world.coop.plugins, a_id, a)
    reference_b = payment_reference(world.coop.plugins, b_id, b)
    content = writers.camt053(
        statement(
            tx("E1", "121.00", structured_reference=reference_a.strip("+").replace("/", "")),
            tx("E2", "242.00", remittance=f"Paiement {reference_b} merci"),
            tx("E3", "300.00", remittance=f"Invoice {c}", counterparty_name="Kunde GmbH"),
            tx("E4", "60.50", counterparty_name="CLIENT  sa"),
            tx("E5", "77.00", counterparty_name="Someone", remittance="gift"),
            tx("E6", "15.00", credit=False, counterparty_name="Bank", remittance="fees"),
        )
    )
    with world.act() as s:
        done = statements.import_statement(s, world.coop, content, filename="july.xml", actor="t")
    assert (done.new, done.matched, done.queued, done.paid_out) == (6, 4, 2, 0)
    for number in (a, b, c, d):
        assert owed(world, number) == 0, number
    with world.act() as s:
        rules = dict(s.execute(select(StatementTransaction.key, StatementTransaction.rule)).all())
        before = counts(s)
        queued = reconciliation.queue(s)
    assert [rules[f"{BE_IBAN}/E{n}"] for n in range(1, 5)] == [
        "structured_reference",
        "structured_reference",
        "invoice_number",
        "amount_and_party",
    ]
    assert [q.key for q in queued] == [f"{BE_IBAN}/E5", f"{BE_IBAN}/E6"]
    assert "money out with no payment order" in (queued[1].note or "")
    with world.act() as s:
        again = statements.import_statement(s, world.coop, content, filename="july.xml", actor="t")
        assert again.replayed and counts(s) == before


def test_more_than_owed_settles_the_invoice_and_keeps_the_rest_as_credit(
    be: CountryWorld,
) -> None:
    invoice_id, number = sale(be, "domestic", "100")
    reference = payment_reference(be.coop.plugins, invoice_id, number)
    content = writers.camt053(statement(tx("X1", "150.00", structured_reference=reference)))
    with be.act() as s:
        statements.import_statement(s, be.coop, content, filename="x.xml", actor="t")
        row = s.scalars(select(StatementTransaction)).one()
        received = s.get(Payment, row.payment_id)
    assert owed(be, number) == 0
    assert received is not None and received.amount == 15000
    assert "29.00 EUR more than owed" in (row.note or "")


def test_money_out_is_matched_to_its_payment_order(be: CountryWorld) -> None:
    with be.act() as s:
        invoice = invoices.issue_invoice(
            s,
            be.coop,
            entity=be.entity,
            client=be.client("domestic"),
            lines=[LineInput("Mission", "1", "1000")],
            on=DAY,
            actor="t",
        )
        payments.receive_payment(
            s,
            be.coop,
            key="fund",
            entity=be.entity,
            client=be.client("domestic"),
            amount="1210.00",
            on=DAY,
            actor="t",
        )
        party = members.register_party(
            s,
            be.coop,
            address="1 Main Street\n1000 Town",
            name="Dupont",
            kind="supplier",
            country="BE",
            vat_number=be_vat(7654321),
            actor="t",
        )
        payees.enter_account(s, party.code, "BE71096123456769", None, actor="t")
        purchases.record_purchase(
            s,
            be.coop,
            entity=be.entity,
            supplier=party.code,
            supplier_reference="P1",
            net="100",
            on=DAY,
            actor="t",
        )
        assert invoice.number
    with be.act() as s:
        (order,) = sepa.build_batch(
            s, be.coop, issuer("be"), execution_on=DAY, actor="t", kinds=[OrderKind.SUPPLIER]
        ).orders
        end_to_end = order.end_to_end_id
    content = writers.camt053(statement(tx("O1", "121.00", credit=False, end_to_end_id=end_to_end)))
    with be.act() as s:
        done = statements.import_statement(s, be.coop, content, filename="o.xml", actor="t")
        row = s.scalars(select(StatementTransaction)).one()
    assert done.paid_out == 1 and row.status == TransactionStatus.PAID_OUT and row.order_id


def test_a_queued_payment_is_settled_by_a_person(be: CountryWorld) -> None:
    _, number = sale(be, "domestic", "80")
    content = writers.camt053(statement(tx("Q1", "96.80", counterparty_name="Unknown payer")))
    with be.act() as s:
        statements.import_statement(s, be.coop, content, filename="q.xml", actor="t")
        (waiting,) = reconciliation.queue(s)
        settled = reconciliation.settle_queued(
            s, be.coop, waiting.id, entity=be.entity, client=be.client("domestic"), actor="t"
        )
    assert settled.status == TransactionStatus.MATCHED and settled.rule == "manual"
    assert owed(be, number) == 0
    with be.act() as s:
        assert reconciliation.queue(s) == []


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda x: x.replace(b'<Amt Ccy="EUR">121.00</Amt>', b""), r"line \d+: Ntry has no Amt"),
        (lambda x: x.replace(b"121.00</Amt>", b"12,1</Amt>"), "is not a positive amount"),
        (
            lambda x: x.replace(
                b"<CdtDbtInd>CRDT</CdtDbtInd><Sts>", b"<CdtDbtInd>CR</CdtDbtInd><Sts>"
            ),
            "CdtDbtInd 'CR' must be CRDT or DBIT",
        ),
        (lambda x: x.replace(b"<Stmt>", b"<Stmt><Oops>", 1), "not well-formed XML"),
        (lambda x: x.replace(b"camt.053.001.02", b"camt.052.001.02"), "not a camt.053 Document"),
    ],
)
def test_a_malformed_camt_statement_is_refused_and_nothing_is_written(
    be: CountryWorld,
    mangle,
    message: str,  # type: ignore[no-untyped-def]
) -> None:
    invoice_id, number = sale(be, "domestic", "100")
    good = writers.camt053(
        statement(tx("M1", "121.00", structured_reference=str(invoice_id)), tx("M2", "5.00"))
    )
    bad = mangle(good)
    assert bad != good
    with be.act() as s:
        before = counts(s)
    with pytest.raises(StatementRefused, match=message), be.act() as s:
        statements.import_statement(s, be.coop, bad, filename="bad.xml", actor="t")
    with be.act() as s:
        assert counts(s) == before
    assert owed(be, number) == D("121.00")


def test_a_coda_statement_is_read_by_the_belgian_plugin_and_matched(be: CountryWorld) -> None:
    invoice_id, number = sale(be, "domestic", "100")
    reference = payment_reference(be.coop.plugins, invoice_id, number)
    digits = "".join(ch for ch in reference if ch.isdigit())
    content = writers.coda(
        BankStatement(
            "coda",
            "",
            BE_IBAN,
            "EUR",
            (tx("C1", "121.00", structured_reference=digits, counterparty_name="Client SA"),),
            D("0"),
        ),
        sequence=7,
    )
    with be.act() as s:
        done = statements.import_statement(s, be.coop, content, filename="july.cod", actor="t")
        assert done.statements == (f"{BE_IBAN}/2026-007",) and done.matched == 1
        again = statements.import_statement(s, be.coop, content, filename="july.cod", actor="t")
        assert again.replayed
    assert owed(be, number) == 0


def test_a_malformed_coda_file_is_refused_naming_the_record(be: CountryWorld) -> None:
    content = writers.coda(statement(tx("C1", "10.00")))
    lines = content.split(b"\r\n")
    lines[2] = lines[2][:100]
    with pytest.raises(StatementRefused, match="CODA record 3: 100 characters"), be.act() as s:
        statements.import_statement(s, be.coop, b"\r\n".join(lines), filename="x.cod", actor="t")
    with be.act() as s:
        assert counts(s)[0] == 0


@pytest.mark.skipif(importlib.util.find_spec("coda") is None, reason="pycoda is not installed")
def test_the_coda_reader_agrees_with_pycoda_on_its_sample_statements() -> None:
    import coda as pycoda
    from coda.parser import Parser

    samples = Path(pycoda.__file__).parent / "tests"
    names = [
        "Coda_v2_3_single_statement.txt",
        "Coda_v2_3_multi_statements.txt",
        "Coda_v2_3_globalisation.txt",
        "Coda_v2_3_globalisation_2.txt",
        "Coda_foreign_account.txt",
    ]
    for name in names:
        raw = (samples / name).read_bytes()
        ours = coda.read(raw)
        theirs = Parser().parse(raw)
        assert len(ours) == len(theirs), name
        for mine, other in zip(ours, theirs, strict=True):
            booked = [m for m in other.movements if m.type == "0"]
            # pycoda reads amounts as floats; their text form is exact for cents
            expected = sorted(
                D(str(m.transaction_amount)).quantize(D("0.01"))
                * (1 if m.transaction_amount_sign == "0" else -1)
                for m in booked
            )
            assert (
                sorted(t.amount if t.credit else -t.amount for t in mine.transactions) == expected
            )
            assert mine.account_iban == other.acc_number and mine.currency == other.currency


def test_without_a_national_reference_the_rf_creditor_reference_matches(engine: Engine) -> None:
    world = build_world(engine)
    with world.act() as s:
        membership.admit_member(
            s,
            world.coop,
            membership.PersonDetails(
                "Ada", "L", "00000000001", "ZZ00000000000001", "x", "a@b.org", "en"
            ),
            share_class="A",
            shares=1,
            on=DAY,
            actor="t",
        )
        entity = members.open_entity(
            s, world.coop, holders=[1], name="D", kind="freelance", office="cap", on=DAY, actor="t"
        ).code
        client = members.register_party(
            s,
            world.coop,
            address="1 Main Street\n1000 Town",
            name="Acme",
            kind="client",
            country="ZZ",
            vat_number="ZZ0000000001",
            actor="t",
        ).code
        invoice = invoices.issue_invoice(
            s,
            world.coop,
            entity=entity,
            client=client,
            lines=[LineInput("Work", "1", "100")],
            on=DAY,
            actor="t",
        )
        reference = payment_reference(world.coop.plugins, invoice.id, invoice.number)
    assert reference.startswith("RF")
    content = writers.camt053(statement(tx("R1", "121.00", structured_reference=reference)))
    with world.act() as s:
        done = statements.import_statement(s, world.coop, content, filename="r.xml", actor="t")
        assert done.matched == 1
        assert payments.outstanding(s, invoices.invoice_by_number(s, invoice.number), "EUR") == 0
