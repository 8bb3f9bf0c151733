"""``partage clients add|list|lookup`` on the Belgian instance: a business added with
its VAT number checked and found again rather than duplicated, a private person, a bad
number or country refused naming the field, the directory searched, a number looked up
in the directory, and each creation in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from partage.core.members.models import Party
from partage.core.platform.db.models import AuditRecord
from partage.core.platform.runtime import build_runtime
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)

ADDRESS = ["--street", "Rue de la Station 12", "--postcode", "1000", "--town", "Bruxelles"]


def test_clients_are_added_listed_and_looked_up(
    capsys: pytest.CaptureFixture[str], sqlite_url: str
) -> None:
    db = ["--database-url", sqlite_url]
    assert run([*db, "setup"], capsys)[0] == 0
    business = ["clients", "add", "--name", "Atelier du Lin", "--country", "BE", *ADDRESS]
    code, out, _ = run([*db, *business, "--vat", "0403.170.701"], capsys)
    assert code == 0 and "created" in out and "Atelier du Lin" in out
    code, out, _ = run([*db, *business, "--vat", "BE 0403 170 701"], capsys)
    assert code == 0 and "already known" in out
    person = ["clients", "add", "--person", "--name", "Marie Privée", "--country", "BE"]
    assert run([*db, *person, *ADDRESS, "--email", "marie@example.org"], capsys)[0] == 0

    code, _, err = run([*db, *business, "--vat", "BE0403170702"], capsys)
    assert code != 0 and "vat_number" in err and "check digits" in err
    code, _, err = run([*db, "clients", "add", "--name", "X", "--country", "XX", *ADDRESS], capsys)
    assert code != 0 and "country" in err

    code, out, _ = run([*db, "clients", "list", "--search", "bruxelles"], capsys)
    assert code == 0 and "Atelier du Lin" in out and "Marie Privée" in out
    code, out, _ = run([*db, "clients", "list", "-q", "0403170701", "--format", "csv"], capsys)
    assert code == 0 and "BE0403170701" in out and "Marie" not in out
    code, out, _ = run([*db, "clients", "lookup", "BE", "0403170701"], capsys)
    assert code == 0 and "valid: BE0403170701" in out and "Atelier du Lin" in out
    code, out, _ = run([*db, "clients", "lookup", "FR", "732829320"], capsys)
    assert code == 0 and "unknown" in out

    with build_runtime("be", database_url=sqlite_url) as runtime, runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Party)) == 2
        actions = s.scalars(select(AuditRecord.action).where(AuditRecord.action == "client.create"))
        assert len(list(actions)) == 2
