"""Becoming a member on the web: a person applies without a login, nothing is reviewed
before they verify their address, the application is admitted at once or goes to the
ethics committee, which decides with reasons on a screen that shows no one's national
number or address; a refused applicant appeals once; admission makes the login and
mails the invitation to choose its password. Bad input is refused, naming the rule,
with nothing written; the form is throttled."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func, select

from partage.core.access.models import WebUser
from partage.core.members.models import Application, Member, SharePaymentDue
from partage.core.platform.db.models import AuditRecord
from partage.core.platform.mail.models import OutboxMessage
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web.test_web_ui import log_in, token

VERIFY = re.compile(r"https?://\S+/apply/verify\?key=\S+")
INVITE = re.compile(r"https?://\S+/reset-password\?token=\S+")
COURIER_ANSWERS = {
    "answer.couriers.platforms": "Deliveries Ltd",
    "answer.couriers.equipment": "My own bike, a bag and a phone",
    "answer.couriers.hours": "About 15 hours a week, evenings",
}


@pytest.fixture
def served(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    from importlib import import_module

    site = web_site(engine)
    assert isinstance(site, Site)
    site.coop.plugins.register(
        import_module("partage.plugins.sectors.couriers"), name="sector:couriers"
    )
    with TestClient(create_app(site)) as client:
        yield site, client


def form(n: int, **changes: str) -> dict[str, str]:
    return {
        "first_name": "Grace",
        "last_name": "Hopper",
        "national_id": f"{900 + n:011d}",
        "iban": f"ZZ{900 + n:014d}",
        "address": "2 Harbour Street",
        "email": f"grace{n}@example.org",
        "language": "fr",
        "office": "cap",
        "trade": "web developer",
        "activity": "Websites for small shops",
        "clients": "Shops of the neighbourhood",
        "charter": "yes",
        "share_class": "A",
    } | changes


def apply(client: TestClient[Any], data: dict[str, str]) -> Any:
    page = client.get("/apply")
    assert page.status_code == 200
    return client.post("/apply", data={**data, "_csrf_token": token(page.text)})


def outbox(site: Site) -> list[OutboxMessage]:
    with site.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def link(pattern: re.Pattern[str], message: OutboxMessage) -> str:
    found = pattern.search(message.body)
    assert found, message.body
    parsed = urlparse(found.group(0))
    return f"{parsed.path}?{parsed.query}"


def counts(site: Site) -> tuple[int, int, int]:
    with site.sessions() as session:
        return (
            session.scalar(select(func.count(Application.id))) or 0,
            session.scalar(select(func.count(OutboxMessage.id))) or 0,
            session.scalar(select(func.count(Member.id))) or 0,
        )


def test_an_application_without_review_is_admitted_once_the_address_is_verified(
    served: tuple[Site, TestClient[Any]],
) -> None:
    site, client = served
    members_before = counts(site)[2]
    page = client.get("/apply")
    assert "Privacy notice" in page.text and "values charter" in page.text
    sent = apply(client, form(1))
    assert sent.status_code == 200, sent.text
    assert "Check your email" in sent.text
    [mail] = outbox(site)
    assert (mail.recipient, mail.language, mail.kind) == (
        "grace1@example.org",
        "fr",
        "application_verification",
    )
    assert "confirmer" in mail.body or "Confirm" not in mail.subject
    with site.sessions() as session:
        application = session.scalars(select(Application)).one()
        assert application.status == "unverified" and application.member_id is None
    log_in(client, "ethics")  # nobody reviews an unverified application
    assert application.code not in client.get("/applications").text
    client.cookies.clear()
    status = client.get(link(VERIFY, mail))
    assert status.status_code == 200
    assert 'data-status="admitted"' in status.text
    assert counts(site)[2] == members_before + 1
    invitation = outbox(site)[-1]
    assert invitation.kind == "member_invitation" and invitation.recipient == "grace1@example.org"
    with site.sessions() as session:
        login = session.scalars(select(WebUser).where(WebUser.username.like("member%"))).one()
        assert login.member_id is not None and login.role == "member"
        assert login.username in invitation.body
    reset = client.get(link(INVITE, invitation))
    assert reset.status_code == 200 and login.username in reset.text
    again = client.get(link(VERIFY, mail))  # following the link again changes nothing
    assert 'data-status="admitted"' in again.text
    assert counts(site)[2] == members_before + 1


def test_the_committee_decides_and_the_applicant_appeals_once(
    served: tuple[Site, TestClient[Any]],
) -> None:
    site, client = served
    apply(client, form(2, sector="couriers", trade="bike courier", **COURIER_ANSWERS))
    [mail] = outbox(site)
    verify = link(VERIFY, mail)
    status = client.get(verify)
    assert 'data-status="in_review"' in status.text
    with site.sessions() as session:
        code = session.scalars(select(Application.code)).one()
    log_in(client, "ethics")
    assert 'href="/applications"' in client.get("/").text
    listing = client.get("/applications").text
    assert code in listing and "Deliveries Ltd" in listing
    for private in (f"{902:011d}", "grace2@example.org", "2 Harbour Street", f"ZZ{902:014d}"):
        assert private not in listing
    refused = client.post(
        f"/applications/{code}/decision",
        data={
            "decision": "refuse",
            "reasons": "Platform work is not autonomous here",
            "_csrf_token": token(listing),
        },
    )
    assert refused.status_code == 200
    client.cookies.clear()
    seen = client.get(verify)
    assert 'data-status="refused"' in seen.text and "Platform work is not autonomous" in seen.text
    key = verify.split("key=", 1)[1]
    appealed = client.post(
        "/apply/appeal",
        data={"key": key, "grounds": "I choose my hours", "_csrf_token": token(seen.text)},
    )
    assert 'data-status="appealed"' in appealed.text
    with site.sessions() as session:
        trail = session.scalar(select(func.count(AuditRecord.id)))
    second = client.post(
        "/apply/appeal",
        data={"key": key, "grounds": "Again", "_csrf_token": token(seen.text)},
    )
    assert second.status_code == 422 and "may appeal once" in second.text
    with site.sessions() as session:
        assert session.scalar(select(func.count(AuditRecord.id))) == trail  # nothing written
    log_in(client, "ethics")
    page = client.get("/applications")
    assert "I choose my hours" in page.text
    client.post(
        f"/applications/{code}/decision",
        data={
            "decision": "admit",
            "reasons": "Own bike, own hours",
            "_csrf_token": token(page.text),
        },
    )
    assert outbox(site)[-1].kind == "member_invitation"
    with site.sessions() as session:
        assert session.scalars(select(Application.status)).one() == "admitted"


def test_without_the_charter_nothing_is_written(served: tuple[Site, TestClient[Any]]) -> None:
    site, client = served
    before = counts(site)
    data = form(3)
    del data["charter"]
    answer = apply(client, data)
    assert answer.status_code == 422
    assert 'data-field="charter"' in answer.text and "values charter" in answer.text
    bad_id = apply(client, form(4, national_id="12"))
    assert bad_id.status_code == 422 and 'data-field="national_id"' in bad_id.text
    assert counts(site) == before


def test_the_form_is_throttled(served: tuple[Site, TestClient[Any]]) -> None:
    site, client = served
    data = form(5)
    del data["charter"]
    for _ in range(5):
        assert apply(client, data).status_code == 422
    slowed = apply(client, form(5))
    assert slowed.status_code == 429 and "Retry-After" in slowed.headers
    assert counts(site)[0] == 0


def test_the_api_applies_verifies_and_decides(served: tuple[Site, TestClient[Any]]) -> None:
    site, client = served
    body = {
        k: v
        for k, v in form(6, sector="couriers", trade="bike courier").items()
        if not k.startswith("answer.") and k != "charter"
    }
    body |= {
        "charter_accepted": True,
        "answers": [{"code": k.rsplit(".", 1)[1], "answer": v} for k, v in COURIER_ANSWERS.items()],
    }
    applied = client.post("/api/v1/membership/applications", json=body)
    assert applied.status_code == 202, applied.text
    assert applied.json()["status"] == "unverified"
    key = link(VERIFY, outbox(site)[-1]).split("key=", 1)[1]
    verified = client.post("/api/v1/membership/applications/verify", json={"key": key})
    assert verified.json()["status"] == "in_review"
    code = applied.json()["code"]
    anonymous = client.post(
        f"/api/v1/membership/applications/{code}/decision",
        json={"decision": "admit", "reasons": "ok"},
    )
    assert anonymous.status_code == 401


def test_a_member_subscribes_more_shares_paid_by_transfer(
    served: tuple[Site, TestClient[Any]],
) -> None:
    site, client = served
    log_in(client, "ada")
    page = client.get("/member")
    assert 'id="subscribe-shares"' in page.text and 'id="shares-due"' not in page.text
    done = client.post("/member/shares", data={"quantity": "2", "_csrf_token": token(page.text)})
    assert done.status_code == 200
    assert 'id="shares-due"' in done.text and "60.00" in done.text and "RF" in done.text
    with site.sessions() as session:
        assert session.scalar(select(func.count(SharePaymentDue.id))) == 1
    bad = client.post("/member/shares", data={"quantity": "-1", "_csrf_token": token(page.text)})
    assert bad.status_code == 422 and 'data-field="quantity"' in bad.text
    with site.sessions() as session:
        assert session.scalar(select(func.count(SharePaymentDue.id))) == 1


def test_the_register_and_the_certificate_are_files_for_whom_may_read_them(
    served: tuple[Site, TestClient[Any]],
) -> None:
    _site, client = served
    log_in(client, "ada")
    assert 'href="/member/certificate.pdf"' in client.get("/member").text
    certificate = client.get("/member/certificate.pdf")
    assert certificate.status_code == 200
    assert certificate.headers["content-type"] == "application/pdf"
    assert certificate.content.startswith(b"%PDF")
    assert client.get("/members/register.csv").status_code == 403
    client.cookies.clear()
    log_in(client, "admin")
    listed = client.get("/members/register.csv")
    assert listed.status_code == 200
    lines = listed.text.splitlines()
    assert lines[0].startswith("date,member,name,address,class,movement,shares")
    assert any(",subscription," in line for line in lines[1:])
    pdf = client.get("/members/register.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    login = client.post(
        "/api/v1/auth/login", json={"username": "admin", "password": WEB_PASSWORD}
    ).json()
    api = client.get(
        "/api/v1/members/register.csv", headers={"Authorization": f"Bearer {login['token']}"}
    )
    assert api.status_code == 200 and api.text == listed.text


def test_an_adviser_enters_an_application_without_email_verification(
    served: tuple[Site, TestClient[Any]],
) -> None:
    site, client = served
    log_in(client, "adviser")
    assert 'href="/apply"' in client.get("/").text
    referred = apply(client, form(7, sector="couriers", trade="bike courier", **COURIER_ANSWERS))
    assert referred.status_code == 200, referred.text
    assert 'data-status="in_review"' in referred.text
    admitted = apply(client, form(8))
    assert 'data-status="admitted"' in admitted.text
    assert [m.kind for m in outbox(site)] == ["member_invitation"]
    with site.sessions() as session:
        actors = set(
            session.scalars(
                select(AuditRecord.actor).where(AuditRecord.action == "application.submit")
            )
        )
    assert actors == {"user:adviser"}


def test_an_appeal_goes_to_the_body_the_statutes_name(
    served: tuple[Site, TestClient[Any]],
) -> None:
    from dataclasses import replace

    site, client = served
    site.coop.instance = replace(site.coop.instance, appeal_body="board")
    apply(client, form(9, sector="couriers", trade="bike courier", **COURIER_ANSWERS))
    verify = link(VERIFY, outbox(site)[0])
    client.get(verify)
    with site.sessions() as session:
        code = session.scalars(select(Application.code)).one()
    log_in(client, "ethics")
    page = client.get("/applications").text
    client.post(
        f"/applications/{code}/decision",
        data={"decision": "refuse", "reasons": "Not autonomous", "_csrf_token": token(page)},
    )
    client.cookies.clear()
    seen = client.get(verify)
    assert "Your appeal goes to the board" in seen.text
    client.post(
        "/apply/appeal",
        data={"key": verify.split("key=", 1)[1], "grounds": "I choose my hours",
              "_csrf_token": token(seen.text)},
    )  # fmt: skip
    log_in(client, "ethics")
    page = client.get("/applications").text
    refused = client.post(
        f"/applications/{code}/decision",
        data={"decision": "admit", "reasons": "ok", "_csrf_token": token(page)},
    )
    assert refused.status_code == 403
    client.cookies.clear()
    log_in(client, "admin")
    page = client.get("/applications").text
    client.post(
        f"/applications/{code}/decision",
        data={"decision": "admit", "reasons": "The board admits", "_csrf_token": token(page)},
    )
    with site.sessions() as session:
        assert session.scalars(select(Application.status)).one() == "admitted"
