"""The command line's imports apply the configured limits: a file over its limit is a
one-line ``partage: error:`` naming the file, the limit and its setting (status 2),
refused before it is read, and nothing is written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from partage.core.banking import writers
from partage.core.banking.models import StatementRecord
from partage.core.contract.bank import BankStatement, BankTransaction
from partage.core.spending.models import Purchase
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.cli.test_cli_documents import cli
from tests.documents_support import BE_IBAN, CountryWorld, fund, supplier_invoice

ON = date(2026, 7, 20)


def statement_file(tmp_path: Path) -> Path:
    file = tmp_path / "statement.xml"
    file.write_bytes(
        writers.camt053(
            BankStatement(
                "camt.053",
                "2026-07-20",
                BE_IBAN,
                "EUR",
                (BankTransaction("T1", Decimal("9.99"), True, ON, ON),),
                Decimal(0),
            )
        )
    )
    return file


def rows(world: CountryWorld, table: type) -> int:
    with world.act() as s:
        return s.scalar(select(func.count()).select_from(table)) or 0


def test_bank_import_refuses_a_statement_over_its_limit_and_takes_one_at_it(
    capsys: pytest.CaptureFixture[str],
    be: CountryWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = statement_file(tmp_path)
    size = file.stat().st_size
    monkeypatch.setenv("PARTAGE_LIMITS__STATEMENT_BYTES", str(size - 1))
    code, _, err = run(cli(be, "bank", "import", str(file)), capsys)
    assert code == 2
    assert err == (
        f"partage: error: {file}: {size:,} bytes, more than the {size - 1:,} accepted "
        "([limits] statement_bytes)\n"
    )
    assert rows(be, StatementRecord) == 0
    monkeypatch.setenv("PARTAGE_LIMITS__STATEMENT_BYTES", str(size))
    code, out, err = run(cli(be, "bank", "import", str(file)), capsys)
    assert code == 0, err
    assert "1 transactions" in out and rows(be, StatementRecord) == 1


def test_import_purchase_refuses_an_einvoice_over_its_limit(
    capsys: pytest.CaptureFixture[str],
    be: CountryWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fund(be)
    file = tmp_path / "INV-77.xml"
    file.write_bytes(supplier_invoice())
    size = file.stat().st_size
    monkeypatch.setenv("PARTAGE_LIMITS__EINVOICE_BYTES", str(size - 1))
    code, _, err = run(cli(be, "documents", "import-purchase", str(file), "-e", be.entity), capsys)
    assert code == 2
    assert f"{size:,} bytes, more than the {size - 1:,} accepted ([limits] einvoice_bytes)" in err
    assert rows(be, Purchase) == 0


def test_a_limit_out_of_its_range_is_refused_naming_the_setting(
    capsys: pytest.CaptureFixture[str],
    be: CountryWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PARTAGE_LIMITS__STATEMENT_BYTES", "12")
    code, _, err = run(cli(be, "bank", "import", str(statement_file(tmp_path))), capsys)
    assert code == 2
    assert "limits.statement_bytes" in err and "from 1000 to 1000000000" in err
