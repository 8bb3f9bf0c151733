"""``partage sales``: a quote of several lines with discounts, accepted, a deposit and
the balance, a credit note and a cheque declared, from the command line; a bad line is
refused naming the option and nothing is written."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from typer.testing import CliRunner

from partage.core.cli.main import app
from partage.core.sales import invoices
from tests.cli.test_cli import clean_environment  # noqa: F401  (autouse fixture)
from tests.cli.test_cli import run as cli_run
from tests.documents_support import CountryWorld, fund

runner = CliRunner()


def run(world: CountryWorld, *args: str) -> str:
    result = runner.invoke(
        app, ["--instance", world.country, "--database-url", str(world.engine.url), *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_a_quote_becomes_a_deposit_and_a_balance_from_the_command_line(be: CountryWorld) -> None:
    fund(be)
    said = run(
        be, "sales", "quote", "--entity", be.entity, "--client", be.client("domestic"),
        "--line", "Design;10;65;hour;standard;10%",
        "--line", "Prints;100;1.99;piece;reduced;;goods",
        "--line", "Delivery;1;45;flat", "--discount", "20", "--date", "2026-07-06",
    )  # fmt: skip
    assert said.startswith("quote Q2026-000001: 809.00 EUR excl. VAT")
    run(be, "sales", "decide", "Q2026-000001", "--accept", "--date", "2026-07-06")
    said = run(be, "sales", "deposit", "Q2026-000001", "--amount", "30%", "--date", "2026-07-06")
    assert "242.70 EUR" in said
    said = run(be, "sales", "balance", "Q2026-000001", "--date", "2026-07-06")
    assert "566.30 EUR" in said
    number = said.split()[2].rstrip(":")
    said = run(
        be, "sales", "credit-note", number, "--reason", "rebate", "--line", "Rebate;1;10",
        "--date", "2026-07-06",
    )  # fmt: skip
    assert said.startswith("credit note C2026-") and "10.00 EUR" in said
    said = run(
        be, "sales", "payment", "--entity", be.entity, "--client", be.client("domestic"),
        "--amount", "100", "--method", "cheque", "--key", "chq-1", "--date", "2026-07-06",
    )  # fmt: skip
    assert said.strip().endswith("pending")
    with be.act() as s:
        assert invoices.quote_progress(s, be.coop, "Q2026-000001").balanced


def test_a_bad_line_is_refused_naming_the_option(
    be: CountryWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli_run(
        ["--instance", "be", "--database-url", str(be.engine.url), "sales", "invoice",
         "--entity", be.entity, "--client", be.client("domestic"), "--line", "Design;10"],
        capsys,
    )  # fmt: skip
    assert code == 2 and "--line" in err


def test_the_office_validates_a_draft_from_the_command_line(be: CountryWorld) -> None:
    from partage.core.access.logins import create_user
    from partage.core.sales import drafts
    from partage.core.sales.invoices import LineInput
    from tests.documents_support import DAY

    office = be.coop.instance.offices[0].code
    run(be, "office", "document-validation", office, "--on")
    with be.act() as s:
        create_user(
            s, _hasher(), username="adviser",
            password="a-long-passphrase-here", role="adviser", office=office, actor="t",
        )  # fmt: skip
        draft = drafts.save_draft(
            s, be.coop, entity=be.entity, kind="invoice", client=be.client("domestic"),
            lines=[LineInput("Design", "1", "100")], actor="member",
        ).id  # fmt: skip
        drafts.submit_draft(s, be.coop, draft, on=DAY, actor="member")
    assert f"draft {draft}: invoice of {be.entity}" in run(
        be, "sales", "drafts", "--login", "adviser"
    )
    said = run(
        be, "sales", "validate-draft", str(draft), "--login", "adviser", "--date", "2026-07-06"
    )
    assert said.strip() == f"draft {draft}: invoice F2026-000001 issued"


def _hasher() -> PasswordHasher:
    return PasswordHasher.from_parameters(CHEAPEST)


def test_an_invoice_records_its_supply_date_from_the_command_line(be: CountryWorld) -> None:
    fund(be)
    said = run(
        be, "sales", "invoice", "--entity", be.entity, "--client", be.client("domestic"),
        "--line", "Design;1;100", "--date", "2026-07-06", "--supplied", "2026-06-30",
    )  # fmt: skip
    number = said.split()[1].rstrip(":")
    with be.act() as s:
        assert str(invoices.invoice_by_number(s, number).supplied_on) == "2026-06-30"
