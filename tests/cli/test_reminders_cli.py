"""``partage reminders``: the overdue list, the daily run (idempotent), an invoice's
history and a proposed default, on the Belgian instance."""

from __future__ import annotations

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
DUE = TODAY - timedelta(days=10)


@pytest.fixture
def instance(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> tuple[str, str]:
    """The Belgian instance with an invoice of 1,000.00 to a business, 10 days late."""
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
                s, coop, name="Client SA", kind="client", country="BE",
                address="Rue Haute 1\n1000 Bruxelles",
                vat_number=documents_support.be_vat(4567890), email="pay@client.example",
                actor="t",
            )  # fmt: skip
            number = invoices.issue_invoice(
                s,
                coop,
                entity=entity.code,
                client=client.code,
                lines=[LineInput("Mission", "1", "1000")],
                on=DUE - timedelta(days=30),
                due_on=DUE,
                actor="t",
            ).number
    return sqlite_url, number


def test_the_daily_run_sends_once_and_the_history_shows_it(
    instance: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    url, number = instance
    db = ["--database-url", url]
    status, out = run([*db, "reminders", "overdue"], capsys)[:2]
    assert status == 0 and number in out and "friendly" in out
    status, out = run([*db, "reminders", "run"], capsys)[:2]
    assert status == 0 and f"{number}: friendly reminder sent" in out
    status, out = run([*db, "reminders", "run"], capsys)[:2]
    assert status == 0 and "No reminder to send" in out
    status, out = run([*db, "reminders", "history", number, "--format", "csv"], capsys)[:2]
    assert status == 0 and "friendly" in out and "40.00" in out
    status, out = run(
        [*db, "reminders", "propose-default", number, "--reason", "client gone"], capsys
    )[:2]
    assert status == 0 and "default proposed" in out
