"""Benchmark of documents and exchanges on the Belgian instance.

Three measures, each reported per second (nothing here asserts a threshold):

1. **PDF invoices**: invoices issued through the engine, then each rendered to PDF/A
   and stored with its digest through the document service (default 1,000).
2. **UBL invoices**: Peppol BIS 3 UBL produced by the Belgian plugin's hook from the
   neutral document model (default 10,000, built from the issued invoices with
   distinct numbers); a sample is checked against the official UBL 2.1 XSD.
3. **CAMT.053 import**: one statement of 50,000 transactions — payments of the issued
   invoices by their structured communication, the rest unknown — read, matched,
   posted through ``receive_payment`` and stored; the reading alone is timed too.
4. **Supplier e-invoices imported**: Peppol UBL invoices of a supplier, each checked
   against the XSD and the official EN 16931 rules (saxonche), read and booked as a
   purchase in its own transaction (default 500); the rules' first compile is timed
   apart.

It runs on a fresh SQLite file (or ``--database-url``) and leaves nothing behind.

Usage::

    python benchmarks/documents.py                            # 1,000 / 10,000 / 50,000
    python benchmarks/documents.py --pdf 50 --ubl 500 --camt 2000 --imports 20  # smoke run
    python benchmarks/documents.py --output results.json
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test worlds live in tests/

from partage.core.banking import statements, writers  # noqa: E402
from partage.core.contract.bank import BankStatement, BankTransaction  # noqa: E402
from partage.core.contract.camt import read_camt053  # noqa: E402
from partage.core.documents import importing, official_rules, schemas, service  # noqa: E402
from partage.core.documents.build import invoice_document  # noqa: E402
from partage.core.platform.db.engine import make_engine  # noqa: E402
from partage.core.sales import invoices  # noqa: E402
from partage.core.sales.invoices import LineInput  # noqa: E402
from partage.core.sales.references import payment_reference  # noqa: E402
from tests.documents_support import (  # noqa: E402
    BE_IBAN,
    DAY,
    build_country_world,
    fund,
    issuer,
    supplier_invoice,
)


@dataclass(frozen=True)
class Measure:
    """One measure: how many things in how many seconds."""

    name: str
    count: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else float("inf")


def timed(name: str, count: int, work) -> Measure:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    work()
    measure = Measure(name, count, time.perf_counter() - start)
    print(f"{name:<48} {count:>7} in {measure.seconds:8.2f} s = {measure.per_second:9.1f} /s")
    return measure


def run(pdf: int, ubl: int, camt_size: int, imports: int, database_url: str) -> list[Measure]:
    engine = make_engine(database_url)
    world = build_country_world(engine, "be")
    who = issuer("be")
    clients = [world.client("domestic"), world.client("eu")]
    numbers: list[str] = []

    def issue() -> None:
        for batch in range(0, pdf, 100):
            with world.act() as s:
                for n in range(batch, min(batch + 100, pdf)):
                    numbers.append(
                        invoices.issue_invoice(
                            s,
                            world.coop,
                            entity=world.entity,
                            client=clients[n % 2],
                            lines=[
                                LineInput(f"Prestation {n}", "1", f"{100 + n % 900}"),
                                LineInput(
                                    "Frais", "2", "12.50", rate_code="reduced", supply="goods"
                                ),
                            ],
                            on=DAY,
                            actor="bench",
                        ).number
                    )

    measures = [timed("invoices issued (engine, for the documents)", pdf, issue)]

    def render() -> None:
        for batch in range(0, len(numbers), 100):
            with world.act() as s:
                for number in numbers[batch : batch + 100]:
                    service.invoice_pdf(s, world.coop, number, who, actor="bench")

    measures.append(timed("PDF invoices rendered and stored", len(numbers), render))

    with world.act() as s:
        documents = [
            invoice_document(s, world.coop, invoices.invoice_by_number(s, n), who) for n in numbers
        ]
    produced: list[bytes] = []

    def write_ubl() -> None:
        hook = world.coop.plugins.hook.partage_einvoice
        for n in range(ubl):
            source = documents[n % len(documents)]
            document = replace(source, number=f"B{DAY.year}-{n:07d}")
            produced.append(hook(document=document, pdf=b"").content)

    measures.append(timed("UBL invoices produced (Peppol BIS 3)", ubl, write_ubl))
    sample = produced[:: max(1, len(produced) // 20)]
    for content in sample:
        root = etree.fromstring(content)
        assert schemas.validate(root, schemas.ubl_schema(root.tag)) == []
    print(f"{'  sample checked against the UBL 2.1 XSD':<48} {len(sample):>7}")

    with world.act() as s:
        references = {
            invoice.number: payment_reference(world.coop.plugins, invoice.id, invoice.number)
            for invoice in (invoices.invoice_by_number(s, n) for n in numbers)
        }
        totals = {
            n: (invoices.invoice_by_number(s, n).net + invoices.invoice_by_number(s, n).vat)
            for n in numbers
        }
    transactions = []
    for n in range(camt_size):
        if n < len(numbers):
            number = numbers[n]
            transactions.append(
                BankTransaction(
                    f"E{n:07d}",
                    Decimal(totals[number]).scaleb(-2),
                    True,
                    DAY,
                    DAY,
                    counterparty_name="Client",
                    structured_reference="".join(c for c in references[number] if c.isdigit()),
                )
            )
        else:
            transactions.append(
                BankTransaction(
                    f"E{n:07d}",
                    Decimal(10 + n % 500),
                    n % 3 != 0,
                    DAY,
                    DAY,
                    counterparty_name=f"Payer {n % 997}",
                    remittance=f"Communication {n}",
                )
            )
    content = writers.camt053(
        BankStatement("camt.053", "BENCH-1", BE_IBAN, "EUR", tuple(transactions), Decimal(0))
    )
    print(f"{'  statement file':<48} {len(content) / 1e6:7.1f} MB")
    measures.append(
        timed("CAMT.053 transactions read (lxml)", camt_size, lambda: read_camt053(content))
    )

    def import_all() -> None:
        with world.act() as s:
            done = statements.import_statement(
                s, world.coop, content, filename="bench.xml", actor="bench"
            )
        print(f"{'  matched and posted / queued':<48} {done.matched:>7} / {done.queued}")

    measures.append(timed("CAMT.053 transactions imported and matched", camt_size, import_all))

    fund(world, "1000000")
    received = [supplier_invoice(f"INV-{n:06d}") for n in range(imports)]
    measures.append(
        timed(
            "  official rules compiled (first use)",
            1,
            lambda: official_rules.prepare("ubl", peppol=False),
        )
    )

    def import_purchases() -> None:
        for content in received:
            with world.act() as s:
                importing.import_purchase(
                    s, world.coop, content, entity=world.entity, actor="bench", issuer=who
                )

    measures.append(
        timed("supplier e-invoices imported (XSD + EN 16931)", imports, import_purchases)
    )
    engine.dispose()
    return measures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=int, default=1000, help="PDF invoices (and invoices issued)")
    parser.add_argument("--ubl", type=int, default=10_000, help="UBL invoices")
    parser.add_argument("--camt", type=int, default=50_000, help="statement transactions")
    parser.add_argument("--imports", type=int, default=500, help="supplier e-invoices imported")
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--output", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        measures = run(args.pdf, args.ubl, args.camt, args.imports, url)
    if args.output:
        args.output.write_text(
            json.dumps(
                {
                    "python": platform.python_version(),
                    "machine": platform.machine(),
                    "measures": [{**asdict(m), "per_second": m.per_second} for m in measures],
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
