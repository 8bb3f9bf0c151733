"""A forgotten password in a real browser (Chromium driven by Playwright), the mail
read from a real SMTP server (aiosmtpd): a member asks for a link, receives it in their
language, follows it, sets a new password and logs in with it."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import update

from partage.core.access.models import WebUser
from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.mail_support import SmtpServer
from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import shot
from tests.web.test_web_password_reset import LINK
from tests.web_support import served_over_http

pytestmark = flows.pytestmark
NEW_PASSWORD = "lanterns over the quay"


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer) -> Iterator[str]:
    """The populated instance served by uvicorn, its outbox delivered by the queue's
    worker in this process, to the test's SMTP server; Ada reads French."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('reset') / 'web.db'}")
    site = web_site(engine, email=smtp.settings())
    assert isinstance(site, Site)
    with site.sessions.begin() as session:
        session.execute(update(WebUser).where(WebUser.username == "ada").values(language="fr"))
    queue = site.mail_queue()
    queue.start_in_process()
    try:
        with served_over_http(create_app(site)) as url:
            yield url
    finally:
        queue.stop_in_process()
        engine.dispose()


@pytest.fixture(scope="module")
def browser(chromium: Any, base_url: str) -> Any:
    return chromium


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def test_a_member_resets_a_forgotten_password_by_the_emailed_link(
    page: Any, smtp: SmtpServer
) -> None:
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url("**/forgot-password")
    page.get_by_label("Username or email address").fill("ada")
    page.get_by_role("button", name="Send me a link").click()
    assert "on its way" in page.get_by_role("status").inner_text()
    deadline = time.monotonic() + 60
    while not smtp.inbox.messages and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(smtp.inbox.messages) == 1, "the worker delivered no message"
    mail = smtp.inbox.messages[0]
    assert mail["To"] == "ada@example.org"
    assert mail["Subject"].startswith("Réinitialiser votre mot de passe")
    assert mail["Content-Language"] == "fr"
    found = LINK.search(mail.get_content())
    assert found is not None
    page.goto(found.group(0))
    page.get_by_label("New password (at least 15 characters)").fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    shot(page, "reset-password")
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url("**/login?reset=done")
    assert "password was changed" in page.get_by_role("status").inner_text()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    assert page.locator("form[action='/logout']").count() == 1
    page.goto(found.group(0))  # the link worked once
    assert "already used or expired" in page.get_by_role("alert").inner_text()
