"""Suppliers' bank accounts are vouched for by staff: an account a document names waits
until a staff login that did not bring it in confirms it, payment files pay only
verified accounts, a document naming another account than the verified one holds its
invoice until staff decide, and every step is in the audit log with its actor.

The first test replays the attack the issue reproduced: the first e-invoice uploaded
for a new supplier set where every later invoice of that supplier was paid."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine, func, select, text

from partage.core.acts.cooperative import ClosedRecord, InvalidAct
from partage.core.banking import payees, sepa
from partage.core.banking.models import OrderKind, PayeeAccount, PaymentOrder
from partage.core.banking.payees import FourEyes
from partage.core.contract.documents import PaymentInstructions
from partage.core.contract.errors import DatabaseError
from partage.core.documents import importing
from partage.core.members.models import Party
from partage.core.platform.db import migrate
from partage.core.platform.db.models import AuditRecord
from partage.core.spending.models import Purchase
from tests.documents_support import (
    SUPPLIER_BIC,
    SUPPLIER_IBAN,
    SUPPLIER_REFERENCE,
    CountryWorld,
    build_country_world,
    fund,
    issuer,
    supplier_document,
    supplier_ubl,
)

PAY_DAY = date(2026, 7, 31)
#: An account the supplier never had: the uploader's own.
ROGUE_IBAN = "BE62510007547061"
#: The supplier's new account, when it really changes banks.
NEW_IBAN = "BE43068999999501"


@pytest.fixture
def be(engine: Engine) -> CountryWorld:
    world = build_country_world(engine, "be")
    fund(world, "5000")
    return world


def invoice(number: str, iban: str | None = SUPPLIER_IBAN, price: str = "200") -> bytes:
    """The Belgian supplier's e-invoice asking to be paid into ``iban``."""
    document = supplier_document(number=number, lines=(("Affiches A2", "1", price),))
    payment = (
        PaymentInstructions("58", iban, SUPPLIER_REFERENCE, None) if iban is not None else None
    )
    return supplier_ubl(replace(document, payment=payment))


def upload(world: CountryWorld, content: bytes, actor: str) -> importing.ImportedPurchase:
    with world.act() as s:
        return importing.import_purchase(
            s, world.coop, content, entity=world.entity, actor=actor, issuer=issuer("be")
        )


def pay_suppliers(world: CountryWorld) -> sepa.Batch:
    with world.act() as s:
        return sepa.build_batch(
            s,
            world.coop,
            issuer("be"),
            execution_on=PAY_DAY,
            actor="user:treasurer",
            kinds=[OrderKind.SUPPLIER],
        )


def accounts(world: CountryWorld) -> list[tuple[str, str, list[str], str | None]]:
    """``(iban, status, proposers, decided_by)`` of every account, oldest first."""
    with world.act() as s:
        return [
            (a.iban, a.status, list(a.proposers), a.decided_by)
            for a in s.scalars(select(PayeeAccount).order_by(PayeeAccount.id))
        ]


def pending_id(world: CountryWorld, iban: str) -> int:
    with world.act() as s:
        found = s.scalar(
            select(PayeeAccount.id).where(
                PayeeAccount.iban == iban, PayeeAccount.status == "pending"
            )
        )
    assert found is not None
    return found


def confirm(world: CountryWorld, iban: str, actor: str) -> None:
    account = pending_id(world, iban)
    with world.act() as s:
        payees.confirm_account(s, account, actor=actor)


def audit_trail(world: CountryWorld) -> list[tuple[str, str]]:
    """``(action, actor)`` of every payee account record, in order."""
    with world.act() as s:
        return [
            (r.action, r.actor)
            for r in s.scalars(
                select(AuditRecord)
                .where(AuditRecord.action.startswith("payee_account."))
                .order_by(AuditRecord.id)
            )
        ]


