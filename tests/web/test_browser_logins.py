"""A staff login's own account in a real browser (Chromium driven by Playwright): the
office manager changes their password, enrols an authenticator app (its codes
computed here with pyotp) and logs in again with the new password and a code; failed
attempts slow one address down while the owner still logs in from another."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp

from partage.core.access import throttle
from tests.engine_support import WEB_PASSWORD
from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import log_in, shot

# The browser flows' fixtures and skip rule: this module gets its own served instance.
pytestmark = flows.pytestmark
base_url = flows.base_url
browser = flows.browser
page = flows.page
NEW_PASSWORD = "seaside harbour lights"


def test_a_manager_changes_the_password_enrols_a_second_factor_and_logs_in_with_it(
    page: Any,
) -> None:
    log_in(page, "manager")
    page.locator("header .who").click()
    page.wait_for_url("**/account")
    page.get_by_label("Current password").fill(WEB_PASSWORD)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_url("**/account?changed=1")
    assert page.locator("#changed").is_visible()
    page.get_by_role("link", name="Enrol an authenticator app").click()
    page.wait_for_url("**/account/second-factor")
    assert page.locator("#qr").get_attribute("src").startswith("data:image/svg+xml")
    totp = pyotp.TOTP(page.locator("#secret").inner_text())
    now = datetime.now(UTC)
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Code from the app").fill(totp.at(now))
    shot(page, "second-factor")
    page.get_by_role("button", name="Enrol").click()
    page.wait_for_url("**/account?enrolled=1")
    assert page.locator("#factor-on").is_visible()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert "authenticator app" in page.locator(".error").inner_text()  # no code given
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_label("Authenticator code").fill(totp.at(now + timedelta(seconds=30)))
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    assert flows.HOME_TEXT["office_manager"] in page.content()


def test_failures_slow_one_address_down_while_the_owner_logs_in_from_another(
    browser: Any, base_url: str
) -> None:
    def from_address(address: str) -> Any:
        context = browser.new_context(
            base_url=base_url, extra_http_headers={"X-Forwarded-For": address}
        )
        return context, context.new_page()

    guesser_context, guesser = from_address("203.0.113.40")
    # Five failures are free, then each delay doubles: three more (waiting each delay
    # out) bring the next one to 8 s, longer than a loaded machine takes to type.
    for _ in range(throttle.PAIR_FREE + 3):
        while True:
            guesser.goto("/login")
            guesser.get_by_label("Username").fill("cyd")
            guesser.get_by_label("Password").fill("not cyd's password at all")
            guesser.get_by_role("button", name="Log in").click()
            said = guesser.locator(".error").inner_text()
            if (wait := re.search(r"try again in (\d+) s", said)) is None:
                break
            time.sleep(int(wait[1]) + 0.2)
    guesser.goto("/login")
    guesser.get_by_label("Username").fill("cyd")
    guesser.get_by_label("Password").fill(WEB_PASSWORD)  # even the right one must wait
    guesser.get_by_role("button", name="Log in").click()
    assert "try again in" in guesser.locator(".error").inner_text()
    shot(guesser, "login-slowed-down")
    guesser_context.close()
    owner_context, owner = from_address("198.51.100.40")
    log_in(owner, "cyd")
    assert flows.HOME_TEXT["member"] in owner.content()
    owner_context.close()
