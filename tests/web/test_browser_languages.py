"""Refusals in the reader's language, in a real browser: a member who switched the
interface to French, Dutch or German sends a quote with a price of three decimals and
reads why it is refused in that language, and an administrator reads the audit page in
German."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import log_in, shot

# The browser flows' fixtures and skip rule: this module gets its own served instance.
pytestmark = flows.pytestmark
base_url = flows.base_url
browser = flows.browser
page = flows.page

SAID = {
    "fr": "Prix unitaire (1) : 10,001 a plus de 2 décimales pour la devise EUR",
    "nl": "Eenheidsprijs (1): 10,001 heeft meer dan 2 decimalen voor de munt EUR",
    "de": "Einzelpreis (1): 10,001 hat mehr als 2 Nachkommastellen für die Währung EUR",
}


@pytest.mark.parametrize("language", sorted(SAID))
def test_a_refused_quote_is_explained_in_the_members_language(page: Any, language: str) -> None:
    log_in(page, "ada")
    page.goto(f"/language/{language}?next=/entities/E000001/quick-job")  # the switch
    fields = page.locator("form input:not([type=hidden])")
    values = {
        "client_name": "Corner Café",
        "street": "Rue Haute 1",
        "postcode": "1000",
        "town": "Bruxelles",
        "description": "Painting",
        "quantity": "1",
    }
    for name, value in values.items():
        page.locator(f"input[name={name}]").fill(value)
    page.locator("input[name=unit_price]").fill("10.001")
    assert fields.count() >= 4
    page.locator("form button.primary").click()
    alert = page.get_by_role("alert")
    assert SAID[language] in alert.inner_text()
    assert alert.get_attribute("data-field") == "lines[1].unit_price"
    assert "decimals" not in page.content()
    shot(page, f"refusal-{language}")


def test_the_audit_page_names_actions_in_german(page: Any) -> None:
    log_in(page, "admin")
    page.goto("/language/de?next=/audit")
    actions = page.locator("#audit tbody tr td:nth-child(3)").all_inner_texts()
    assert "Erfolgreiche Anmeldung" in actions
    assert not [a for a in actions if "." in a or "_" in a]
    shot(page, "audit-de")
