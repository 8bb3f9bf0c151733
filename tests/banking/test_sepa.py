"""Payments out: pain.001 batches for salaries, expense reimbursements and suppliers,
every account checked, and never beyond what an entity may pay."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from lxml import etree
from sqlalchemy import Engine, func, select, text

from partage.core.acts.cooperative import InvalidAct
from partage.core.banking import payees, sepa
from partage.core.banking.models import OrderKind, PaymentBatch, PaymentOrder
from partage.core.contract.accounting import PostingRole
from partage.core.contract.money import from_minor
from partage.core.ledger.reports import book_balance
from partage.core.payroll import service as payroll
from partage.core.risk import fund as guarantee_fund
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.spending import expenses
from partage.core.spending.models import ExpenseClaim, Purchase
from tests.documents_support import (
    DAY,
    SUPPLIER_IBAN,
    CountryWorld,
    build_country_world,
    fund,
    issuer,
    supplier_purchases,
)

D = Decimal
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
PAY_DAY = date(2026, 7, 31)


def net_pay_owed(world: CountryWorld) -> Decimal:
    with world.act() as s:
        account = world.coop.account(s, PostingRole.NET_PAY_PAYABLE)
        return book_balance(s, book=world.entity).get(account, D(0))


def test_a_batch_pays_salary_expense_and_supplier_in_a_valid_pain_001(engine: Engine) -> None:
    world = build_country_world(engine, "be")
    fund(world, "10000", "domestic")
    with world.act() as s:
        contract = payroll.hire(
            s,
            world.coop,
            entity=world.entity,
            member=1,
            worker_category="employee",
            start=date(2026, 7, 1),
            monthly_gross="2500",
            actor="t",
        ).code
    with world.act() as s:
        slip = payroll.pay(s, world.coop, contract, month=DAY, paid_on=PAY_DAY, actor="t")
        claim = expenses.claim_expense(
            s,
            world.coop,
            entity=world.entity,
            member=1,
            category="travel",
            net="42.50",
            on=DAY,
            receipt_name="train.pdf",
            receipt=b"ticket",
            actor="t",
        ).id
        net_pay = from_minor(slip.net, "EUR")
    (purchase,) = supplier_purchases(world, "300")
    assert net_pay_owed(world) == -net_pay
    with world.act() as s:
        done = sepa.build_batch(s, world.coop, issuer("be"), execution_on=PAY_DAY, actor="t")
    assert done.held == () and done.batch is not None
    assert {(o.kind, o.amount) for o in done.orders} == {
        ("salary", int(slip.net)),
        ("expense", 4250),
        ("supplier", 36300),
    }
    content = done.batch.content
    schema = xmlschema.XMLSchema(
        str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd")
    )
    schema.validate(content)
    root = etree.fromstring(content)
    assert root.findtext(f".//{PAIN}GrpHdr/{PAIN}NbOfTxs") == "3"
    assert D(root.findtext(f".//{PAIN}GrpHdr/{PAIN}CtrlSum")) == net_pay + D("42.50") + D("363.00")
    creditors = {e.text for e in root.iter(f"{PAIN}IBAN")}
    assert {issuer("be").iban, SUPPLIER_IBAN} <= creditors
    assert {e.text for e in root.iter(f"{PAIN}EndToEndId")} == {
        o.end_to_end_id for o in done.orders
    }
    assert net_pay_owed(world) == 0
    with world.act() as s:
        assert s.get(Purchase, purchase).paid_on == PAY_DAY
        assert s.get(ExpenseClaim, claim).reimbursed_on == PAY_DAY
        again = sepa.build_batch(s, world.coop, issuer("be"), execution_on=PAY_DAY, actor="t")
    assert again.batch is None and again.orders == () and again.held == ()


def test_a_batch_never_pays_an_entity_beyond_its_bank_and_guarantee(be: CountryWorld) -> None:
    # A reverse-charged sale puts 1,000.00 in the bank with no VAT owed; two purchases
    # both fit the entity's available funds (their VAT comes back from the State) but
    # together need 1,125.30 of cash.
    fund(be, "1000", "eu")
    first, second = supplier_purchases(be, "770", "160")
    with be.act() as s:
        done = sepa.build_batch(
            s, be.coop, issuer("be"), execution_on=PAY_DAY, actor="t", kinds=[OrderKind.SUPPLIER]
        )
    assert [o.subject_id for o in done.orders] == [first]
    (held,) = done.held
    assert held.item.subject_id == second
    assert "exceeds its bank balance and guarantee, 68.30 EUR left" in held.reason
    with be.act() as s:
        assert s.get(Purchase, first).paid_on == PAY_DAY
        assert s.get(Purchase, second).paid_on is None


def test_nothing_is_paid_out_of_an_entity_whose_guarantee_has_lapsed(be: CountryWorld) -> None:
    # Purchases bought on the guarantee of an unpaid invoice; by the batch's date the
    # invoice is overdue beyond the guarantee's limit and the entity is below zero.
    with be.act() as s:  # a fund whose capacity covers the purchases
        guarantee_fund.allocate(s, be.coop, "1000", on=DAY, actor="t", reason="assembly")
        invoices.issue_invoice(
            s,
            be.coop,
            entity=be.entity,
            client=be.client("domestic"),
            lines=[LineInput("Mission", "1", "1000")],
            on=DAY,
            actor="t",
        )
    supplier_purchases(be, "500")
    with be.act() as s:
        done = sepa.build_batch(
            s, be.coop, issuer("be"), execution_on=date(2026, 12, 15), actor="t"
        )
    assert done.batch is None and len(done.held) == 1
    assert "below zero: nothing is paid out" in done.held[0].reason


def test_an_invalid_iban_is_refused_naming_the_payee_and_nothing_is_written(
    be: CountryWorld,
) -> None:
    fund(be, "5000", "domestic")
    (purchase,) = supplier_purchases(be, "100")
    with pytest.raises(InvalidAct, match="IBAN 'BE00123' is not valid"), be.act() as s:
        payees.enter_account(s, "C000004", "BE00123", None, actor="t")
    with be.engine.begin() as connection:  # an account that went bad after it was recorded
        connection.execute(text("UPDATE payee_account SET iban = 'BE71096123456760'"))
    with pytest.raises(InvalidAct, match=r"supplier \d+ to Imprimerie Dupont: IBAN"), be.act() as s:
        sepa.build_batch(s, be.coop, issuer("be"), execution_on=PAY_DAY, actor="t")
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(PaymentBatch)) == 0
        assert s.scalar(select(func.count()).select_from(PaymentOrder)) == 0
        assert s.get(Purchase, purchase).paid_on is None


def test_a_bic_of_another_country_than_the_iban_is_refused(be: CountryWorld) -> None:
    with pytest.raises(InvalidAct, match="BIC BNPAFRPP is of FR, the IBAN of BE"):
        sepa.check_account(SUPPLIER_IBAN, "BNPAFRPP", who="supplier")
