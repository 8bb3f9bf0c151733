"""Guessing passwords is slowed down per account and address and per address, never
so that a stranger locks the owner out; an administrator sees it and lifts it.

The application is served by uvicorn, which believes ``X-Forwarded-For`` from the
loopback address (as behind a proxy): each test client speaks from the address it
names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from partage.core.access import throttle
from partage.core.cli.main import app as cli
from partage.core.platform.db.models import AuditRecord
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web_support import served_over_http


class CountingHasher:
    """The site's hasher, counting how many passwords it hashed or verified."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped, self.calls = wrapped, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)

    def verify(self, stored: str, password: str) -> bool:
        self.calls += 1
        return bool(self.wrapped.verify(stored, password))

    def hash(self, password: str) -> str:
        self.calls += 1
        return str(self.wrapped.hash(password))


@pytest.fixture
def served(engine: Engine) -> Iterator[tuple[Site, str]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    site.hasher = CountingHasher(site.hasher)  # type: ignore[assignment]
    with served_over_http(create_app(site)) as url:
        yield site, url


def log_in(url: str, username: str, password: str, address: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/auth/login",
        json={"username": username, "password": password},
        headers={"X-Forwarded-For": address},
        timeout=30,
    )


def test_repeated_failures_slow_that_address_down_not_the_owner(
    served: tuple[Site, str],
) -> None:
    site, url = served
    for _ in range(throttle.PAIR_FREE):
        assert log_in(url, "ada", "wrong password!", "203.0.113.9").status_code == 401
    hashed = site.hasher.calls  # type: ignore[attr-defined]
    slowed = log_in(url, "ada", WEB_PASSWORD, "203.0.113.9")
    assert slowed.status_code == 429
    assert int(slowed.headers["retry-after"]) >= 1
    assert slowed.json()["field"] == "username" and slowed.json()["retry_after"] >= 1
    assert site.hasher.calls == hashed  # type: ignore[attr-defined]  # no hash was spent
    owner = log_in(url, "ada", WEB_PASSWORD, "198.51.100.7")
    assert owner.status_code == 200, owner.text
    with site.sessions() as session:
        delays = session.query(AuditRecord).filter_by(action="login.throttled").all()
    assert [(d.subject, d.origin) for d in delays] == [("login:ada", "203.0.113.9")]
    assert delays[0].data["wait_seconds"] >= 1  # the slowed attempt itself wrote nothing


def test_an_address_trying_many_accounts_is_slowed_down(served: tuple[Site, str]) -> None:
    _, url = served
    for n in range(throttle.ADDRESS_FREE):
        log_in(url, f"guess{n}", "wrong password!", "192.0.2.66")
    assert log_in(url, "bob", WEB_PASSWORD, "192.0.2.66").status_code == 429
    assert log_in(url, "bob", WEB_PASSWORD, "192.0.2.67").status_code == 200


def test_the_administrator_sees_the_delays_and_lifts_one(served: tuple[Site, str]) -> None:
    site, url = served
    for _ in range(throttle.PAIR_FREE):
        log_in(url, "cyd", "wrong password!", "203.0.113.50")
    admin = {
        "Authorization": f"Bearer {log_in(url, 'admin', WEB_PASSWORD, '10.0.0.1').json()['token']}"
    }
    seen = httpx.get(f"{url}/api/v1/users/throttled/", headers=admin).json()
    assert {"address": "203.0.113.50", "username": "cyd"} in [
        {"address": s["address"], "username": s["username"]} for s in seen
    ]
    member = {
        "Authorization": f"Bearer {log_in(url, 'ada', WEB_PASSWORD, '10.0.0.2').json()['token']}"
    }
    assert httpx.get(f"{url}/api/v1/users/throttled/", headers=member).status_code == 403
    lifted = httpx.post(
        f"{url}/api/v1/users/throttled/lift",
        headers=admin,
        json={"address": "203.0.113.50", "username": "cyd"},
    )
    assert lifted.json() == {"lifted": throttle.PAIR_FREE}
    assert log_in(url, "cyd", WEB_PASSWORD, "203.0.113.50").status_code == 200
    with site.sessions() as session:
        assert session.query(AuditRecord).filter_by(action="login.lift_delay").count() == 1


def test_the_login_page_says_how_long_to_wait(served: tuple[Site, str]) -> None:
    _, url = served
    with httpx.Client(base_url=url, headers={"X-Forwarded-For": "203.0.113.77"}) as browser:
        for _ in range(throttle.PAIR_FREE + 1):
            form = browser.get("/login").text
            token = form.split('name="_csrf_token" value="')[1].split('"')[0]
            answer = browser.post(
                "/login",
                data={"username": "bob", "password": "nope nope nope", "_csrf_token": token},
            )
    assert answer.status_code == 429 and "try again in" in answer.text


def test_the_command_line_lists_and_lifts(served: tuple[Site, str], engine: Engine) -> None:
    _, url = served
    for _ in range(throttle.PAIR_FREE):
        log_in(url, "bob", "wrong password!", "203.0.113.99")
    env = {"PARTAGE_DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    runner = CliRunner()
    listed = runner.invoke(cli, ["--instance", "be", "login", "throttled"], env=env)
    assert listed.exit_code == 0 and "203.0.113.99" in listed.output, listed.output
    lifted = runner.invoke(
        cli, ["--instance", "be", "login", "lift", "203.0.113.99", "--username", "bob"], env=env
    )
    assert lifted.exit_code == 0 and f"lifted {throttle.PAIR_FREE}" in lifted.output
    assert log_in(url, "bob", WEB_PASSWORD, "203.0.113.99").status_code == 200


def test_the_administrator_lifts_a_delay_from_the_page(served: tuple[Site, str]) -> None:
    _, url = served
    for _ in range(throttle.PAIR_FREE):
        log_in(url, "bob", "wrong password!", "203.0.113.120")
    with httpx.Client(
        base_url=url, headers={"X-Forwarded-For": "10.0.0.9"}, follow_redirects=True
    ) as browser:
        form = browser.get("/login").text
        token = form.split('name="_csrf_token" value="')[1].split('"')[0]
        browser.post(
            "/login", data={"username": "admin", "password": WEB_PASSWORD, "_csrf_token": token}
        )
        page = browser.get("/logins/throttled").text
        assert "203.0.113.120" in page and "bob" in page
        token = page.split('name="_csrf_token" value="')[1].split('"')[0]
        lifted = browser.post(
            "/logins/throttled/lift",
            data={"address": "203.0.113.120", "username": "bob", "_csrf_token": token},
        )
        assert lifted.status_code == 200 and "203.0.113.120" not in lifted.text
    assert log_in(url, "bob", WEB_PASSWORD, "203.0.113.120").status_code == 200
