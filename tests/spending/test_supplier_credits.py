"""Supplier credit notes and the supplier's structured payment reference: credit notes
received (Peppol UBL, Factur-X) booked as the mirror of a purchase against the invoice
they correct, what is left to credit enforced, the invoice's payment less its credit
notes in the SEPA batch, with the reference the supplier asked for."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx
import pytest
import sepaxml
import xmlschema
from lxml import etree
from sqlalchemy import Engine, select, text

from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.banking import payees, sepa
from partage.core.banking.models import OrderKind, PayeeStatus
from partage.core.contract.accounting import PostingRole
from partage.core.contract.einvoice import cii
from partage.core.contract.errors import DatabaseError
from partage.core.contract.periods import Period
from partage.core.declarations import returns as declarations
from partage.core.documents import importing
from partage.core.documents.importing import ImportRefused
from partage.core.documents.pdf import render_pdf
from partage.core.ledger.models import Account, JournalEntry, JournalLine
from partage.core.ledger.reports import available_funds, book_balance
from partage.core.members import service as members
from partage.core.members.models import Party
from partage.core.platform.db import migrate
from partage.core.risk.solvency import END_OF_TIME
from partage.core.spending import settlement, supplier_credits
from partage.core.spending.models import Purchase
from tests.documents_support import (
    DAY,
    SUPPLIER_REFERENCE,
    CountryWorld,
    build_country_world,
    fund,
    issuer,
    supplier_document,
    supplier_invoice,
    supplier_purchases,
    supplier_ubl,
    validate_pending,
)

D = Decimal
PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
PAY_DAY = date(2026, 7, 31)
TABLES = ("party", "purchase", "journal_entry", "journal_line", "audit_log", "payment_order")


# --- helpers --------------------------------------------------------------------------
def credit_note(number: str, preceding: str | None, *lines: tuple[str, ...]) -> bytes:
    """A Peppol credit note of the Belgian supplier, correcting ``preceding``."""
    return supplier_ubl(
        supplier_document(number=number, lines=lines, credit_note=True, preceding=preceding)
    )


def imported(world: CountryWorld, content: bytes) -> importing.ImportedPurchase:
    with world.act() as s:
        return importing.import_purchase(
            s, world.coop, content, entity=world.entity, actor="t", issuer=issuer(world.country)
        )


def counts(world: CountryWorld) -> dict[str, int]:
    with world.engine.connect() as c:
        return {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}


def lines_of(world: CountryWorld, act: str, act_id: int) -> set[tuple[str, str, D, str | None]]:
    """The journal lines an act posted: (role, side, amount, VAT code)."""
    with world.act() as s:
        roles = {
            world.coop.account(s, role): role.value
            for role in (
                PostingRole.PURCHASES,
                PostingRole.EXPENSES,
                PostingRole.VAT_DEDUCTIBLE,
                PostingRole.SUPPLIERS,
                PostingRole.BANK,
            )
        }
        rows = s.execute(
            select(Account.code, JournalLine.debit, JournalLine.credit, JournalLine.vat_code)
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .join(Account, Account.id == JournalLine.account_id)
            .where(JournalEntry.act_type == act, JournalEntry.act_id == str(act_id))
        ).all()
    return {
        (
            roles[code],
            "debit" if debit else "credit",
            D(debit or credit) / 100,
            vat_code,
        )
        for code, debit, credit, vat_code in rows
    }


def owed_to_suppliers(world: CountryWorld) -> D:
    """The entity's balance with its suppliers, debit positive (negative: it owes)."""
    with world.act() as s:
        account = world.coop.account(s, PostingRole.SUPPLIERS)
        return book_balance(s, book=world.entity).get(account, D(0))


def funds(world: CountryWorld) -> D:
    with world.act() as s:
        return available_funds(s, book=world.entity, on=END_OF_TIME)


def row(world: CountryWorld, purchase_id: int) -> Purchase:
    with world.act() as s:
        found = s.get(Purchase, purchase_id)
        assert found is not None
        s.expunge(found)
        return found


