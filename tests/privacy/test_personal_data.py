"""A person's data exported (GDPR art. 15) and erased (art. 17): mutable records
pseudonymised at once, in one transaction, immutable ones kept until the country's
retention period ends (art. 17(3)(b)), a second erasure changing nothing, refusals
while the law or an open obligation needs the data, and every export and erasure in
the audit log. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import func, select

from partage.core.access.logins import create_user
from partage.core.access.models import LoginAttempt, WebUser
from partage.core.acts.cooperative import ClosedRecord, InvalidAct, NotFound
from partage.core.members import follow_up, membership
from partage.core.members import service as members
from partage.core.members.models import FollowUpItem, FollowUpKind, Member, Party, Person
from partage.core.payroll import service as payroll
from partage.core.payroll.models import DeclarationRecord
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.privacy import records
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, World, web_person, web_site
from tests.members.test_review import apply, decide, world  # noqa: F401  (fixture)
from tests.web.test_web_access import BACKEND_PARAMS, _database

ON = WEB_DAY


@pytest.fixture(params=BACKEND_PARAMS)
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    url, drop = _database(request.param, tmp_path)
    engine = make_engine(url)
    try:
        built = web_site(engine)
        assert isinstance(built, Site)
        yield built
    finally:
        engine.dispose()
        drop()


def _audits(site: Site, action: str, subject: str) -> int:
    with site.sessions() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(AuditRecord)
                .where(AuditRecord.action == action, AuditRecord.subject == subject)
            )
            or 0
        )


def _private_client_paid_in_full(site: Site) -> str:
    """A private client of Ada's entity with one invoice, paid in full."""
    with transaction(site.sessions) as s:
        party = members.register_party(
            s,
            site.coop,
            name="Zoé Private",
            kind="client",
            country="ZZ",
            address="1 Quiet Lane",
            email="zoe@example.org",
            actor="t",
            member_id=1,
        )
        invoice = invoices.issue_invoice(
            s,
            site.coop,
            entity="E000001",
            client=party.code,
            lines=[LineInput("Portrait", "1", "100")],
            on=ON,
            actor="t",
        )
        payments.receive_payment(
            s,
            site.coop,
            key="zoe-1",
            entity="E000001",
            client=party.code,
            amount=str(invoice.total / 100),
            on=ON,
            actor="t",
            method="bank",
        )
        return party.code


def _former_member(site: Site) -> str:
    """A member with a login who left: no entity, no contract, every share redeemed."""
    with transaction(site.sessions) as s:
        member = membership.admit_member(
            s, site.coop, web_person(4, "Dan"), share_class="A", shares=2, on=ON, actor="t"
        )
        create_user(
            s,
            PasswordHasher.from_parameters(CHEAPEST),
            username="dan",
            password="a long enough passphrase",
            role="member",
            actor="t",
            member=member.number,
        )
        s.add(LoginAttempt(username="dan", address="10.0.0.9", succeeded=False))
        membership.redeem_shares(s, site.coop, member.number, 2, on=ON, actor="t", reason="leaves")
        person = s.get(Person, member.person_id)
        assert person is not None
        return person.code


def test_an_export_holds_what_is_stored_and_says_what_is_kept_until_when(site: Site) -> None:
    with transaction(site.sessions) as s:
        data = records.export(s, site.coop, "P000001", on=ON, actor="admin")
    exported = json.loads(data.to_json())
    assert exported["person"]["first_name"] == "Ada"
    assert exported["person"]["national_id"] == "00000000001"
    assert exported["membership"]["number"] == 1
    assert [e["code"] for e in exported["entities_held"]] == ["E000001"]
    assert [login["username"] for login in exported["logins"]] == ["ada"]
    assert "password_hash" not in data.to_json() and "totp" not in data.to_json()
    assert exported["advisers_notes"]["notes"] == []
    assert any(r["subject"] == "member:1" for r in exported["audit_records"])
    assert exported["retention_known"] is True
    kept = {k["kind"]: k for k in exported["kept"]}
    # an audit record of 2026 is kept until the end of the 10th year after 2026
    assert kept["audit record"]["kept_until"] == "2036-12-31"
    assert "Testland accounting code" in kept["audit record"]["source"]
    assert _audits(site, "privacy.export", "person:P000001") == 1


def test_a_private_clients_export_lists_its_invoices_kept_for_the_accounting_period(
    site: Site,
) -> None:
    code = _private_client_paid_in_full(site)
    with transaction(site.sessions) as s:
        data = records.export(s, site.coop, code, on=ON, actor="admin")
    kinds = {k.kind: k for k in data.kept}
    assert kinds["invoice"].kept_until == date(2036, 12, 31)
    assert kinds["posted entry line"].count >= 2
    assert data.sections["party"]["name"] == "Zoé Private"


