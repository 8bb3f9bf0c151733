"""The audit log page in a real browser: the administrator filters the log, exports the
filtered records as CSV, and finds the export recorded in the log."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import log_in, shot

# The browser flows' fixtures and skip rule: this module gets its own served instance.
pytestmark = flows.pytestmark
base_url = flows.base_url
browser = flows.browser
page = flows.page


def test_the_administrator_filters_and_exports_the_log(page: Any, tmp_path: Path) -> None:
    log_in(page, "admin")
    page.get_by_role("link", name="Audit log").click()
    page.wait_for_url("**/audit")
    first = page.locator("#audit tbody tr").first.locator("td").nth(2).get_attribute("data-action")
    assert first
    page.get_by_label("Action starts with").fill(first)
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(f"**/audit?*action={first}*")
    cells = page.locator("#audit tbody tr td:nth-child(3)")
    actions = [cells.nth(i).get_attribute("data-action") for i in range(cells.count())]
    assert actions and set(actions) == {first}
    shot(page, "audit-filtered")
    with page.expect_download() as waited:
        page.get_by_role("link", name="Export as CSV").click()
    saved = tmp_path / "audit.csv"
    waited.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8"))))
    assert [r["action"] for r in rows] == actions
    page.get_by_label("Action starts with").fill("audit.export")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/audit?*action=audit.export*")
    row = page.locator("#audit tbody tr")
    assert row.count() == 1 and "user:admin" in row.inner_text()
    assert f"{len(rows)} records as csv" in row.inner_text()
