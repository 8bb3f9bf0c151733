"""A forgotten password, reset by an emailed link: the asking page tells nothing about
who has a login, the link works once and for a while, sets a password under the usual
policy, ends every session and is audited; asking is throttled."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, select, update

from partage.core.access.logins import digest
from partage.core.access.models import PasswordReset, WebSession, WebUser
from partage.core.members.models import Member, Person
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.models import AuditRecord
from partage.core.platform.mail.models import OutboxMessage
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web.test_web_ui import log_in, token

NEW_PASSWORD = "lanterns over the quay"
LINK = re.compile(r"https?://\S+/reset-password\?token=\S+")


@pytest.fixture
def served(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client


def ask(client: TestClient[Any], name: str) -> Any:
    form = client.get("/forgot-password")
    return client.post("/forgot-password", data={"login": name, "_csrf_token": token(form.text)})


def mails(site: Site) -> list[OutboxMessage]:
    with site.sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def link_in(message: OutboxMessage) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


def test_the_answer_is_the_same_whether_a_login_exists_or_not(
    served: tuple[Site, TestClient[Any]],
) -> None:
    site, client = served
    known = ask(client, "ada")
    unknown = ask(client, "nobody-at-all")
    without_address = ask(client, "adviser")  # a staff login with no address
    pages = [CSRF_FREE(r.text) for r in (known, unknown, without_address)]
    assert {r.status_code for r in (known, unknown, without_address)} == {200}
    assert pages[0] == pages[1] == pages[2]
    assert "on its way" in pages[0]
    sent = mails(site)
    assert [m.kind for m in sent] == ["password_reset"]
    with site.sessions() as session:
        ada = session.scalars(select(WebUser).where(WebUser.username == "ada")).one()
        reset = session.scalars(select(PasswordReset)).one()
    assert sent[0].recipient == "ada@example.org"  # the member's own address
    token_sent = parse_qs(urlparse(link_in(sent[0])).query)["token"][0]
    assert reset.user_id == ada.id and reset.token_sha256 == digest(token_sent)
    assert token_sent not in reset.token_sha256
    # the member's email address designates the login too
    ask(client, "ADA@example.org")
    assert len(mails(site)) == 2


def CSRF_FREE(page: str) -> str:
    return re.sub(r'name="_csrf_token" value="[^"]*"', "", page)


def test_the_link_sets_a_password_once_ends_every_session_and_is_audited(
    served: tuple[Site, TestClient[Any]],
) -> None:
    site, client = served
    log_in(client, "ada")  # a session the reset must end
    ask(client, "ada")
    path = urlparse(link_in(mails(site)[0]))
    target = f"{path.path}?{path.query}"
    form = client.get(target)
    assert form.status_code == 200 and "ada" in form.text
    weak = client.post(
        "/reset-password",
        data={
            "token": parse_qs(path.query)["token"][0],
            "password": "short",
            "confirm": "short",
            "_csrf_token": token(form.text),
        },
    )
    assert weak.status_code == 422 and "at least 15 characters" in weak.text
    done = client.post(
        "/reset-password",
        data={
            "token": parse_qs(path.query)["token"][0],
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "_csrf_token": token(form.text),
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=done"
    with site.sessions() as session:
        ada = session.scalars(select(WebUser).where(WebUser.username == "ada")).one()
        assert session.scalars(select(WebSession).where(WebSession.user_id == ada.id)).all() == []
        assert site.hasher.verify(ada.password_hash, NEW_PASSWORD)
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.subject == "login:ada")
        ).all()
    assert "login.reset_requested" in actions and "login.reset_password_by_email" in actions
    assert client.get(target).status_code == 400  # used: refused
    again = client.post(
        "/login",
        data={
            "username": "ada",
            "password": NEW_PASSWORD,
            "_csrf_token": token(client.get("/login").text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert again.status_code == 303
    old = client.post(
        "/login",
        data={
            "username": "ada",
            "password": WEB_PASSWORD,
            "_csrf_token": token(client.get("/login").text),
        },
    )
    assert old.status_code == 401


def test_an_expired_link_is_refused(served: tuple[Site, TestClient[Any]]) -> None:
    site, client = served
    ask(client, "ada")
    link = urlparse(link_in(mails(site)[0]))
    with site.sessions.begin() as session:
        session.execute(update(PasswordReset).values(expires_at=utcnow() - timedelta(seconds=1)))
    answer = client.get(f"{link.path}?{link.query}")
    assert answer.status_code == 400 and "expired" in answer.text


def test_asking_again_and_again_is_slowed_down(served: tuple[Site, TestClient[Any]]) -> None:
    site, client = served
    answers = [ask(client, "ada").status_code for _ in range(7)]
    assert answers[:5] == [200] * 5 and answers[-1] == 429
    assert len(mails(site)) <= 6


def test_the_api_asks_for_a_link_and_uses_it(served: tuple[Site, TestClient[Any]]) -> None:
    site, client = served
    with site.sessions.begin() as session:  # Bob's login has no preference: his own
        bob = session.scalars(select(WebUser).where(WebUser.username == "bob")).one()
        assert bob.language is None and bob.member_id is not None
        member = session.get(Member, bob.member_id)
        assert member is not None
        session.execute(update(Person).where(Person.id == member.person_id).values(language="nl"))
    known = client.post("/api/v1/auth/password-reset", json={"login": "bob"})
    unknown = client.post("/api/v1/auth/password-reset", json={"login": "nobody-at-all"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    (message,) = mails(site)
    assert message.language == "nl" and message.subject.startswith("Uw wachtwoord")
    reset_token = parse_qs(urlparse(link_in(message)).query)["token"][0]
    weak = client.post(
        "/api/v1/auth/password-reset/use", json={"token": reset_token, "password": "bob"}
    )
    assert weak.status_code == 422 and weak.json()["field"] == "password"
    used = client.post(
        "/api/v1/auth/password-reset/use", json={"token": reset_token, "password": NEW_PASSWORD}
    )
    assert used.status_code == 200 and used.json() == {"username": "bob"}
    again = client.post(
        "/api/v1/auth/password-reset/use", json={"token": reset_token, "password": NEW_PASSWORD}
    )
    assert again.status_code == 422 and again.json()["field"] == "token"
    login = client.post("/api/v1/auth/login", json={"username": "bob", "password": NEW_PASSWORD})
    assert login.status_code == 200


def test_a_password_an_administrator_set_is_changed_at_the_next_login(
    served: tuple[Site, TestClient[Any]],
) -> None:
    from partage.core.access.logins import reset_password

    site, client = served
    with site.sessions.begin() as session:
        given = reset_password(session, site.hasher, "bob", actor="user:admin")
    form = client.get("/login")
    client.post(
        "/login",
        data={"username": "bob", "password": given, "_csrf_token": token(form.text), "next": "/"},
    )
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 303 and home.headers["location"] == "/account?must_change=1"
    account = client.get("/account?must_change=1")
    assert account.status_code == 200 and 'id="must-change"' in account.text
    bearer = client.post("/api/v1/auth/login", json={"username": "bob", "password": given})
    headers = {"Authorization": f"Bearer {bearer.json()['token']}"}
    refused = client.get("/api/v1/entities", headers=headers)
    assert refused.status_code == 403 and refused.json()["field"] == "password"
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    changed = client.post(
        "/api/v1/me/password",
        json={"old_password": given, "password": NEW_PASSWORD},
        headers=headers,
    )
    assert changed.status_code == 200
    assert client.get("/api/v1/entities", headers=headers).status_code == 200
    with site.sessions() as session:
        bob = session.scalars(select(WebUser).where(WebUser.username == "bob")).one()
        assert bob.must_change_password is False
