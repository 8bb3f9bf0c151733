"""``partage person export|erase`` on the Belgian instance: the export in JSON and PDF
says which records the Belgian law keeps and until when (ten years after the fiscal
year, CIR 92 art. 315), an erasure pseudonymises a paid-up private client once and a
second one changes nothing, a member still holding shares is refused with the reason,
and each is in the audit log with the operating-system user or configured identity."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from partage.core.acts.cooperative import Cooperative
from partage.core.members import membership
from partage.core.members import service as members
from partage.core.platform.db.engine import transaction
from partage.core.platform.runtime import build_runtime
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from tests.builders import person
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)

TODAY = date.today()


@pytest.fixture
def instance(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    """The Belgian instance: member 1 (P000001) with an entity, and a private client
    C000001 whose one invoice is paid in full."""
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
                s,
                coop,
                address="1 Main Street\n1000 Town",
                name="Marie Privée",
                kind="client",
                country="BE",
                actor="t",
            )
            invoice = invoices.issue_invoice(
                s, coop, entity=entity.code, client=client.code,
                lines=[LineInput("Portrait", "1", "100")], on=TODAY, actor="t",
            )  # fmt: skip
            payments.receive_payment(
                s, coop, key="k1", entity=entity.code, client=client.code,
                amount=str(invoice.total / 100), on=TODAY, actor="t", method="bank",
            )  # fmt: skip
    return sqlite_url


def person_cli(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(["--database-url", url, "person", *args], capsys)


def test_export_says_what_the_belgian_law_keeps_and_until_when(
    capsys: pytest.CaptureFixture[str], instance: str, tmp_path: Path
) -> None:
    code, out, err = person_cli(instance, capsys, "export", "C000001")
    assert code == 0, err
    exported = json.loads(out)
    assert exported["party"]["name"] == "Marie Privée"
    [invoice] = [k for k in exported["kept"] if k["kind"] == "invoice"]
    assert invoice["kept_until"] == f"{TODAY.year + 10}-12-31"
    assert "CIR 92, art. 315" in invoice["source"]
    target = tmp_path / "c1.pdf"
    code, out, err = person_cli(
        instance, capsys, "export", "C000001", "-f", "pdf", "-o", str(target)
    )
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF-")
    code, _, err = person_cli(instance, capsys, "export", "C000001", "-f", "pdf")
    assert code == 2 and "--output" in err
    code, out, _ = run(
        ["--database-url", instance, "audit", "list", "--action", "privacy", "-f", "json"], capsys
    )
    assert [r["action"] for r in json.loads(out)] == ["privacy.export", "privacy.export"]


def test_erase_once_then_nothing_changes_and_a_member_is_refused(
    capsys: pytest.CaptureFixture[str], instance: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTAGE_ACTOR", "jane")
    code, out, err = person_cli(instance, capsys, "erase", "C000001", "--reason", "letter")
    assert code == 0, err
    assert "party:C000001 erased" in out and f"until {TODAY.year + 10}-12-31" in out
    code, out, err = person_cli(instance, capsys, "erase", "C000001", "--reason", "again")
    assert code == 0 and "already erased" in out
    code, out, _ = person_cli(instance, capsys, "export", "C000001")
    assert json.loads(out)["party"]["name"] == "Erased C000001"
    code, _, err = person_cli(instance, capsys, "erase", "P000001", "--reason", "letter")
    assert code == 1
    assert "still holds shares" in err and "holds entities still open" in err
    code, out, _ = run(
        ["--database-url", instance, "audit", "list", "--action", "privacy.erase", "-f", "json"],
        capsys,
    )
    assert [r["actor"] for r in json.loads(out)] == ["cli:jane", "cli:jane"]
