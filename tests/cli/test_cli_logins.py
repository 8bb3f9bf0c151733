"""``partage login list|disable|enable|revoke|reset-password``: the administrator's
commands on logins, audited as the operating-system user running them (or
``PARTAGE_ACTOR``), never a free text."""

from __future__ import annotations

import getpass
import json
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import select

from partage.core.access import logins
from partage.core.platform.db.models import AuditRecord
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.documents_support import CountryWorld

PASSWORD = "long enough password"


@pytest.fixture
def staffed(be: CountryWorld) -> CountryWorld:
    """The Belgian world with an administrator and an adviser (marie) of its office,
    marie holding an open session."""
    hasher = PasswordHasher.from_parameters(CHEAPEST)
    office = be.coop.instance.offices[0].code
    with be.act() as s:
        logins.create_user(
            s, hasher, username="root", password=PASSWORD, role="administrator", actor="t"
        )
        marie = logins.create_user(
            s,
            hasher,
            username="marie",
            password=PASSWORD,
            role="adviser",
            office=office,
            actor="t",
        )
        logins.open_session(s, marie, timedelta(hours=1))
    return be


def cli(world: CountryWorld, *args: str) -> list[str]:
    return ["--instance", world.country, "--database-url", str(world.engine.url), *args]


def test_the_login_commands_list_disable_enable_revoke_and_reset(
    staffed: CountryWorld, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office = staffed.coop.instance.offices[0].code
    code, out, _ = run(cli(staffed, "login", "list", "--search", "mar", "-f", "json"), capsys)
    assert code == 0
    (row,) = json.loads(out)
    assert (row["username"], row["office"], row["sessions"], row["state"]) == (
        "marie",
        office,
        1,
        "enabled",
    )
    code, out, _ = run(cli(staffed, "login", "disable", "marie", "--reason", "left"), capsys)
    assert (code, out.strip()) == (0, "login marie disabled; 1 session(s) ended")
    code, _, err = run(cli(staffed, "login", "disable", "root"), capsys)
    assert code == 1 and "last enabled administrator" in err
    monkeypatch.setenv("PARTAGE_ACTOR", "jane")
    assert run(cli(staffed, "login", "enable", "marie"), capsys)[0] == 0
    assert run(cli(staffed, "login", "revoke", "marie"), capsys)[1].strip() == (
        "login marie: 0 session(s) ended"
    )
    code, out, _ = run(cli(staffed, "login", "reset-password", "marie"), capsys)
    new = out.strip().rsplit(" ", 1)[1]
    assert code == 0 and len(new) == 20
    code, _, err = run(cli(staffed, "login", "reset-password", "nobody"), capsys)
    assert code != 0 and "no such login" in err
    with staffed.sessions() as s:
        assert logins.authenticate(s, PasswordHasher(), "marie", new) is not None
        trail = {
            r.action: (r.actor, r.origin, r.reason)
            for r in s.scalars(select(AuditRecord).where(AuditRecord.subject == "login:marie"))
        }
    assert trail["login.disable"][0] == f"os:{getpass.getuser()}"
    assert trail["login.disable"][1].startswith("cli@") and trail["login.disable"][2] == "left"
    assert trail["login.enable"][0] == trail["login.reset_password"][0] == "cli:jane"