def test_erasing_a_private_client_pseudonymises_it_keeps_its_invoices_and_is_idempotent(
    site: Site,
) -> None:
    code = _private_client_paid_in_full(site)
    with transaction(site.sessions) as s:
        done = records.erase(s, site.coop, code, on=ON, actor="admin", reason="asked by mail")
    assert not done.already
    assert {k.kind for k in done.kept} >= {"invoice", "posted entry line", "audit record"}
    with site.sessions() as s:
        party = s.scalars(select(Party).where(Party.code == code)).one()
        assert (party.name, party.address, party.email) == (f"Erased {code}", "", "")
        assert party.erased_at is not None
    with transaction(site.sessions) as s:
        again = records.erase(s, site.coop, code, on=ON, actor="admin", reason="asked again")
    assert again.already and again.pseudonymised == []
    assert _audits(site, "privacy.erase", f"party:{code}") == 2
    with transaction(site.sessions) as s:
        after = records.export(s, site.coop, code, on=ON, actor="admin")
    assert "Zoé" not in after.to_json().split('"audit_records"')[0]
    assert after.erased_at is not None


def test_erasing_a_former_member_pseudonymises_the_person_and_ends_their_login(
    site: Site,
) -> None:
    code = _former_member(site)
    with transaction(site.sessions) as s:
        done = records.erase(s, site.coop, code, on=ON, actor="admin", reason="request")
    assert any("login" in d for d in done.pseudonymised)
    with site.sessions() as s:
        person = s.scalars(select(Person).where(Person.code == code)).one()
        assert (person.first_name, person.iban, person.email) == ("Erased", "", "")
        assert person.national_id == f"erased:{code}"
        assert s.scalar(select(WebUser).where(WebUser.username == "dan")) is None
        login = s.scalars(select(WebUser).where(WebUser.display_name == f"Erased {code}")).one()
        assert login.disabled_at is not None and login.password_hash == "!"
        assert s.scalar(select(LoginAttempt).where(LoginAttempt.username == "dan")) is None


@pytest.mark.parametrize(
    ("code", "because"),
    [
        ("P000001", "still holds shares"),
        ("P000001", "holds entities still open: E000001"),
        ("C000001", "is a business"),
        ("C000002", "invoices still owed by the client"),
    ],
)
def test_erasure_is_refused_while_the_law_or_an_obligation_needs_the_data(
    site: Site, code: str, because: str
) -> None:
    with pytest.raises(ClosedRecord, match=because), transaction(site.sessions) as s:
        records.erase(s, site.coop, code, on=ON, actor="admin", reason="request")
    with site.sessions() as s:
        assert s.scalar(select(Person.erased_at).where(Person.code == "P000001")) is None
        assert s.scalar(select(Party.name).where(Party.code == "C000002")) == "Bob's client"
    assert _audits(site, "privacy.erase", f"person:{code}") == 0


def test_erasure_needs_a_reason_and_an_existing_subject(site: Site) -> None:
    with pytest.raises(InvalidAct, match="reason"), transaction(site.sessions) as s:
        records.erase(s, site.coop, "C000002", on=ON, actor="admin", reason=" ")
    with (
        pytest.raises(NotFound, match="no such person, party or application"),
        transaction(site.sessions) as s,
    ):
        records.export(s, site.coop, "P999999", on=ON, actor="admin")