# --- credit notes received ---------------------------------------------------------------
def test_a_ubl_credit_note_after_its_invoice_lowers_what_is_owed_and_replays_as_nothing(
    engine: Engine,
) -> None:
    world = build_country_world(engine, "be")
    fund(world)
    (invoice_id,) = imported(world, supplier_invoice()).purchases
    before = funds(world)
    assert owed_to_suppliers(world) == D("-726.00")

    done = imported(world, credit_note("CN-5", "INV-77", ("Affiches A2", "1", "200")))

    assert done.format == "ubl" and done.document.is_credit_note and not done.replayed
    (note_id,) = done.purchases
    invoice, note = row(world, invoice_id), row(world, note_id)
    assert (note.kind, note.supplier_reference, note.credits_id) == (
        "credit_note",
        "CN-5",
        invoice.id,
    )
    assert (note.net, note.vat, note.vat_code, note.category) == (
        20000,
        4200,
        invoice.vat_code,
        "purchases",
    )
    assert note.paid_on is None and invoice.paid_on is None and invoice.kind == "invoice"
    assert lines_of(world, "supplier_credit_note", note.id) == {
        ("suppliers", "debit", D("242.00"), None),
        ("purchases", "credit", D("200.00"), invoice.vat_code),
        ("vat_deductible", "credit", D("42.00"), invoice.vat_code),
    }
    assert lines_of(world, "purchase", invoice.id) == {
        ("purchases", "debit", D("600.00"), invoice.vat_code),
        ("vat_deductible", "debit", D("126.00"), invoice.vat_code),
        ("suppliers", "credit", D("726.00"), None),
    }
    assert owed_to_suppliers(world) == D("-484.00")
    assert funds(world) - before == D("200.00")  # the VAT comes back through the State
    with world.act() as s:
        declared = declarations.vat_return(s, world.coop, Period(date(2026, 7, 1), PAY_DAY))
    # Belgian grids: purchases (81) and their VAT deducted (59); credit notes received
    # (85) and the VAT they take back (63).
    assert {b: declared.box(b) for b in ("81", "59", "85", "63")} == {
        "81": D("600.00"),
        "59": D("126.00"),
        "85": D("200.00"),
        "63": D("42.00"),
    }

    written = counts(world)
    again = imported(world, credit_note("CN-5", "INV-77", ("Affiches A2", "1", "200")))
    assert again.replayed and again.purchases == (note.id,)
    assert counts(world) == written


def test_a_credit_note_beyond_what_is_left_of_its_invoice_is_refused_writing_nothing(
    be: CountryWorld,
) -> None:
    fund(be)
    imported(be, supplier_invoice())
    imported(be, credit_note("CN-1", "INV-77", ("Affiches A2", "2", "200")))
    written = counts(be)
    with pytest.raises(InvalidAct) as refused:
        imported(be, credit_note("CN-2", "INV-77", ("Affiches A2", "1.5", "200")))
    assert str(refused.value).startswith(
        "net: 300.00 exceeds what is left to credit of invoice INV-77, 200.00"
    )
    assert counts(be) == written


def test_a_credit_note_of_an_invoice_never_booked_is_refused_naming_billing_reference(
    be: CountryWorld,
) -> None:
    written = counts(be)
    with pytest.raises(ImportRefused) as refused:
        imported(be, credit_note("CN-1", "INV-404", ("Affiches A2", "1", "200")))
    (finding,) = refused.value.findings
    assert finding.rule == "BILLING-REFERENCE" and "invoice INV-404" in finding.message
    assert counts(be) == written  # not even the supplier it would have registered


def test_a_credit_note_of_one_rate_credits_that_part_of_an_invoice_split_per_rate(
    be: CountryWorld,
) -> None:
    fund(be)
    split = supplier_ubl(
        supplier_document(
            number="INV-9",
            lines=(("Affiches A2", "3", "200"), ("Brochures", "10", "5", "0.06")),
        )
    )
    first, second = imported(be, split).purchases
    assert row(be, first).supplier_reference == "INV-9/1"
    (note_id,) = imported(
        be, credit_note("CN-9", "INV-9", ("Brochures", "4", "5", "0.06"))
    ).purchases
    note = row(be, note_id)
    assert (note.credits_id, note.net, note.vat) == (second, 2000, 120)
    assert note.vat_code == row(be, second).vat_code != row(be, first).vat_code


