"""``partage risk``: the guarantee fund's report in every format, and allocations.

On the Belgian instance: an invoice of 10,000.00 at 21 % leaves its entity owing 2,100.00
of VAT and 650.00 of fee (funds −2,750.00) with 9,680.00 of coverage, and brings the fund
130.00; the general assembly allocates 500.00: balance 630.00, capacity 6,300.00.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest

from partage.core.acts.cooperative import Cooperative
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.platform.db.engine import transaction
from partage.core.platform.runtime import build_runtime
from partage.core.sales import invoices
from partage.core.sales.invoices import LineInput
from tests import documents_support
from tests.builders import person
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)

TODAY = date.today()


@pytest.fixture
def instance(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    """The Belgian instance set up, with one entity that invoiced 10,000.00."""
    assert run(["--database-url", sqlite_url, "setup"], capsys)[0] == 0
    with build_runtime("be", database_url=sqlite_url) as runtime:
        coop = Cooperative.from_runtime(runtime)
        with transaction(runtime.sessions) as s:
            membership.admit_member(
                s, coop, person(1, "be"), share_class="A", shares=1, on=TODAY, actor="t"
            )
            entity = members.open_entity(
                s, coop, holders=[1], name="Atelier", kind="freelance", office="bru",
                on=TODAY, actor="t",
            )  # fmt: skip
            client = members.register_party(
                s, coop, address="1 Main Street\n1000 Town", name="Client SA", kind="client", country="BE",
                vat_number=documents_support.be_vat(4567890), actor="t",
            )  # fmt: skip
            invoices.issue_invoice(
                s,
                coop,
                entity=entity.code,
                client=client.code,
                lines=[LineInput("Mission", "1", "10000")],
                on=TODAY,
                actor="t",
            )
    return sqlite_url


def risk(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(["--database-url", url, "risk", *args], capsys)


def test_allocate_then_report_in_every_format(
    capsys: pytest.CaptureFixture[str], instance: str
) -> None:
    code, out, err = risk(instance, capsys, "allocate", "500", "--reason", "general assembly")
    assert code == 0, err
    assert out.strip() == (
        f"G{TODAY.year}-000001: 500.00 EUR allocated to the salary guarantee fund; "
        "balance 630.00, capacity 6300.00 EUR"
    )
    code, out, err = risk(instance, capsys, "report", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert {k: report[k] for k in ("balance", "leverage", "capacity", "granted", "in_use")} == {
        "balance": "630.00",
        "leverage": "10",
        "capacity": "6300.00",
        "granted": "9680.00",
        "in_use": "2750.00",
    }
    assert report["headroom"] == "3550.00" and report["losses_absorbed"] == "0.00"
    assert report["entities"] == [
        {
            "entity": "E000001",
            "name": "Atelier",
            "office": "bru",
            "eligible": "12100.00",
            "coverage": "9680.00",
            "in_use": "2750.00",
            "available_funds": "-2750.00",
        }
    ]
    code, out, _ = risk(instance, capsys, "report")
    assert code == 0
    assert "Salary guarantee fund on" in out and "capacity left" in out
    assert "E000001" in out and "Lapsed receivables" in out and "(none)" in out
    code, out, _ = risk(instance, capsys, "report", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [(r["entity"], r["in_use"]) for r in rows] == [("E000001", "2750.00")]
    code, out, _ = risk(instance, capsys, "report", "-f", "csv", "--section", "summary")
    summary = {r["figure"]: r["value"] for r in csv.DictReader(io.StringIO(out))}
    assert summary["capacity"] == "6300.00" and summary["capacity left"] == "3550.00"


def test_bad_options_and_amounts_are_refused_by_name(
    capsys: pytest.CaptureFixture[str], instance: str
) -> None:
    code, _, err = risk(instance, capsys, "report", "-f", "csv", "--section", "all")
    assert code == 2 and "--section" in err
    code, _, err = risk(instance, capsys, "report", "--on", "yesterday")
    assert code == 2 and "--on" in err
    code, _, err = risk(instance, capsys, "allocate", "-5", "--reason", "assembly")
    assert code != 0 and "amount" in err
    code, _, err = risk(instance, capsys, "allocate", "5", "--reason", " ")
    assert code == 1 and "reason" in err
    code, out, _ = risk(instance, capsys, "report", "-f", "json")
    assert json.loads(out)["balance"] == "130.00"  # nothing was allocated


def test_the_takeovers_queue_and_job(instance: str, capsys: pytest.CaptureFixture[str]) -> None:
    later = (TODAY + timedelta(days=91)).isoformat()  # the invoice's coverage has lapsed
    code, out, _ = run(["--database-url", instance, "risk", "takeovers", "--on", later], capsys)
    assert code == 0, out
    assert "1 lapsed receivable(s) not taken over yet" in out
    assert "Entities blocked (owing the fund an advance)\n(none)" in out
    code, out, _ = run(["--database-url", instance, "risk", "take-over"], capsys)
    assert (code, out.strip()) == (0, f"Nothing to take over on {TODAY}")
    code, out, _ = run(
        ["--database-url", instance, "risk", "takeovers", "--format", "json"], capsys
    )
    assert code == 0 and json.loads(out)["held"] == []
