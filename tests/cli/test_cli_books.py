"""``partage books``: the ledger's reports and periods from the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from partage.core.ledger.books import open_book
from partage.core.ledger.models import BookKind, JournalKind
from partage.core.ledger.posting import Ledger
from partage.core.platform.db.engine import make_engine, session_factory, transaction
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.conftest import entry


@pytest.fixture
def instance(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    """The Belgian instance, set up, with two entries in an entity's books and one in the
    cooperative's."""
    assert run(["--database-url", sqlite_url, "setup"], capsys)[0] == 0
    engine = make_engine(sqlite_url)
    with transaction(session_factory(engine)) as session:
        open_book(
            session, code="atelier", name="Atelier", kind=BookKind.ENTITY, currency="EUR", actor="t"
        )
        ledger = Ledger()
        year = date.today().year
        ledger.post(
            session,
            entry(
                "atelier",
                date(year, 1, 10),
                ("550", "debit", "1210"),
                ("700", "credit", "1000"),
                ("451", "credit", "210"),
                journal=JournalKind.SALES,
            ),
            actor="t",
        )
        ledger.post(
            session,
            entry("atelier", date(year, 1, 12), ("612", "debit", "100"), ("550", "credit", "100")),
            actor="t",
        )
        ledger.post(
            session,
            entry(
                "cooperative", date(year, 1, 10), ("550", "debit", "65"), ("708", "credit", "65")
            ),
            actor="t",
        )
    engine.dispose()
    return sqlite_url