def test_a_credit_note_without_a_preceding_invoice_is_a_refund_owed_once_staff_validate_it(
    be: CountryWorld,
) -> None:
    fund(be)
    imported(be, supplier_invoice())
    (note_id,) = imported(be, credit_note("CN-7", None, ("Affiches A2", "1", "100"))).purchases
    note = row(be, note_id)
    assert (note.kind, note.credits_id, note.net, note.vat, note.paid_on) == (
        "credit_note",
        None,
        10000,
        2100,
        None,
    )
    assert owed_to_suppliers(be) == D("-726.00")  # no invoice here: it waits for staff
    assert len(validate_pending(be)) == 1
    assert owed_to_suppliers(be) == D("-726.00") + D("121.00")


def test_a_factur_x_credit_note_of_type_381_imports_against_its_cii_invoice(
    fr: CountryWorld,
) -> None:
    fund(fr)
    invoice = supplier_document(
        "fr", "FA-2026-12", lines=(("Ramettes", "10", "25.00"),), payment_reference=None
    )
    (invoice_id,) = imported(fr, cii.write(invoice)).purchases
    document = supplier_document(
        "fr",
        "AV-2026-3",
        lines=(("Ramettes", "4", "25.00"),),
        credit_note=True,
        preceding="FA-2026-12",
    )
    content = fr.coop.plugins.hook.partage_einvoice(
        document=document, pdf=render_pdf(document, fr.coop.plugins, country="fr")
    ).content
    _name, xml = facturx.get_xml_from_pdf(content, check_xsd=True)
    assert etree.fromstring(xml).findtext(".//{*}ExchangedDocument/{*}TypeCode") == "381"
    done = imported(fr, content)
    assert done.format == "cii" and done.document.is_credit_note
    assert done.document.preceding_invoice == "FA-2026-12"
    note = row(fr, done.purchases[0])
    assert (note.kind, note.credits_id, note.net, note.vat) == (
        "credit_note",
        invoice_id,
        10000,
        2000,
    )
    assert owed_to_suppliers(fr) == D("-300.00") + D("120.00")


# --- the engine's rules -----------------------------------------------------------------
def supplier_of(world: CountryWorld, purchase_id: int) -> str:
    with world.act() as s:
        purchase = s.get(Purchase, purchase_id)
        assert purchase is not None
        party = s.get(Party, purchase.party_id)
        assert party is not None
        return party.code


def credit(
    world: CountryWorld, supplier: str, reference: str, net: str, **options: Any
) -> Purchase:
    """A supplier's credit note booked for the world's entity (``options``: ``credits``,
    ``on``, ``entity``...)."""
    on = options.pop("on", DAY)
    entity = options.pop("entity", world.entity)
    with world.act() as s:
        note = supplier_credits.record_supplier_credit_note(
            s,
            world.coop,
            entity=entity,
            supplier=supplier,
            supplier_reference=reference,
            net=net,
            on=on,
            actor="t",
            **options,
        )
        s.flush()
        s.expunge(note)
        return note


def supplier_batch(world: CountryWorld) -> sepa.Batch:
    with world.act() as s:
        return sepa.build_batch(
            s,
            world.coop,
            issuer(world.country),
            execution_on=PAY_DAY,
            actor="t",
            kinds=[OrderKind.SUPPLIER],
        )


def test_an_invoice_credited_in_full_is_settled_there_and_then_without_a_transfer(
    be: CountryWorld,
) -> None:
    fund(be)
    (invoice,) = supplier_purchases(be, "100")
    supplier = supplier_of(be, invoice)
    first = credit(be, supplier, "CN-1", "40", credits="P-1")
    assert first.paid_on is None and row(be, invoice).paid_on is None
    second = credit(be, supplier, "CN-2", "60", credits="P-1")
    assert (first.vat, second.vat) == (840, 1260)
    assert row(be, invoice).paid_on == DAY
    assert {row(be, n.id).paid_on for n in (first, second)} == {DAY}
    assert owed_to_suppliers(be) == 0
    done = supplier_batch(be)
    assert done.batch is None and done.orders == () and done.held == ()
    assert lines_of(be, "purchase_payment", invoice) == set()
    with pytest.raises(
        InvalidAct, match=re.escape("net: 0.01 exceeds what is left to credit of invoice P-1, 0.00")
    ):
        credit(be, supplier, "CN-3", "0.01", credits="P-1")