def test_without_the_countrys_retention_periods_nothing_is_erased(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _private_client_paid_in_full(site)

    def unknown(*_: Any, **__: Any) -> None:
        return None

    monkeypatch.setattr(records, "_periods", unknown)
    with (
        pytest.raises(ClosedRecord, match="partage_retention_periods"),
        transaction(site.sessions) as s,
    ):
        records.erase(s, site.coop, code, on=ON, actor="admin", reason="request")
    with transaction(site.sessions) as s:
        data = records.export(s, site.coop, code, on=ON, actor="admin")
    assert data.retention_known is False and data.kept == []


def test_the_pdf_export_carries_the_kept_records_and_every_value(site: Site) -> None:
    from pypdf import PdfReader

    from partage.core.privacy.pdf import render

    with transaction(site.sessions) as s:
        data = records.export(s, site.coop, "P000001", on=ON, actor="admin", fmt="pdf")
    content = render(data)
    assert content.startswith(b"%PDF-")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "Ada" in text and "00000000001" in text
    assert "kept until 2036-12-31" in text
    assert render(data) == content


def test_a_refused_applicants_details_are_erased_and_a_pending_one_is_refused(
    world: World,  # noqa: F811  (the fixture imported above)
) -> None:
    application = apply(world)
    assert application.status == "in_review"
    with pytest.raises(ClosedRecord, match="still before the ethics committee"), world.act() as s:
        records.erase(s, world.coop, "A000001", on=ON, actor="admin", reason="request")
    decide(world, "refuse", reasons="Platform work without a shift guarantee")
    with world.act() as s:
        exported = records.export(s, world.coop, "A000001", on=ON, actor="admin")
    assert exported.sections["application"]["clients"] == "Delivery platforms"
    assert exported.sections["application"]["details_given"]["first_name"]
    with world.act() as s:
        done = records.erase(s, world.coop, "A000001", on=ON, actor="admin", reason="request")
    assert not done.already and {k.kind for k in done.kept} == {"audit record"}
    with world.act() as s:
        after = records.export(s, world.coop, "A000001", on=ON, actor="admin")
    assert after.sections["application"]["details_given"] == {"erased": True}
    assert after.sections["application"]["decisions"][0]["decision"] == "refuse"
    assert after.erased_at is not None


def test_a_workers_payslips_and_declarations_are_kept_for_their_periods(site: Site) -> None:
    with transaction(site.sessions) as s:
        contract = payroll.hire(
            s, site.coop, entity="E000001", member=1, worker_category="employee",
            start=ON.replace(day=1), hourly_rate="20", actor="t",
        )  # fmt: skip
        payroll.pay(s, site.coop, contract.code, month=ON, paid_on=ON, actor="t", hours="10")
        for kind, subject in (("dimona", contract.code), ("dmfa", "2026-07-01/2026-09-30")):
            s.add(
                DeclarationRecord(
                    kind=kind, subject=subject, format="json", filename=f"{kind}.json",
                    content=b"{}", sha256="0" * 64, created_by="t",
                )
            )  # fmt: skip
    with transaction(site.sessions) as s:
        data = records.export(s, site.coop, "P000001", on=ON, actor="admin")
    kept = {k.kind: k for k in data.kept}
    # a payslip is kept for the longer of the payroll (5) and accounting (10) periods
    assert kept["payslip"].kept_until == date(2036, 12, 31)
    assert "accounting" in kept["payslip"].source
    declarations = kept["social declaration file"]
    assert (declarations.count, declarations.kept_until) == (2, date(2031, 12, 31))
    assert kept["posted entry line"].count >= 1
    assert [c["code"] for c in data.sections["employment_contracts"]] == [contract.code]
    running = f"contracts still running: {contract.code}"
    with pytest.raises(ClosedRecord, match=running), transaction(site.sessions) as s:
        records.erase(s, site.coop, "P000001", on=ON, actor="admin", reason="request")


def test_an_erasure_failing_at_its_last_step_leaves_everything_as_it_was(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _former_member(site)

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(records.audit, "record", broken)
    with pytest.raises(RuntimeError), transaction(site.sessions) as s:
        records.erase(s, site.coop, code, on=ON, actor="admin", reason="request")
    with site.sessions() as s:
        person = s.scalars(select(Person).where(Person.code == code)).one()
        assert (person.first_name, person.erased_at) == ("Dan", None)
        assert s.scalar(select(WebUser.username).where(WebUser.username == "dan")) == "dan"
        assert s.scalar(select(LoginAttempt.id).where(LoginAttempt.username == "dan"))


def test_a_former_members_follow_up_record_is_exported_then_erased(site: Site) -> None:
    code = _former_member(site)
    with transaction(site.sessions) as s:
        person = s.scalars(select(Person).where(Person.code == code)).one()
        member = s.scalars(select(Member).where(Member.person_id == person.id)).one()
        follow_up.add_item(
            s,
            member=member,
            office=None,
            kind=FollowUpKind.NOTE,
            subject="Leaving to work abroad",
            body="Wants the shares back",
            actor="user:adviser",
        )
    with transaction(site.sessions) as s:
        exported = json.loads(records.export(s, site.coop, code, on=ON, actor="admin").to_json())
    (note,) = exported["advisers_notes"]["notes"]
    assert note["subject"] == "Leaving to work abroad" and note["visible_to_member"] is False
    with transaction(site.sessions) as s:
        done = records.erase(s, site.coop, code, on=ON, actor="admin", reason="request")
    assert "1 item(s) of the follow-up record deleted" in done.pseudonymised
    with site.sessions() as s:
        assert s.scalar(select(FollowUpItem.id)) is None
