"""What one upload costs the server at its limit, over it, and when it is hostile.

For each kind of file Partage takes in — a supplier e-invoice (Peppol UBL, Factur-X
PDF), an expense claim's receipt, a bank statement (CAMT.053, CODA) — it sends the
worst case just under the limit of ``[limits]`` (the default settings), one just over
it, and hostile files: an XML entity bomb, deep nesting, a PDF that inflates into tens
of megabytes, a statement of many small entries. E-invoices and receipts go through the
API (Litestar's TestClient, the application in the same process); statements through
``partage bank import``, the face that takes them.

Each case runs in a child process of its own, its file written beforehand by the
parent, so that building the file costs the child nothing: the child warms up with a
small file of the same kind (the official rules compiled, the libraries loaded),
resets its peak resident memory (Linux ``/proc/self/clear_refs``), then reports the
wall time of the one request and how far its peak resident memory rose above what it
held before (the client's copy of the body included). Nothing asserts a threshold.

Usage (from the repository root)::

    python benchmarks/uploads.py                     # every case
    python benchmarks/uploads.py --only camt         # the cases whose name holds "camt"
    python benchmarks/uploads.py --output uploads.json
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the test worlds live in tests/

from partage.core.platform.limits import Limits  # noqa: E402

LIMITS = Limits()
#: How many lines or entries the last file :func:`_largest` made holds.
COUNTED: list[int] = []
ON = date(2026, 7, 20)
MIB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One upload: its kind (``einvoice``, ``receipt``, ``body``, ``statement``), the
    file the parent writes, and what the case shows."""

    name: str
    kind: str
    make: Callable[[], bytes]
    what: str


# --- the files ------------------------------------------------------------------------------
def _document(lines: int, number: str = "INV-BIG") -> Any:
    from tests.documents_support import supplier_document

    return supplier_document(
        number=number, lines=tuple((f"Line {n}", "1", "1.00") for n in range(lines))
    )


def _largest(write: Callable[[int], bytes], limit: int) -> bytes:
    """The largest file ``write(lines)`` makes within ``limit`` bytes."""
    small, large = write(10), write(110)
    per_line = (len(large) - len(small)) / 100
    lines = int((limit - len(small)) / per_line) + 10
    content = write(lines)
    while len(content) > limit:
        lines -= max(1, int((len(content) - limit) / per_line) + 1)
        content = write(lines)
    COUNTED[:] = [lines]
    return content


def ubl_lines(lines: int) -> bytes:
    from tests.documents_support import supplier_ubl

    return supplier_ubl(_document(lines))


def facturx_of(xml: bytes) -> bytes:
    """A Factur-X PDF carrying ``xml`` (the visible page is a small invoice's)."""
    import facturx

    from partage.core.documents.pdf import render_pdf
    from partage.core.platform.registry import PluginKind, PluginRegistry
    from tests.documents_support import PLUGINS

    registry = PluginRegistry(autoload=False)
    registry.add(PLUGINS["be"], name="be", kind=PluginKind.COUNTRY)
    pdf = render_pdf(_document(1), registry.manager("be"), country="be")
    return bytes(facturx.generate_from_binary(pdf, xml, check_xsd=False, level="en16931"))


def cii_lines(lines: int) -> bytes:
    from partage.core.contract.einvoice import cii

    return cii.write(_document(lines))


def xml_bomb() -> bytes:
    """An e-invoice whose DOCTYPE defines ten levels of ten references each (a
    "billion laughs": 10¹⁰ characters if expanded)."""
    from tests.documents_support import supplier_invoice

    levels = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "laugh"}">' for n in range(10))
    document = supplier_invoice()
    start = document.index(b"<Invoice")
    body = document[start:].replace(b"Affiches A2", b"&e9;", 1)
    return document[:start] + f"<!DOCTYPE Invoice [{levels}]>\n".encode() + body


