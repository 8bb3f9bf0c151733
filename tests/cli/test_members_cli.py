"""``partage members ...`` on the Belgian instance made by ``partage setup``: an adviser
enters an application, admitted at once for a trade with no review or sent to the
committee when the office reviews its sector; the committee decides with reasons, a
refused applicant appeals once; the register lists the members admitted; bad input is
refused naming the rule, with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from partage.core.platform.registry import PluginKind
from partage.core.platform.runtime import build_runtime
from tests.builders import person
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)


@pytest.fixture
def instance(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> str:
    assert run(["--database-url", sqlite_url, "setup"], capsys)[0] == 0
    return sqlite_url


def members(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run(["--database-url", url, "members", *args], capsys)


def application(n: int, *extra: str) -> list[str]:
    p = person(n, "be")
    return [
        "apply",
        "--first-name", p.first_name, "--last-name", p.last_name,
        "--national-id", p.national_id, "--iban", p.iban, "--address", p.address,
        "--email", p.email, "--language", p.language, "--office", "bru",
        "--trade", "graphic designer", "--activity", "Posters and logos",
        "--clients", "Theatres and shops", *extra,
    ]  # fmt: skip


def test_an_application_is_admitted_or_decided_and_the_register_lists_members(
    instance: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = members(instance, capsys, *application(1))
    assert code == 0, err
    assert out.strip() == "application A000001: admitted"
    with build_runtime("be", database_url=instance) as runtime:
        sector = runtime.registry.names(PluginKind.SECTOR)[0]
    assert (
        run(
            ["--database-url", instance, "office", "enable-sector", "bru", sector, "--review"],
            capsys,
        )[0]
        == 0
    )
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members.review import review_questions

    with build_runtime("be", database_url=instance) as runtime:
        questions = review_questions(Cooperative.from_runtime(runtime), sector)
    answers = json.dumps({q.code: "yes" for q in questions})
    code, out, err = members(
        instance, capsys, *application(2, "--sector", sector, "--answers", answers)
    )
    assert code == 0, err
    assert out.strip() == "application A000002: in_review"
    code, out, _ = members(instance, capsys, "applications", "--status", "in_review")
    assert "A000002" in out and "A000001" not in out
    refused = members(
        instance, capsys, "decide", "A000002", "--decision", "refuse", "--reasons", "Not yet"
    )
    assert refused[1].strip() == "application A000002: refused"
    appealed = members(instance, capsys, "appeal", "A000002", "--grounds", "I have insurance")
    assert appealed[1].strip() == "application A000002: appealed"
    again = members(instance, capsys, "appeal", "A000002", "--grounds", "Again")
    assert again[0] != 0 and "may appeal once" in again[2]
    admitted = members(
        instance, capsys, "decide", "A000002", "--decision", "admit", "--reasons", "Insured"
    )
    assert admitted[1].strip() == "application A000002: admitted"
    code, out, _ = members(instance, capsys, "register")
    lines = out.strip().splitlines()
    assert lines[0].startswith("number,last_name,first_name,class")
    assert [line.split(",")[2] for line in lines[1:]] == ["Ada1", "Ada2"]


def test_bad_input_is_refused_naming_the_rule(
    instance: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = members(instance, capsys, *application(3)[:-2], "--clients", " ")
    assert code != 0 and "clients" in err
    code, _, err = members(
        instance, capsys, "decide", "A000001", "--decision", "admit", "--reasons", "x"
    )
    assert code != 0 and "no such application" in err
    code, out, _ = members(instance, capsys, "applications")
    assert "A000001" not in out


def test_the_register_movements_and_a_certificate_are_written(
    instance: str, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    from partage.core.acts.cooperative import Cooperative
    from partage.core.members import membership
    from partage.core.platform.db.engine import transaction

    with build_runtime("be", database_url=instance) as runtime:
        coop = Cooperative.from_runtime(runtime)
        with transaction(runtime.sessions) as s:
            membership.admit_member(
                s, coop, person(5, "be"), share_class="A", shares=2, on=coop.today(), actor="t"
            )
    code, out, err = members(instance, capsys, "movements")
    assert code == 0, err
    assert ",A,subscription,2,60.00,2" in out
    target = tmp_path / "register.pdf"
    assert members(instance, capsys, "movements", "--pdf", str(target))[0] == 0
    assert target.read_bytes().startswith(b"%PDF")
    certificate = tmp_path / "certificate.pdf"
    code, out, err = members(instance, capsys, "certificate", "1", "--output", str(certificate))
    assert code == 0, err
    assert certificate.read_bytes().startswith(b"%PDF")
    code, _, err = members(instance, capsys, "certificate", "9", "--output", str(certificate))
    assert code != 0 and "no such member" in err
