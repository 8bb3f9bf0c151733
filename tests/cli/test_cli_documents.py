"""``partage documents`` and ``partage bank``: files issued and exchanged from the
command line, with the cooperative's facts read from ``[instance.issuer]``."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import func, select

from partage.core.banking import writers
from partage.core.banking.models import PaymentBatch, StatementRecord
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.contract.money import from_minor
from partage.core.documents.models import InvoiceFile
from partage.core.payroll import service as payroll
from partage.core.platform.config import default_config_dir
from partage.core.platform.issuer import Issuer
from partage.core.platform.registry import PluginRegistry
from partage.core.platform.runtime import load_config
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from partage.core.sales.models import Allocation, Invoice
from partage.core.spending.models import Purchase
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.documents_support import (
    BE_COOP_VAT,
    BE_IBAN,
    DAY,
    CountryWorld,
    fund,
    issuer,
    supplier_document,
    supplier_invoice,
    supplier_ubl,
)

PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.001.001.03}"
BANK_DATA = Path(__file__).parent.parent / "banking" / "data"


def sale(world: CountryWorld, net: str) -> str:
    with world.act() as s:
        return invoices.issue_invoice(
            s,
            world.coop,
            entity=world.entity,
            client=world.client("domestic"),
            lines=[LineInput("Mission", "1", net)],
            on=DAY,
            actor="t",
        ).number


def cli(world: CountryWorld, *args: str) -> list[str]:
    return ["--instance", world.country, "--database-url", str(world.engine.url), *args]


def stored_files(world: CountryWorld) -> int:
    with world.act() as s:
        return s.scalar(select(func.count()).select_from(InvoiceFile)) or 0


@pytest.mark.parametrize("country", ["be", "fr"])
def test_the_shipped_instances_give_their_issuer_checked_by_the_country(country: str) -> None:
    registry = PluginRegistry()
    config = load_config(country, registry=registry)
    found = Issuer.from_config(config, registry.manager(country))
    assert found.mention_facts() == issuer(country).mention_facts()
    assert found.social_security_id == issuer(country).social_security_id


def configs_with(tmp_path: Path, old: str, new: str) -> Path:
    """The shipped configs with ``old`` replaced in the Belgian instance file. The
    contract's copy of the cooperative's VAT number is left out, so that the check under
    test, not the contract's, is the one that answers."""
    folder = tmp_path / "configs"
    shutil.copytree(default_config_dir(), folder)
    path = folder / "instances" / "be.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    network = folder / "network.toml"
    contract = network.read_text(encoding="utf-8")
    assert f'vat_number = "{BE_COOP_VAT}"\n' in contract
    network.write_text(contract.replace(f'vat_number = "{BE_COOP_VAT}"\n', ""), encoding="utf-8")
    return folder


def test_an_invalid_issuer_vat_number_names_file_key_value_and_rule(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    number = sale(be, "100.00")
    folder = configs_with(tmp_path, '"BE0403019261"', '"BE0403019262"')
    out = tmp_path / "x.pdf"
    code, _, err = run(
        ["--config-dir", str(folder), *cli(be, "documents", "pdf", number, "-o", str(out))], capsys
    )
    assert code == 2
    assert "be.toml: instance.issuer.vat_number = 'BE0403019262'" in err
    assert not out.exists() and stored_files(be) == 0


@pytest.mark.parametrize(
    ("key", "old", "new"),
    [
        ("vat_number", '"BE0403019261"', '"BE0403019262"'),
        ("company_id", '"0403.019.261"', '"0403.019.262"'),
        ("iban", '"BE68539007547034"', '"BE68539007547035"'),
    ],
)
def test_config_check_refuses_an_issuer_identifier_the_country_rejects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str, old: str, new: str
) -> None:
    folder = configs_with(tmp_path, old, new)
    code, out, err = run(
        ["--config-dir", str(folder), "--instance", "be", "config", "check"], capsys
    )
    assert code == 2 and "is valid" not in out
    assert f"be.toml: instance.issuer.{key} = '{new.strip(chr(34))}': not a valid" in err