def test_credit_notes_never_give_back_more_vat_than_the_invoice_charged(be: CountryWorld) -> None:
    # 0.10 at 21 % charges 0.02; three credits of 0.03 would each give back 0.01.
    fund(be)
    (invoice,) = supplier_purchases(be, "0.10")
    supplier = supplier_of(be, invoice)
    notes = [
        credit(be, supplier, f"CN-{n}", net, credits="P-1")
        for n, net in enumerate(("0.03", "0.03", "0.03", "0.01"))
    ]
    assert [n.vat for n in notes] == [1, 1, 0, 0]
    assert row(be, invoice).paid_on == DAY and owed_to_suppliers(be) == 0


def test_a_credit_note_of_a_paid_invoice_stays_owed_back_and_is_never_paid(
    be: CountryWorld,
) -> None:
    fund(be)
    (invoice,) = supplier_purchases(be, "300")
    supplier = supplier_of(be, invoice)
    with be.act() as s:
        settlement.pay_purchase(s, be.coop, invoice, on=DAY, actor="t")
    note = credit(be, supplier, "CN-1", "100", credits="P-1")
    assert note.paid_on is None and note.credits_id == invoice
    assert owed_to_suppliers(be) == D("121.00")  # the supplier owes it back
    assert supplier_batch(be).batch is None
    with (
        pytest.raises(InvalidAct, match="credit note CN-1 is owed back by the supplier"),
        be.act() as s,
    ):
        settlement.pay_purchase(s, be.coop, note.id, on=PAY_DAY, actor="t")


def test_each_credit_note_rule_is_refused_naming_its_field_and_writes_nothing(
    be: CountryWorld,
) -> None:
    fund(be)
    (invoice,) = supplier_purchases(be, "100")
    supplier = supplier_of(be, invoice)
    with be.act() as s:
        other = members.open_entity(
            s,
            be.coop,
            holders=[1],
            name="Atelier Bis",
            kind="freelance",
            office=be.coop.instance.offices[0].code,
            on=DAY,
            actor="t",
        ).code
    credit(be, supplier, "CN-1", "10", credits="P-1")
    written = counts(be)
    refusals: list[tuple[type[Exception], str, dict[str, Any]]] = [
        (NotFound, f"credits: supplier {supplier} has no invoice 'P-9' booked", {"credits": "P-9"}),
        (
            InvalidAct,
            f"credits: invoice P-1 of supplier {supplier} was booked for entity {be.entity}, "
            f"not for {other}",
            {"credits": "P-1", "entity": other},
        ),
        (
            InvalidAct,
            "category: invoice P-1 was booked as purchases",
            {"credits": "P-1", "category": "expenses"},
        ),
        (
            InvalidAct,
            "rate_code: the credit note's VAT code",
            {"credits": "P-1", "rate_code": "reduced"},
        ),
        (
            InvalidAct,
            "on: the credit note of 2026-07-05 is dated before invoice P-1 of 2026-07-06",
            {"credits": "P-1", "on": date(2026, 7, 5)},
        ),
        (
            InvalidAct,
            "net: 200.00 exceeds what is left to credit of invoice P-1, 90.00",
            {"credits": "P-1", "net": "200"},
        ),
        (
            InvalidAct,
            f"supplier_reference: credit note CN-1 of supplier {supplier} is already booked",
            {"reference": "CN-1"},
        ),
        (InvalidAct, "net: -5 must be a positive amount", {"net": "-5"}),
    ]
    for error, message, options in refusals:
        reference = options.pop("reference", "CN-2")
        net = options.pop("net", "5")
        with pytest.raises(error) as refused:
            credit(be, supplier, reference, net, **options)
        assert str(refused.value).startswith(message), str(refused.value)
    assert counts(be) == written