def test_an_uploaded_iban_pays_nothing_until_another_staff_login_confirms_it(
    be: CountryWorld,
) -> None:
    done = upload(be, invoice("INV-1", ROGUE_IBAN), "user:adviser")
    (warning,) = [w for w in done.warnings if w.rule == "PAYEE"]
    assert f"IBAN {ROGUE_IBAN} waits for staff to confirm it" in warning.message
    assert accounts(be) == [(ROGUE_IBAN, "pending", ["user:adviser"], None)]

    held = pay_suppliers(be)
    assert held.batch is None and held.orders == ()
    (hold,) = held.held
    assert "has no verified bank account" in hold.reason and ROGUE_IBAN in hold.reason

    account = pending_id(be, ROGUE_IBAN)
    with pytest.raises(FourEyes, match="four-eyes rule: user:adviser brought in"), be.act() as s:
        payees.confirm_account(s, account, actor="user:adviser")
    assert accounts(be)[0][1] == "pending"
    assert pay_suppliers(be).batch is None

    with be.act() as s:
        payees.confirm_account(s, account, actor="user:manager")
    paid = pay_suppliers(be)
    assert paid.batch is not None and paid.held == ()
    (order,) = paid.orders
    assert (order.iban, order.amount) == (ROGUE_IBAN, 24200)
    assert audit_trail(be) == [
        ("payee_account.propose", "user:adviser"),
        ("payee_account.confirm", "user:manager"),
    ]


def test_a_later_document_naming_another_iban_is_flagged_and_held_until_staff_decide(
    be: CountryWorld,
) -> None:
    upload(be, invoice("INV-1"), "user:ada")
    with be.act() as s:  # staff type in the account the supplier gave them
        supplier = s.scalars(select(Party).where(Party.kind == "supplier")).one()
        payees.enter_account(s, supplier.code, SUPPLIER_IBAN, SUPPLIER_BIC, actor="user:adviser")
    assert [status for _, status, _, _ in accounts(be)] == ["verified"]

    done = upload(be, invoice("INV-2", ROGUE_IBAN, price="300"), "user:ada")
    (warning,) = [w for w in done.warnings if w.rule == "PAYEE"]
    assert f"asks payment to IBAN {ROGUE_IBAN}" in warning.message
    assert f"verified account {SUPPLIER_IBAN}" in warning.message
    batch = pay_suppliers(be)
    assert [o.amount for o in batch.orders] == [24200]  # INV-1, named the verified account
    (hold,) = batch.held
    assert hold.item.subject_id == done.purchases[0]
    assert f"asks payment to IBAN {ROGUE_IBAN}, not the verified account" in hold.reason
    assert "nothing is paid until staff confirm or reject it" in hold.reason

    rogue = pending_id(be, ROGUE_IBAN)
    with pytest.raises(InvalidAct, match="reason: say why"), be.act() as s:
        payees.reject_account(s, rogue, actor="user:manager", reason=" ")
    with be.act() as s:
        payees.reject_account(s, rogue, actor="user:manager", reason="not the supplier's")
    batch = pay_suppliers(be)
    (order,) = batch.orders  # INV-2 goes to the verified account, never the rogue one
    assert (order.subject_id, order.iban, order.amount) == (
        done.purchases[0],
        SUPPLIER_IBAN,
        36300,
    )
    with be.act() as s:
        ibans = set(s.scalars(select(PaymentOrder.iban)))
    assert ibans == {SUPPLIER_IBAN}
    assert ("payee_account.conflict", "user:ada") in audit_trail(be)
    assert audit_trail(be)[-1] == ("payee_account.reject", "user:manager")