def test_a_bad_bic_is_refused_when_the_configuration_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = configs_with(tmp_path, '"GEBABEBB"', '"GEBAFRPP"')
    code, _, err = run(["--config-dir", str(folder), "--instance", "be", "config", "check"], capsys)
    assert code == 2
    assert "instance.issuer.bic = 'GEBAFRPP': BIC of FR, IBAN of BE" in err


def test_without_an_issuer_table_documents_are_refused(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    number = sale(be, "100.00")
    folder = configs_with(tmp_path, "[instance.issuer]", "[instance.unused]")
    code, out, _ = run(["--config-dir", str(folder), *cli(be, "config", "check")], capsys)
    assert code == 0, out
    target = tmp_path / "x.pdf"
    code, _, err = run(
        ["--config-dir", str(folder), *cli(be, "documents", "pdf", number, "-o", str(target))],
        capsys,
    )
    assert code == 2
    assert "instance.issuer = <missing>: needed to issue documents" in err
    assert not target.exists() and stored_files(be) == 0


def test_pdf_and_einvoice_are_written_and_the_second_request_gives_the_same_bytes(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    number = sale(be, "1000.00")
    first, again = tmp_path / "a.pdf", tmp_path / "b.pdf"
    code, out, err = run(cli(be, "documents", "pdf", number, "-o", str(first)), capsys)
    assert code == 0, err
    assert "issued now" in out and first.read_bytes().startswith(b"%PDF-")
    code, out, _ = run(cli(be, "documents", "pdf", number, "-o", str(again)), capsys)
    assert "as issued before" in out and again.read_bytes() == first.read_bytes()
    xml = tmp_path / "invoice.xml"
    code, out, err = run(cli(be, "documents", "einvoice", number, "-o", str(xml)), capsys)
    assert code == 0, err
    content = xml.read_bytes()
    assert b"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" in content
    assert b"BE0403019261" in content and BE_IBAN.encode() in content


def test_a_quotes_pdf_is_written_in_the_language_asked_for(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    with be.act() as s:
        reference = invoices.send_quote(
            s, be.coop, entity=be.entity, client=be.client("domestic"),
            lines=[LineInput("Mission", "2", "300")], on=DAY, actor="t",
        ).reference  # fmt: skip
    target = tmp_path / "quote.pdf"
    code, out, err = run(
        cli(be, "documents", "quote-pdf", reference, "-o", str(target), "--language", "nl"), capsys
    )
    assert code == 0, err
    assert f"quote {reference}: pdf" in out
    words = " ".join(
        " ".join((page.extract_text() or "").split())
        for page in PdfReader(io.BytesIO(target.read_bytes())).pages
    )
    assert f"Offerte {reference}" in words and "Voor akkoord" in words
    assert stored_files(be) == 0  # a quote's PDF is not kept
    code, _, err = run(cli(be, "documents", "quote-pdf", "Q2099-999999", "-o", str(target)), capsys)
    assert code != 0 and "quote" in err


def test_an_einvoice_asked_in_another_format_is_refused_and_nothing_is_stored(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    number = sale(be, "100.00")
    target = tmp_path / "invoice.pdf"
    code, _, err = run(cli(be, "documents", "einvoice", number, "-o", str(target)), capsys)
    assert code == 2
    assert "is a .xml file" in err
    assert not target.exists() and stored_files(be) == 0


def test_an_unknown_invoice_number_is_a_one_line_usage_error(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    target = tmp_path / "x.pdf"
    code, _, err = run(cli(be, "documents", "pdf", "NOPE-1", "-o", str(target)), capsys)
    assert code == 2
    assert err.strip().splitlines() == ["partage: error: invoice 'NOPE-1': no such invoice"]
    assert not target.exists() and stored_files(be) == 0


def statement(*transactions: BankTransaction) -> BankStatement:
    return BankStatement("camt.053", "2026-07-20", BE_IBAN, "EUR", transactions, Decimal(0))


def tx(key: str, amount: str, **facts: str) -> BankTransaction:
    on = date(2026, 7, 20)
    return BankTransaction(key, Decimal(amount), True, on, on, **facts)  # type: ignore[arg-type]


def test_bank_import_prints_matched_and_queued_counts_and_replays_as_nothing(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    number = sale(be, "100.00")
    file = tmp_path / "statement.xml"
    file.write_bytes(
        writers.camt053(
            statement(
                tx("T1", "121.00", remittance=f"Invoice {number}"),
                tx("T2", "9.99", counterparty_name="Unknown payer"),
            )
        )
    )
    code, out, err = run(cli(be, "bank", "import", str(file)), capsys)
    assert code == 0, err
    assert "2 transactions, 1 matched (0 supplier refunds), 0 paid out, 1 queued" in out
    code, out, _ = run(cli(be, "bank", "import", str(file)), capsys)
    assert code == 0 and "imported before; nothing changed" in out


def test_a_malformed_statement_is_a_one_line_usage_error_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    file = tmp_path / "statement.xml"
    file.write_bytes(b"<Document><BkToCstmrStmt>")
    code, _, err = run(cli(be, "bank", "import", str(file)), capsys)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("partage: error: ")
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(StatementRecord)) == 0


def test_bank_pay_with_nothing_due_writes_no_file_and_a_bad_kind_is_refused(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    target = tmp_path / "pain.xml"
    args = ["bank", "pay", "--kind", "salaries", "--date", "2026-07-31", "-o", str(target)]
    code, out, err = run(cli(be, *args), capsys)
    assert code == 0, err
    assert "nothing can be paid" in out and not target.exists()
    args[3] = "bonuses"
    code, _, err = run(cli(be, *args), capsys)
    assert code == 2 and "--kind: 'bonuses' is not one of salaries, expenses, suppliers" in err


def test_bank_pay_writes_a_valid_pain_001_of_the_salaries_and_paying_again_writes_nothing(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    fund(be, "10000.00")
    with be.act() as s:
        contract = payroll.hire(
            s,
            be.coop,
            entity=be.entity,
            member=1,
            worker_category="employee",
            start=date(2026, 7, 1),
            monthly_gross="2500",
            actor="t",
        ).code
        net = payroll.pay(s, be.coop, contract, month=DAY, paid_on=date(2026, 7, 31), actor="t").net
    target = tmp_path / "pain.xml"
    args = ["bank", "pay", "--kind", "salaries", "--date", "2026-07-31", "-o", str(target)]
    code, out, err = run(cli(be, *args), capsys)
    assert code == 0, err
    total = from_minor(net, "EUR")
    assert f": 1 transfers, {total} EUR written to {target}" in out
    root = etree.fromstring(target.read_bytes())
    assert root.findtext(f".//{PAIN}GrpHdr/{PAIN}NbOfTxs") == "1"
    assert Decimal(root.findtext(f".//{PAIN}GrpHdr/{PAIN}CtrlSum") or "") == total
    assert root.findtext(f".//{PAIN}DbtrAcct/{PAIN}Id/{PAIN}IBAN") == BE_IBAN
    with be.act() as s:
        (batch,) = s.scalars(select(PaymentBatch)).all()
        assert batch.content == target.read_bytes()
    target.unlink()
    code, out, _ = run(cli(be, *args), capsys)
    assert code == 0 and "nothing can be paid" in out and not target.exists()


def test_import_purchase_books_a_supplier_invoice_then_its_credit_note_and_replays_as_nothing(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    fund(be)
    invoice, note = tmp_path / "invoice.xml", tmp_path / "credit-note.xml"
    invoice.write_bytes(supplier_invoice("INV-77"))
    note.write_bytes(
        supplier_ubl(
            supplier_document(
                number="CN-5",
                lines=(("Affiches A2", "1", "200"),),
                credit_note=True,
                preceding="INV-77",
            )
        )
    )
    args = ["documents", "import-purchase", "--entity", be.entity]
    code, out, err = run(cli(be, *args, str(invoice)), capsys)
    assert code == 0, err
    assert "invoice.xml: ubl invoice INV-77 of " in out and "(726.00 EUR)" in out
    code, out, err = run(cli(be, *args, str(note)), capsys)
    assert code == 0, err
    assert "credit-note.xml: ubl credit note CN-5" in out and "(242.00 EUR)" in out
    code, out, _ = run(cli(be, *args, str(note)), capsys)
    assert code == 0 and "credit note CN-5 was imported before; nothing booked" in out
    with be.act() as s:
        rows = s.execute(select(Purchase.kind, Purchase.net, Purchase.credits_id)).all()
    assert sorted((kind, net) for kind, net, _ in rows) == [
        ("credit_note", 20000),
        ("invoice", 60000),
    ]


def test_import_purchase_lists_every_broken_rule_and_books_nothing(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    fund(be)
    wrong = tmp_path / "wrong.xml"
    wrong.write_bytes(
        supplier_invoice().replace(
            b'<cbc:TaxInclusiveAmount currencyID="EUR">726.00</cbc:TaxInclusiveAmount>',
            b'<cbc:TaxInclusiveAmount currencyID="EUR">727.00</cbc:TaxInclusiveAmount>',
        )
    )
    args = ["documents", "import-purchase", "--entity", be.entity, str(wrong)]
    code, _, err = run(cli(be, *args), capsys)
    assert code == 2  # a file that is not a lawful e-invoice is bad input
    assert "supplier e-invoice refused" in err
    assert re.search(r"BR-CO-15 \(XML line \d+\): ", err), err
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(Purchase)) == 0


def test_the_queue_is_listed_and_a_queued_payment_settled_by_hand(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    number = sale(be, "50.00")
    file = tmp_path / "statement.xml"
    file.write_bytes(writers.camt053(statement(tx("T3", "60.50", counterparty_name="M. Dupont"))))
    code, out, err = run(cli(be, "bank", "import", str(file)), capsys)
    assert code == 0 and "1 queued" in out, err
    code, out, err = run(cli(be, "bank", "queue", "--format", "json"), capsys)
    assert code == 0, err
    (queued,) = json.loads(out)
    assert (queued["amount"], queued["counterparty"]) == ("60.50", "M. Dupont")
    assert queued["why"]
    settle = ["bank", "settle", str(queued["id"]), "--entity", be.entity]
    code, _, err = run(
        cli(be, *settle, "--client", be.client("domestic"), "--invoice", "X"), capsys
    )
    assert code == 2 and "--invoice: 'X' is not NUMBER=AMOUNT" in err
    code, out, err = run(
        cli(be, *settle, "--client", be.client("domestic"), "--invoice", f"{number}=60.50"), capsys
    )
    assert code == 0, err
    assert f"bank transaction {queued['id']}: 60.50 EUR posted as payment of" in out
    code, out, _ = run(cli(be, "bank", "queue"), capsys)
    assert code == 0 and out.strip() == "queue empty"
    with be.act() as s:
        settled = s.scalar(
            select(func.sum(Allocation.amount))
            .join(Invoice, Invoice.id == Allocation.invoice_id)
            .where(Invoice.number == number)
        )
    assert settled == 6050


def test_a_queued_bank_charge_is_settled_as_an_entity_s_charge_by_hand(
    capsys: pytest.CaptureFixture[str], be: CountryWorld
) -> None:
    """The bank's camt.053: a payment received, then returned with its charge, and the
    account's own monthly fee, which names no entity and waits for a person."""
    assert sale(be, "100.00") == "F2026-000001"  # the number the bank's files quote
    for name in ("camt053_payment_received.xml", "camt053_return_and_charges.xml"):
        code, out, err = run(cli(be, "bank", "import", str(BANK_DATA / name)), capsys)
        assert code == 0, err
    assert "1 queued" in out
    code, out, err = run(cli(be, "bank", "queue", "--format", "json"), capsys)
    (queued,) = json.loads(out)
    assert (queued["amount"], queued["why"]) == (
        "-5.75",
        "a bank charge that names no entity's payment or payment order",
    )
    settle = ["bank", "settle", str(queued["id"]), "--charge"]
    code, _, err = run(cli(be, *settle, "--client", be.client("domestic")), capsys)
    assert code != 0 and "a bank charge names the entity it is charged to, alone" in err
    code, out, err = run(cli(be, *settle, "--entity", be.entity), capsys)
    assert code == 0, err
    assert f"bank transaction {queued['id']}: 5.75 EUR posted as bank charge of {be.entity}" in out
    code, out, _ = run(cli(be, "bank", "queue"), capsys)
    assert out.strip() == "queue empty"


def test_rates_load_takes_the_ecbs_zip_and_a_bad_file_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    import zipfile

    from partage.core.ledger.models import ExchangeRate

    csv = Path(__file__).parent.parent / "data" / "ecb" / "eurofxref-hist.csv"
    packed = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(csv, "eurofxref-hist.csv")
    code, out, err = run(cli(be, "rates", "load", str(packed)), capsys)
    assert code == 0, err
    assert "31 rates of 7 currencies from 1999-01-04 to 2026-07-06, 31 new" in out
    code, out, _ = run(cli(be, "rates", "load", str(csv)), capsys)
    assert code == 0 and "0 new" in out
    bad = tmp_path / "rates.csv"
    bad.write_text("Day,USD\n2026-07-06,1.1\n")
    code, _, err = run(cli(be, "rates", "load", str(bad)), capsys)
    assert code == 2 and "first column is not Date" in err
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(ExchangeRate)) == 31


def test_acts_book_a_paper_purchase_and_an_internal_invoice_its_buyer_accepts(
    capsys: pytest.CaptureFixture[str], be: CountryWorld, tmp_path: Path
) -> None:
    from partage.core.members import service as members
    from partage.core.spending.models import ActReceipt, InternalInvoice

    fund(be)
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    supplier = be.client("domestic")
    args = ["acts", "paper-purchase", str(scan), "-e", be.entity, "--supplier", supplier]
    code, out, err = run(cli(be, *args, "--number", "P-1", "--net", "50.00"), capsys)
    assert code == 0, err
    assert f"invoice P-1 of {supplier} booked for {be.entity}" in out
    text = tmp_path / "notes.txt"
    text.write_bytes(b"hello")
    code, _, err = run(
        cli(be, *args[:2], str(text), *args[3:], "--number", "P-2", "--net", "1"), capsys
    )
    assert code != 0 and "neither a PDF nor an image" in err
    with be.act() as s:
        assert s.scalar(select(func.count()).select_from(ActReceipt)) == 1
        office = be.coop.instance.offices[0].code
        other = members.open_entity(
            s,
            be.coop,
            holders=[1],
            name="Second",
            kind="freelance",
            office=office,
            on=DAY,
            actor="t",
        ).code
    code, out, err = run(
        cli(
            be,
            "acts",
            "internal-invoice",
            "-e",
            be.entity,
            "--buyer",
            other,
            "--amount",
            "10.00",
            "--description",
            "Help",
            "--on",
            DAY.isoformat(),
        ),
        capsys,
    )
    assert code == 0, err
    number = out.split()[2]
    code, out, err = run(
        cli(be, "acts", "internal-decide", number, "--member", "1", "--refuse"), capsys
    )
    assert code == 0, err
    assert out.strip() == f"internal invoice {number}: refused"
    with be.act() as s:
        assert (
            s.scalar(select(InternalInvoice.status).where(InternalInvoice.number == number))
            == "refused"
        )