def test_trial_balance_of_an_entity_and_of_the_instance(
    capsys: pytest.CaptureFixture[str], instance: str
) -> None:
    code, out, err = run(
        [
            "--database-url",
            instance,
            "books",
            "trial-balance",
            "--entity",
            "atelier",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0, err
    rows = {r["account"]: r for r in json.loads(out)}
    assert rows["550"]["closing"] == "1110.00"
    assert rows["total"]["debit"] == rows["total"]["credit"] == "1310.00"
    code, out, _ = run(
        ["--database-url", instance, "books", "trial-balance", "--format", "csv"], capsys
    )
    table = {r["account"]: r for r in csv.DictReader(io.StringIO(out))}
    assert table["550"]["closing"] == "1175.00"
    assert table["total"]["closing"] == "0.00"
    code, out, _ = run(["--database-url", instance, "books", "trial-balance"], capsys)
    assert out.splitlines()[0].split() == [
        "account",
        "name",
        "type",
        "opening",
        "debit",
        "credit",
        "closing",
    ]


def test_general_ledger_with_running_balance(
    capsys: pytest.CaptureFixture[str], instance: str
) -> None:
    year = date.today().year
    code, out, _ = run(
        [
            "--database-url",
            instance,
            "books",
            "ledger",
            "--account",
            "550",
            "--entity",
            "atelier",
            "--from",
            f"{year}-01-11",
            "--to",
            f"{year}-12-31",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    rows = json.loads(out)
    assert rows[0]["description"] == "opening balance" and rows[0]["balance"] == "1210.00"
    assert [(r["journal"], r["credit"], r["balance"]) for r in rows[1:-1]] == [
        ("MSC", "100.00", "1110.00")
    ]
    assert rows[-1]["balance"] == "1110.00"


def test_statements_and_journal_export(capsys: pytest.CaptureFixture[str], instance: str) -> None:
    code, out, _ = run(
        ["--database-url", instance, "books", "balance-sheet", "--format", "json"], capsys
    )
    sheet = json.loads(out)
    assert Decimal(sheet["totals"]["Assets"]) == Decimal(sheet["totals"]["Liabilities and equity"])
    code, out, _ = run(
        ["--database-url", instance, "books", "profit-and-loss", "--entity", "atelier"], capsys
    )
    assert code == 0 and "700" in out
    code, out, _ = run(["--database-url", instance, "books", "journal"], capsys)
    assert len(list(csv.DictReader(io.StringIO(out)))) == 7


def test_periods_from_the_command_line(capsys: pytest.CaptureFixture[str], instance: str) -> None:
    year = date.today().year
    code, out, _ = run(["--database-url", instance, "books", "close-month", f"{year}-01"], capsys)
    assert code == 0 and f"month {year}-01 closed" in out
    code, _, err = run(["--database-url", instance, "books", "close-year", str(year)], capsys)
    assert code == 1 and f"fiscal year {year}: months still open ({year}-02" in err
    code, out, _ = run(["--database-url", instance, "books", "open-year", str(year + 1)], capsys)
    assert code == 0 and f"fiscal year {year + 1} opened" in out


def test_verify_finds_the_kept_balances_equal_to_the_lines_or_names_the_difference(
    capsys: pytest.CaptureFixture[str], instance: str
) -> None:
    code, out, _ = run(["--database-url", instance, "books", "verify"], capsys)
    assert code == 0 and "kept balances equal the sums of the lines" in out
    engine = make_engine(instance)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE account_balance SET debit = debit + 1 WHERE account_id = "
            "(SELECT id FROM account WHERE code = '612')"
        )
    engine.dispose()
    code, out, err = run(["--database-url", instance, "books", "verify"], capsys)
    year = date.today().year
    assert code == 1 and "1 kept balances differ from their lines" in err
    assert f"{year}-01, normal: kept debit 10001 credit 0, lines debit 10000 credit 0" in out


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (
            ["books", "trial-balance", "--from", "2026-02-30"],
            2,
            "--from: '2026-02-30' is not a date (YYYY-MM-DD)",
        ),
        (["books", "trial-balance", "--entity", "ghost"], 1, "book 'ghost': no such book"),
        (["books", "ledger", "--account", "999999"], 1, "account '999999': not in the chart"),
        (
            ["books", "trial-balance", "--from", "2026-12-31", "--to", "2026-01-01"],
            1,
            "--from 2026-12-31 is after --to 2026-01-01",
        ),
        (["books", "close-month", "2026-13"], 2, "month: '2026-13' is not a month (YYYY-MM)"),
    ],
)
def test_bad_arguments_get_one_line(
    capsys: pytest.CaptureFixture[str], instance: str, args: list[str], status: int, message: str
) -> None:
    code, _, err = run(["--database-url", instance, *args], capsys)
    assert code == status
    assert err.strip() == f"partage: error: {message}"


def test_statutory_statements_closing_in_order_and_the_appropriation(
    capsys: pytest.CaptureFixture[str], instance: str
) -> None:
    """Last year: the atelier sells 1000.00 and owes the cooperative a 65.00 fee (613
    against its current account 489; 705 in the cooperative's book). The legal person
    earned 1000.00 from outside; the assembly sends it to the reserves (the SC has no
    legal reserve since the CSA)."""
    last = date.today().year - 1
    database = ["--database-url", instance]
    assert run([*database, "books", "open-year", str(last)], capsys)[0] == 0
    engine = make_engine(instance)
    with transaction(session_factory(engine)) as session:
        ledger = Ledger()
        for posted in (
            entry(
                "atelier",
                date(last, 3, 10),
                ("550", "debit", "1210"),
                ("700", "credit", "1000"),
                ("451", "credit", "210"),
                journal=JournalKind.SALES,
            ),
            entry("atelier", date(last, 3, 10), ("613", "debit", "65"), ("489", "credit", "65")),
            entry(
                "cooperative", date(last, 3, 10), ("489", "debit", "65"), ("705", "credit", "65")
            ),
        ):
            ledger.post(session, posted, actor="t")
    engine.dispose()
    span = ["--from", f"{last}-01-01", "--to", f"{last}-12-31"]
    code, out, err = run([*database, "books", "statutory", *span, "--format", "json"], capsys)
    assert code == 0, err
    found = json.loads(out)
    assert found["profit_and_loss"]["totals"] == {"Expenses": "0.00", "Income": "1000.00"}
    assert found["unmatched"] == "0.00"
    assert {r["account"] for r in found["eliminated"]} == {"489", "613", "705"}
    code, _, err = run([*database, "books", "close-year", str(last + 1)], capsys)
    assert code == 1
    assert f"close fiscal year {last} before fiscal year {last + 1}" in err
    for month in range(1, 13):
        assert run([*database, "books", "close-month", f"{last}-{month:02d}"], capsys)[0] == 0
    assert run([*database, "books", "close-year", str(last)], capsys)[0] == 0
    today = date.today().isoformat()
    code, out, err = run(
        [*database, "books", "appropriate", "--year", str(last), "--date", today,
         "--decision", "GA resolution 2"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "result 1000.00; legal reserve 0.00, guarantee fund 0.00" in out
    assert "other reserves 1000.00, carried forward 0.00" in out
    code, _, err = run(
        [*database, "books", "appropriate", "--year", str(last), "--date", today,
         "--decision", "again"],
        capsys,
    )  # fmt: skip
    assert code == 1 and "appropriated already" in err