def test_a_confirmed_new_account_replaces_the_verified_one_which_stays_in_history(
    be: CountryWorld,
) -> None:
    upload(be, invoice("INV-1"), "user:ada")
    confirm(be, SUPPLIER_IBAN, "user:adviser")
    assert pay_suppliers(be).orders[0].iban == SUPPLIER_IBAN
    done = upload(be, invoice("INV-2", NEW_IBAN), "user:ada")
    assert pay_suppliers(be).held[0].item.subject_id == done.purchases[0]
    confirm(be, NEW_IBAN, "user:manager")
    (order,) = pay_suppliers(be).orders
    assert (order.subject_id, order.iban) == (done.purchases[0], NEW_IBAN)
    assert [(iban, status) for iban, status, _, _ in accounts(be)] == [
        (SUPPLIER_IBAN, "replaced"),
        (NEW_IBAN, "verified"),
    ]
    assert [a for a, _ in audit_trail(be)] == [
        "payee_account.propose",
        "payee_account.confirm",
        "payee_account.conflict",
        "payee_account.replace",
        "payee_account.confirm",
    ]


def test_every_uploader_of_an_account_is_kept_out_of_confirming_it(be: CountryWorld) -> None:
    upload(be, invoice("INV-1", ROGUE_IBAN), "user:ada")
    upload(be, invoice("INV-2", ROGUE_IBAN), "user:adviser")
    assert accounts(be) == [(ROGUE_IBAN, "pending", ["user:ada", "user:adviser"], None)]
    account = pending_id(be, ROGUE_IBAN)
    with pytest.raises(FourEyes), be.act() as s:
        payees.confirm_account(s, account, actor="user:adviser")
    with be.act() as s:
        payees.confirm_account(s, account, actor="user:manager")
    with (
        pytest.raises(ClosedRecord, match="is verified, not waiting for a decision"),
        be.act() as s,
    ):
        payees.reject_account(s, account, actor="user:admin", reason="too late")


def test_a_document_naming_the_verified_account_proposes_nothing(be: CountryWorld) -> None:
    upload(be, invoice("INV-1"), "user:ada")
    confirm(be, SUPPLIER_IBAN, "user:adviser")
    done = upload(be, invoice("INV-2"), "user:ada")
    assert not [w for w in done.warnings if w.rule == "PAYEE"]
    with be.act() as s:
        assert s.get(Purchase, done.purchases[0]).payee_iban == SUPPLIER_IBAN  # type: ignore[union-attr]
    assert len(accounts(be)) == 1 and len(pay_suppliers(be).orders) == 2


def test_the_upgrade_leaves_accounts_on_file_waiting_for_staff(be: CountryWorld) -> None:
    """Accounts recorded before revision 0010 were never checked: they wait, and whoever
    recorded one (read from the audit log) may not confirm it."""
    upload(be, invoice("INV-1"), "user:ada")
    with be.act() as s:
        s.execute(text("DELETE FROM payee_account"))
    migrate.downgrade(be.engine, "0009")
    with be.engine.begin() as c:
        party_id, code = c.execute(text("SELECT id, code FROM party WHERE kind = 'supplier'")).one()
        c.execute(
            text(
                "INSERT INTO payee_account (party_id, iban, bic, updated_at) "
                "VALUES (:p, :i, NULL, '2026-07-01 10:00:00')"
            ),
            {"p": party_id, "i": ROGUE_IBAN},
        )
        c.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, subject, reason, data) VALUES "
                "('2026-07-01 10:00:00', 'user:ada', 'payee_account.set', :s, '', '{}')"
            ),
            {"s": f"party:{code}"},
        )
    migrate.upgrade(be.engine)
    assert accounts(be) == [(ROGUE_IBAN, "pending", ["user:ada"], None)]
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(PayeeAccount)) == 1
        (row,) = s.scalars(select(PayeeAccount))
        assert row.source == "recorded"
    with pytest.raises(FourEyes):
        confirm(be, ROGUE_IBAN, "user:ada")


def test_downgrading_below_verification_refuses_to_lose_the_history(
    be: CountryWorld,
) -> None:
    upload(be, invoice("INV-1", ROGUE_IBAN), "user:ada")
    with pytest.raises(DatabaseError, match="1 supplier accounts are pending"):
        migrate.downgrade(be.engine, "0009")
    assert migrate.current(be.engine) == migrate.head()