# --- paying suppliers -------------------------------------------------------------------
def test_a_batch_pays_the_invoice_less_its_credit_note_quoting_the_suppliers_reference(
    engine: Engine,
) -> None:
    world = build_country_world(engine, "be")
    fund(world)
    (invoice,) = imported(world, supplier_invoice()).purchases
    (note,) = imported(world, credit_note("CN-5", "INV-77", ("Affiches A2", "1", "200"))).purchases
    with world.act() as s:  # the account the invoice named, vouched for by other staff
        (account,) = payees.accounts(s, statuses=[PayeeStatus.PENDING])
        payees.confirm_account(s, account[0].id, actor="user:adviser")
    done = supplier_batch(world)
    assert done.batch is not None and done.held == ()
    (order,) = done.orders
    assert (order.subject_id, order.amount, order.remittance) == (
        invoice,
        48400,
        SUPPLIER_REFERENCE,
    )
    content = done.batch.content
    xmlschema.XMLSchema(
        str(Path(sepaxml.__file__).parent / "schemas" / "pain.001.001.03.xsd")
    ).validate(content)
    (transfer,) = etree.fromstring(content).iter(f"{PAIN}CdtTrfTxInf")
    assert transfer.findtext(f"{PAIN}Amt/{PAIN}InstdAmt") == "484.00"
    assert transfer.findtext(f"{PAIN}RmtInf/{PAIN}Ustrd") == SUPPLIER_REFERENCE
    assert transfer.findtext(f"{PAIN}CdtrAcct/{PAIN}Id/{PAIN}IBAN") == "BE71096123456769"
    assert {row(world, i).paid_on for i in (invoice, note)} == {PAY_DAY}
    assert lines_of(world, "purchase_payment", invoice) == {
        ("suppliers", "debit", D("484.00"), None),
        ("bank", "credit", D("484.00"), None),
    }
    assert owed_to_suppliers(world) == 0
    assert supplier_batch(world).batch is None


# --- the supplier's structured reference ------------------------------------------------
def test_a_malformed_payment_reference_is_refused_naming_the_field(be: CountryWorld) -> None:
    fund(be)
    written = counts(be)
    for wrong, form in (
        ("+++090/9337/55494+++", "a Belgian structured communication"),
        ("RF19 5390 0754 7034", "an ISO 11649 creditor reference"),
        ("INV-77", "a Belgian structured communication"),
    ):
        with pytest.raises(InvalidAct) as refused:
            supplier_purchases(be, "100", payment_reference=wrong)
        assert str(refused.value).startswith(f"payment_reference: {wrong!r} is not {form}")
    assert counts(be) == written
    (rf,) = supplier_purchases(be, "100", payment_reference="rf18 5390 0754 7034")
    assert row(be, rf).payment_reference == "RF18539007547034"


def test_the_structured_reference_of_a_ubl_invoice_is_kept_on_the_purchase(
    be: CountryWorld,
) -> None:
    fund(be)
    (kept,) = imported(be, supplier_invoice()).purchases
    assert row(be, kept).payment_reference == SUPPLIER_REFERENCE == "+++090/9337/55493+++"
    free = supplier_ubl(supplier_document(number="INV-78", payment_reference="Facture INV-78"))
    (plain,) = imported(be, free).purchases
    assert row(be, plain).payment_reference is None
    broken = supplier_ubl(
        supplier_document(number="INV-79", payment_reference="+++090/9337/55494+++")
    )
    written = counts(be)
    with pytest.raises(ImportRefused) as refused:
        imported(be, broken)
    assert [f.rule for f in refused.value.findings] == ["BT-83"]
    assert counts(be) == written


# --- the schema -------------------------------------------------------------------------
def test_the_schema_is_not_stepped_back_below_credit_notes_it_could_not_tell_apart(
    be: CountryWorld,
) -> None:
    with be.act() as s:
        supplier = members.register_party(
            s,
            be.coop,
            address="1 Main Street\n1000 Town",
            name="Refunder",
            kind="supplier",
            country="BE",
            actor="t",
        ).code
    note = credit(be, supplier, "CN-1", "10")  # a refund owed, crediting no invoice
    with pytest.raises(DatabaseError, match="1 supplier credit notes would read as invoices"):
        migrate.downgrade(be.engine, "0006")
    assert migrate.current(be.engine) == migrate.head()
    assert row(be, note.id).kind == "credit_note"
