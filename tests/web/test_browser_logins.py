"""A staff login's own account in a real browser (Chromium driven by Playwright): the
office manager changes their password, enrols an authenticator app (its codes
computed here with pyotp) and logs in again with the new password and a code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp

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
