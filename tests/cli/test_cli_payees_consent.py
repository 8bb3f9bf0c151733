"""``partage bank payees`` and ``partage payroll hire|offers|accept|refuse``: staff's
work from the command line, each command in the name of the staff login it names."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import select

from partage.core.access.logins import create_user
from partage.core.contract.documents import PaymentInstructions
from partage.core.documents import importing
from partage.core.members import membership
from partage.core.payroll.models import Contract, ContractOffer
from partage.core.platform.db.models import AuditRecord
from tests.builders import person
from tests.cli.test_cli import clean_environment, run  # noqa: F401  (autouse fixture)
from tests.documents_support import (
    DAY,
    SUPPLIER_REFERENCE,
    CountryWorld,
    fund,
    issuer,
    supplier_document,
    supplier_ubl,
)

#: Their acts are dated in 2026: the clock says a day of that year, whatever the real date.
pytestmark = pytest.mark.usefixtures("pinned_today")

ROGUE_IBAN = "BE62510007547061"


@pytest.fixture
def staffed(be: CountryWorld) -> CountryWorld:
    """The Belgian world funded, with a second member and logins: two advisers of the
    office (marie, paul) and the member Ada."""
    fund(be)
    office = be.coop.instance.offices[0].code
    hasher = PasswordHasher.from_parameters(CHEAPEST)
    with be.act() as s:
        membership.admit_member(
            s, be.coop, person(2, "be"), share_class="A", shares=1, on=DAY, actor="t"
        )
        for name, role, member in (("marie", "adviser", None), ("paul", "adviser", None)):
            create_user(
                s,
                hasher,
                username=name,
                password="long enough password",
                role=role,
                member=member,
                office=office,
                actor="t",
            )
        create_user(
            s,
            hasher,
            username="ada",
            password="long enough password",
            role="member",
            member=1,
            actor="t",
        )
    return be


def cli(world: CountryWorld, *args: str) -> list[str]:
    return ["--instance", world.country, "--database-url", str(world.engine.url), *args]


def test_staff_confirm_an_uploaded_account_under_the_four_eyes_rule(
    staffed: CountryWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    document = supplier_document(number="INV-1", lines=(("Affiches A2", "1", "200"),))
    content = supplier_ubl(
        replace(document, payment=PaymentInstructions("58", ROGUE_IBAN, SUPPLIER_REFERENCE, None))
    )
    with staffed.act() as s:
        importing.import_purchase(
            s, staffed.coop, content, entity=staffed.entity, actor="user:marie", issuer=issuer("be")
        )
    code, out, _ = run(
        cli(staffed, "bank", "payees", "list", "--status", "pending", "-f", "json"), capsys
    )
    assert code == 0
    (row,) = json.loads(out)
    assert (row["iban"], row["status"], row["brought_in_by"]) == (
        ROGUE_IBAN,
        "pending",
        "user:marie",
    )
    account = str(row["id"])

    code, _, err = run(
        cli(staffed, "bank", "payees", "confirm", account, "--login", "marie"), capsys
    )
    assert code == 1 and "four-eyes rule: user:marie brought in" in err
    code, _, err = run(cli(staffed, "bank", "payees", "confirm", account, "--login", "ada"), capsys)
    assert code == 1 and "a login of role member may not" in err
    code, _, err = run(
        cli(staffed, "bank", "payees", "confirm", account, "--login", "nobody"), capsys
    )
    assert code == 2 and "no such enabled login" in err
    code, out, _ = run(
        cli(staffed, "bank", "payees", "confirm", account, "--login", "paul"), capsys
    )
    assert code == 0 and f"account {account} ({ROGUE_IBAN}) confirmed by user:paul" in out

    code, out, _ = run(
        cli(
            staffed,
            "bank",
            "payees",
            "set",
            row["supplier"],
            "BE43068999999501",
            "--login",
            "marie",
        ),
        capsys,
    )
    assert code == 0 and "verified by user:marie" in out
    code, out, _ = run(cli(staffed, "bank", "payees", "list", "-f", "json"), capsys)
    assert sorted((r["iban"], r["status"]) for r in json.loads(out)) == [
        ("BE43068999999501", "verified"),
        (ROGUE_IBAN, "replaced"),
    ]


def test_staff_hire_any_member_and_answer_offers_for_the_worker(
    staffed: CountryWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    start = "2026-08-01"
    code, out, err = run(
        cli(
            staffed,
            "payroll",
            "hire",
            "--entity",
            staffed.entity,
            "--member",
            "2",
            "--start",
            start,
            "--gross",
            "2100",
            "--login",
            "marie",
            "--on",
            DAY.isoformat(),
        ),
        capsys,
    )
    assert code == 0, err
    assert f"member 2 hired by {staffed.entity} from {start} (user:marie)" in out
    for month in ("09", "10"):
        code, out, err = run(
            cli(
                staffed,
                "payroll",
                "offer",
                "--entity",
                staffed.entity,
                "--member",
                "2",
                "--start",
                f"2026-{month}-01",
                "--hourly-rate",
                "18",
                "--login",
                "marie",
            ),
            capsys,
        )
        assert code == 0, err
    assert f"offer O000002: member 2 asked to work for {staffed.entity}" in out
    code, out, _ = run(
        cli(staffed, "payroll", "offers", "--status", "pending", "-f", "json"), capsys
    )
    assert [o["offer"] for o in json.loads(out)] == ["O000002", "O000001"]
    code, out, err = run(
        cli(staffed, "payroll", "accept", "O000001", "--login", "paul", "--on", DAY.isoformat()),
        capsys,
    )
    assert code == 0, err
    assert "offer O000001 accepted for the worker by user:paul: contract K" in out
    code, out, _ = run(
        cli(staffed, "payroll", "refuse", "O000002", "--login", "paul", "--reason", "elsewhere"),
        capsys,
    )
    assert code == 0
    code, _, err = run(cli(staffed, "payroll", "accept", "O000002", "--login", "paul"), capsys)
    assert code == 1 and "the offer is refused, not waiting" in err
    with staffed.act() as s:
        answered = {
            o.code: (o.status, o.decided_by, o.on_behalf) for o in s.scalars(select(ContractOffer))
        }
        consents = [
            r.data["consent"]
            for r in s.scalars(
                select(AuditRecord)
                .where(AuditRecord.action == "contract.hire")
                .order_by(AuditRecord.id)
            )
        ]
        assert len(s.scalars(select(Contract)).all()) == 2
    assert answered == {
        "O000001": ("accepted", "user:paul", True),
        "O000002": ("refused", "user:paul", True),
    }
    assert consents == ["staff", "staff_for_worker"]


def test_staff_validate_and_refuse_pending_acts_from_the_command_line(
    staffed: CountryWorld, capsys: pytest.CaptureFixture[str]
) -> None:
    from partage.core.sales import payments

    with staffed.act() as s:
        for key, amount in (("cash-1", "80.00"), ("cash-2", "999999.00")):
            payments.receive_payment(
                s, staffed.coop, key=key, entity=staffed.entity, client=staffed.client("domestic"),
                amount=amount, on=DAY, actor="user:marie", method="cash",
            )  # fmt: skip
    code, out, _ = run(
        cli(staffed, "bank", "pending", "list", "--status", "pending", "-f", "json"), capsys
    )
    assert code == 0
    rows = {row["amount"]: row for row in json.loads(out)}
    assert set(rows) == {"80.00", "999999.00"}
    assert rows["80.00"]["kind"] == "cash_receipt" and rows["80.00"]["entered_by"] == "user:marie"
    small, large = str(rows["80.00"]["id"]), str(rows["999999.00"]["id"])
    validate = ("bank", "pending", "validate", small, "--on", DAY.isoformat())
    code, _, err = run(cli(staffed, *validate, "--login", "marie"), capsys)
    assert code == 1 and "four-eyes rule: user:marie entered" in err
    code, _, err = run(cli(staffed, *validate, "--login", "ada"), capsys)
    assert code == 1 and "a login of role member may not" in err
    code, out, _ = run(cli(staffed, *validate, "--login", "paul"), capsys)
    assert code == 0 and f"act {small} validated by user:paul" in out
    refuse = ("bank", "pending", "refuse", large, "--login", "paul", "--reason", "no receipt")
    code, out, _ = run(cli(staffed, *refuse), capsys)
    assert code == 0 and f"act {large} refused by user:paul" in out
    code, out, _ = run(cli(staffed, "bank", "pending", "list", "-f", "json"), capsys)
    assert sorted((r["amount"], r["status"], r["decided_by"]) for r in json.loads(out)) == [
        ("80.00", "validated", "user:paul"),
        ("999999.00", "refused", "user:paul"),
    ]
    with staffed.act() as s:
        actions = s.scalars(select(AuditRecord.action).where(AuditRecord.action.like("pending.%")))
        assert sorted(actions) == ["pending.enter"] * 2 + ["pending.refuse", "pending.validate"]
