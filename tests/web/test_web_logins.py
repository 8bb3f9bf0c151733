"""Logins' lifecycle over the API and the administrators' page: listing and searching,
disabling and revoking (the bearer token stops at once), resetting a password, changing
one's own, enrolling a second factor and logging in with its code, and an administrator
without one held to enrolment where the site requires it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.models import AuditRecord
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web.test_web_ui import log_in, submit

LOGIN = "/api/v1/auth/login"


@pytest.fixture
def served(
    sqlite_url: str, request: pytest.FixtureRequest
) -> Iterator[tuple[Site, TestClient[Any]]]:
    engine = make_engine(sqlite_url)
    site = web_site(engine, administrators_need_second_factor=getattr(request, "param", False))
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client
    engine.dispose()


def bearer(
    client: TestClient[Any], username: str, password: str = WEB_PASSWORD, **more: str
) -> dict[str, str]:
    answer = client.post(LOGIN, json={"username": username, "password": password, **more})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_the_administrator_lists_disables_revokes_and_resets_over_the_api(
    served: tuple[Site, TestClient[Any]],
) -> None:
    site, client = served
    admin, bob = bearer(client, "admin"), bearer(client, "bob")
    listed = client.get("/api/v1/users", params={"search": "advis"}, headers=admin).json()
    assert [(u["username"], u["office"], u["second_factor"]) for u in listed] == [
        ("adviser", "cap", False)
    ]
    assert client.get("/api/v1/users", headers=bob).status_code == 403
    assert client.post("/api/v1/users/bob/disable", json={}, headers=admin).json() == {
        "sessions_ended": 1
    }
    assert client.get("/api/v1/me", headers=bob).status_code == 401
    assert client.post(LOGIN, json={"username": "bob", "password": WEB_PASSWORD}).status_code == 401
    client.post("/api/v1/users/bob/enable", json={"reason": "back"}, headers=admin)
    bob = bearer(client, "bob")
    assert client.post("/api/v1/users/bob/revoke", json={}, headers=admin).json() == {
        "sessions_ended": 1
    }
    assert client.get("/api/v1/me", headers=bob).status_code == 401
    new = client.post("/api/v1/users/bob/reset-password", json={}, headers=admin).json()
    bearer(client, "bob", new["password"])
    assert client.post("/api/v1/users/nobody/revoke", json={}, headers=admin).status_code == 404
    with site.sessions() as session:
        origins = set(
            session.scalars(
                select(AuditRecord.origin).where(AuditRecord.action.startswith("login."))
            )
        )
        actions = set(session.scalars(select(AuditRecord.action)))
    assert origins == {"testclient", ""}  # "" : the world's logins, created by the fixture
    assert {"login.success", "login.failure", "login.disable", "login.revoke"} <= actions


def test_a_staff_login_changes_its_password_and_logs_in_with_its_second_factor(
    served: tuple[Site, TestClient[Any]],
) -> None:
    _, client = served
    here, elsewhere = bearer(client, "manager"), bearer(client, "manager")
    weak = client.post(
        "/api/v1/me/password",
        json={"old_password": WEB_PASSWORD, "password": "manager-is-me-2026"},
        headers=here,
    )
    assert weak.status_code == 422 and "login's name" in weak.text
    changed = client.post(
        "/api/v1/me/password",
        json={"old_password": WEB_PASSWORD, "password": "seaside office keys"},
        headers=here,
    )
    assert changed.json() == {"sessions_ended": 1}
    assert client.get("/api/v1/me", headers=elsewhere).status_code == 401
    offered = client.post("/api/v1/me/second-factor/secret", headers=here).json()
    assert offered["uri"].startswith("otpauth://totp/")
    totp, now = pyotp.TOTP(offered["secret"]), datetime.now(UTC)
    enrolled = client.post(
        "/api/v1/me/second-factor",
        json={"password": "seaside office keys", "secret": offered["secret"], "code": totp.at(now)},
        headers=here,
    )
    assert enrolled.json() == {"second_factor": True}
    without = client.post(LOGIN, json={"username": "manager", "password": "seaside office keys"})
    assert without.status_code == 401 and "code" in without.text
    bearer(client, "manager", "seaside office keys", code=totp.at(now + timedelta(seconds=30)))
    members = bearer(client, "ada")
    assert client.post("/api/v1/me/second-factor/secret", headers=members).status_code == 403


@pytest.mark.parametrize("served", [True], indirect=True)
def test_an_administrator_without_a_second_factor_is_held_to_enrolment(
    served: tuple[Site, TestClient[Any]],
) -> None:
    _, client = served
    admin = bearer(client, "admin")
    held = client.get("/api/v1/users", headers=admin)
    assert held.status_code == 403 and "second factor" in held.text
    assert client.get("/api/v1/me", headers=admin).status_code == 200
    log_in(client, "admin")  # follows the redirect after the login
    page = client.get("/instance")
    assert page.url.path == "/account/second-factor"
    secret = page.text.split('name="secret" value="')[1].split('"')[0]
    done = submit(
        client,
        page.text,
        "/account/second-factor",
        {"secret": secret, "password": WEB_PASSWORD, "code": pyotp.TOTP(secret).now()},
    )
    assert done.url.path == "/account" and 'id="enrolled"' in done.text
    assert client.get("/instance").url.path == "/instance"


def test_the_logins_page_searches_and_acts(served: tuple[Site, TestClient[Any]]) -> None:
    _, client = served
    cyd = bearer(client, "cyd")
    log_in(client, "admin")
    page = client.get("/logins", params={"q": "cy"})
    assert 'id="login-cyd"' in page.text and 'id="login-ada"' not in page.text
    done = submit(client, page.text, "/logins/cyd/disable", {})
    assert 'id="done"' in done.text and client.get("/api/v1/me", headers=cyd).status_code == 401
    reset = submit(client, done.text, "/logins/cyd/reset-password", {})
    password = reset.text.split('<code id="password">')[1].split("<")[0]
    submit(client, reset.text, "/logins/cyd/enable", {})
    bearer(client, "cyd", password)
    log_in(client, "ada")
    assert client.get("/logins").status_code == 403