def deep(root: bytes, end: bytes, size: int) -> bytes:
    """``root`` holding elements nested as deep as ``size`` bytes allow."""
    depth = (size - len(root) - len(end)) // 9
    return root + b"<a>" * depth + b"</a>" * depth + end


def facturx_bomb() -> bytes:
    """A small PDF whose XML inflates to 26 MB (comments: it compresses a thousandfold)."""
    xml = cii_lines(1)
    padded = xml.replace(b"?>", b"?>" + (b"<!--" + b" " * 1000 + b"-->") * 26_000, 1)
    return facturx_of(padded)


def transactions(count: int) -> tuple[Any, ...]:
    from partage.core.contract.bank import BankTransaction

    return tuple(
        BankTransaction(
            f"E{n:08d}",
            Decimal("12.34"),
            True,
            ON,
            ON,
            counterparty_name=f"Payer {n}",
            remittance=f"Payment {n}",
        )
        for n in range(count)
    )


def camt_entries(count: int) -> bytes:
    from partage.core.banking import writers
    from partage.core.contract.bank import BankStatement
    from tests.documents_support import BE_IBAN

    return writers.camt053(
        BankStatement("camt.053", "2026-07-20", BE_IBAN, "EUR", transactions(count), Decimal(0))
    )


def coda_entries(count: int) -> bytes:
    from partage.core.banking import writers
    from partage.core.contract.bank import BankStatement
    from tests.documents_support import BE_IBAN

    return writers.coda(
        BankStatement("coda", "", BE_IBAN, "EUR", transactions(count), Decimal(0)), sequence=9
    )


def camt_bomb() -> bytes:
    levels = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "laugh"}">' for n in range(10))
    good = camt_entries(2)
    start = good.index(b"<Document")
    body = good[start:].replace(b"Payment 0", b"&e9;", 1)
    return good[:start] + f"<!DOCTYPE Document [{levels}]>\n".encode() + body


def camt_deep() -> bytes:
    good = camt_entries(1)
    cut = good.index(b"</Stmt>")
    return deep(good[:cut], good[cut:], LIMITS.statement_bytes - 1000)


def receipt(size: int) -> bytes:
    return b"\xff\xd8" + b"\x00" * (size - 2)


def claim_body(content: bytes) -> bytes:
    claim = {
        "category": "supplies",
        "net": "10.00",
        "receipt_name": "scan.jpg",
        "receipt_base64": base64.b64encode(content).decode(),
    }
    return json.dumps(claim).encode()


def import_body(content: bytes, filename: str) -> bytes:
    document = {"filename": filename, "content_base64": base64.b64encode(content).decode()}
    return json.dumps(document).encode()


def cases() -> list[Case]:
    xml, file = LIMITS.einvoice_xml_bytes, LIMITS.einvoice_bytes
    statement = LIMITS.statement_bytes
    body = LIMITS.request_body_bytes()
    return [
        Case(
            "einvoice-ubl-at-xml-limit",
            "einvoice",
            lambda: import_body(_largest(ubl_lines, xml), "big.xml"),
            f"a valid UBL invoice of as many lines as {xml:,} bytes hold: booked",
        ),
        Case(
            "einvoice-ubl-over-xml-limit",
            "einvoice",
            lambda: import_body(ubl_lines(int(xml / 560)), "over.xml"),
            "a UBL invoice a little over einvoice_xml_bytes: refused before parsing",
        ),
        Case(
            "einvoice-over-file-limit",
            "einvoice",
            lambda: import_body(b"%PDF-" + b"\x00" * file, "over.pdf"),
            "a file one byte over einvoice_bytes: refused before decoding",
        ),
        Case(
            "facturx-at-xml-limit",
            "einvoice",
            lambda: import_body(facturx_of(_largest(cii_lines, xml)), "big.pdf"),
            f"a Factur-X PDF whose CII holds as many lines as {xml:,} bytes do: booked",
        ),
        Case(
            "facturx-inflation-bomb",
            "einvoice",
            lambda: import_body(facturx_bomb(), "bomb.pdf"),
            "a small PDF whose XML inflates to 26 MB: inflating stops at the limit",
        ),
        Case(
            "einvoice-entity-bomb",
            "einvoice",
            lambda: import_body(xml_bomb(), "laughs.xml"),
            "a UBL invoice with a billion-laughs DOCTYPE: refused, nothing expanded",
        ),
        Case(
            "einvoice-deep-nesting",
            "einvoice",
            lambda: import_body(deep(b"<Invoice>", b"</Invoice>", xml - 100), "deep.xml"),
            "elements nested as deep as einvoice_xml_bytes allow: refused by the parser",
        ),
        Case(
            "receipt-at-limit",
            "receipt",
            lambda: claim_body(receipt(LIMITS.receipt_bytes)),
            f"a receipt of {LIMITS.receipt_bytes:,} bytes: claimed",
        ),
        Case(
            "receipt-over-limit",
            "receipt",
            lambda: claim_body(receipt(LIMITS.receipt_bytes + 1)),
            "a receipt one byte over receipt_bytes: refused before decoding",
        ),
        Case(
            "body-over-limit",
            "receipt",
            lambda: b'{"receipt_base64": "' + b"A" * body + b'"}',
            f"a request body over the {body:,} bytes the server reads: refused unread",
        ),
        Case(
            "camt-at-limit",
            "statement",
            lambda: _largest(camt_entries, statement),
            f"a CAMT.053 statement of as many small entries as {statement:,} bytes hold",
        ),
        Case(
            "camt-over-limit",
            "statement",
            lambda: camt_entries(1) + b" " * statement,
            "a CAMT.053 file over statement_bytes: refused before reading",
        ),
        Case(
            "camt-entity-bomb",
            "statement",
            camt_bomb,
            "a CAMT.053 statement with a billion-laughs DOCTYPE: nothing expanded",
        ),
        Case(
            "camt-deep-nesting",
            "statement",
            camt_deep,
            "a CAMT.053 statement nested as deep as statement_bytes allow: refused",
        ),
        Case(
            "coda-at-limit",
            "statement",
            lambda: _largest(coda_entries, statement),
            f"a CODA statement of as many movements as {statement:,} bytes hold",
        ),
        Case(
            "coda-over-limit",
            "statement",
            lambda: coda_entries(1) + b" " * statement,
            "a CODA file over statement_bytes: refused before reading",
        ),
    ]


# --- the child: one case ----------------------------------------------------------------------
def _status(key: str) -> float:
    """A memory figure of this process from ``/proc/self/status``, in MiB."""
    found = re.search(rf"^{key}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    assert found is not None, key
    return int(found.group(1)) / 1024


def start_peak() -> float:
    """Reset the peak resident memory (Linux ``clear_refs``), so that the peak read
    after a request is the request's, even below an earlier peak of the setup; the
    resident memory now, in MiB."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def peak() -> float:
    """The peak resident memory since :func:`start_peak`, in MiB."""
    return _status("VmHWM")


def run_web(kind: str, path: Path, folder: Path) -> dict[str, Any]:
    """Send the prepared body to the API of a fresh Belgian site (SQLite)."""
    from partage.core.platform.db.engine import make_engine
    from tests.documents_support import fund, supplier_invoice
    from tests.web_support import serve

    engine = make_engine(f"sqlite:///{folder / 'web.db'}")
    with contextlib.closing(serve(engine, lambda world: fund(world, "100000"))) as sites:
        served = next(sites)
        headers = {**served.bearer("ada"), "Content-Type": "application/json"}
        base = f"/api/v1/entities/{served.entity}"
        url = f"{base}/purchases/import" if kind == "einvoice" else f"{base}/expense-claims"
        warm = (
            import_body(supplier_invoice("WARM-1"), "warm.xml")
            if kind == "einvoice"
            else claim_body(receipt(1000))
        )
        assert served.client.post(url, content=warm, headers=headers).status_code == 201
        content = path.read_bytes()
        before = start_peak()
        start = time.perf_counter()
        answer = served.client.post(url, content=content, headers=headers)
        seconds = time.perf_counter() - start
        after = peak()
        shown = answer.json()
        said = shown.get("rule") or shown.get("detail") or ""
        if answer.status_code == 422 and shown.get("findings"):
            said = shown["findings"][0]["message"]
    return {
        "status": answer.status_code,
        "said": str(said)[:90],
        "seconds": seconds,
        "rise_mib": after - before,
        "peak_mib": after,
    }


def run_statement(path: Path, folder: Path) -> dict[str, Any]:
    """``partage bank import`` of the prepared file into a fresh Belgian instance."""
    from partage.core.banking import writers
    from partage.core.cli.main import main
    from partage.core.contract.bank import BankStatement
    from partage.core.platform.db.engine import make_engine
    from tests.documents_support import BE_IBAN, build_country_world

    url = f"sqlite:///{folder / 'bank.db'}"
    build_country_world(make_engine(url), "be")
    warm = folder / "warm.xml"
    warm.write_bytes(
        writers.camt053(
            BankStatement("camt.053", "warm", BE_IBAN, "EUR", transactions(10), Decimal(0))
        )
    )
    arguments = ["--instance", "be", "--database-url", url, "bank", "import"]

    def imported(file: Path) -> tuple[int, str]:
        errors = folder / "stderr"
        with errors.open("w") as stream, contextlib.redirect_stderr(stream):
            try:
                main([*arguments, str(file)])
                code = 0
            except SystemExit as exit_:
                code = int(exit_.code or 0)
        return code, errors.read_text().strip()

    assert imported(warm)[0] == 0
    before = start_peak()
    start = time.perf_counter()
    code, said = imported(path)
    seconds = time.perf_counter() - start
    after = peak()
    return {
        "status": f"exit {code}",
        "said": said.removeprefix("partage: error: ")[:90],
        "seconds": seconds,
        "rise_mib": after - before,
        "peak_mib": after,
    }


def child(kind: str, path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(sys.stderr):
        if kind == "statement":
            result = run_statement(path, Path(folder))
        else:
            result = run_web(kind, path, Path(folder))
    print(json.dumps(result))


# --- the parent -------------------------------------------------------------------------------
def measure(case: Case, folder: Path) -> dict[str, Any]:
    COUNTED.clear()
    content = case.make()
    items = COUNTED[0] if COUNTED else None
    path = folder / f"{case.name}.bin"
    path.write_bytes(content)
    sent = len(content)
    del content
    done = subprocess.run(
        [sys.executable, __file__, "--child", case.kind, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    path.unlink()
    if done.returncode != 0:
        raise SystemExit(f"{case.name} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"case": case.name, "sent": sent, "items": items, **result, "what": case.what}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run the cases whose name holds this text")
    parser.add_argument("--output", type=Path, help="write the results as JSON")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "FILE"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.child[0], Path(options.child[1]))
        return
    chosen = [c for c in cases() if not options.only or options.only in c.name]
    print(
        f"limits: e-invoice {LIMITS.einvoice_bytes:,} B (XML {LIMITS.einvoice_xml_bytes:,} B),"
        f" receipt {LIMITS.receipt_bytes:,} B, statement {LIMITS.statement_bytes:,} B,"
        f" request body {LIMITS.request_body_bytes():,} B; {platform.python_version()},"
        f" {platform.machine()}"
    )
    print("| case | sent | lines or entries | answer | time (s) | memory rise (MiB) |")
    print("|---|---:|---:|---|---:|---:|")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for case in chosen:
            result = measure(case, Path(folder))
            results.append(result)
            print(
                f"| {case.name} | {result['sent']:,} B | {result['items'] or ''} |"
                f" {result['status']}: {result['said']} | {result['seconds']:.2f} |"
                f" {result['rise_mib']:.0f} |",
                flush=True,
            )
    if options.output:
        options.output.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
