"""The franchisor's workspace in a real browser (Chromium driven by Playwright): the
franchisor receives the franchisees' report files, reads their figures per instance and
over time in charts (a negative month drawn left of zero, labels whole in French too),
and a report of an instance outside the contract is refused; the other roles reach
neither the page nor its link."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.engine_support import WEB_PASSWORD
from tests.web import test_browser_flows as flows
from tests.web.test_browser_flows import log_in, shot
from tests.web.test_web_network import season

# The browser flows' fixtures and skip rule: this module gets its own served instance.
pytestmark = flows.pytestmark
base_url = flows.base_url
browser = flows.browser
page = flows.page


def own_report(page: Any) -> dict[str, Any]:
    """This instance's report, through the API, as the base of the franchisees' files."""
    token = page.request.post(
        "/api/v1/auth/login", data={"username": "franchisor", "password": WEB_PASSWORD}
    ).json()["token"]
    answer = page.request.get(
        "/api/v1/network/report", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.ok, answer.text()
    report: dict[str, Any] = answer.json()
    return report


def receive(page: Any, path: Path) -> str:
    page.get_by_label("Report file (JSON)").set_input_files(str(path))
    page.get_by_role("button", name="Receive").click()
    page.wait_for_load_state()
    return str(page.locator("#receive-done, #receive-error").inner_text())


def bars_fit(page: Any) -> None:
    """Every chart's texts lie inside its drawing: nothing is cut at either side."""
    outside = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
            const box = svg.viewBox.baseVal;
            return [...svg.querySelectorAll('text')].filter(t => {
                const b = t.getBBox();
                return b.x < -0.5 || b.x + b.width > box.width + 0.5;
            }).map(t => t.textContent);
        })"""
    )
    assert outside == []


def test_the_franchisor_receives_reports_and_follows_the_network(page: Any, tmp_path: Path) -> None:
    log_in(page, "franchisor")
    page.get_by_role("link", name="Network", exact=True).click()
    page.wait_for_url("**/network")
    assert page.locator("#no-reports").is_visible()
    files = []
    for report in season(own_report(page)):
        code, month = report["instance"]["code"], report["period"]["from"][:7]
        files.append(tmp_path / f"{code}-{month}.json")
        files[-1].write_text(json.dumps(report))
    for path in files:
        assert receive(page, path).startswith("Report received")
    assert "FR · 2026-06" in page.locator("#receive-done").inner_text()
    rows = page.locator("#per-instance tbody tr")
    assert rows.count() == 2 and "2026-06" in rows.nth(0).inner_text()
    assert page.locator("#per-instance svg.chart").count() == 6
    assert page.locator("#over-time svg.chart").count() == 4
    # France's June is net of a credit note: its bar runs left of the zero line
    june = page.locator("#per-instance svg.chart").nth(3)
    assert "-€1,500.00" in june.text_content()
    bar = june.locator("rect").nth(1).bounding_box()
    zero = june.locator("line").bounding_box()
    assert bar["x"] + bar["width"] <= zero["x"] + 1
    bars_fit(page)
    shot(page, "network-franchisor")

    page.get_by_role("link", name="Year by year").click()
    page.wait_for_url("**/network?by=year")
    assert "2026 · be" in page.locator("#over-time").inner_text()
    assert "€45,000.00" in page.locator("#over-time").inner_text()
    shot(page, "network-by-year")

    stranger = tmp_path / "zz.json"
    stranger.write_text(json.dumps(own_report(page)))
    refused = receive(page, stranger)
    assert "/instance/code" in refused and "'zz' is not a franchisee" in refused
    assert page.get_by_role("alert").is_visible()
    shot(page, "network-refused")

    page.goto("/language/fr?next=/network")
    assert "Rapport du réseau" in page.content() and "Année par année" in page.content()
    bars_fit(page)
    shot(page, "network-french")


@pytest.mark.parametrize("username", ["ada", "adviser", "manager", "ethics"])
def test_the_other_roles_reach_neither_the_page_nor_its_link(page: Any, username: str) -> None:
    log_in(page, username)
    assert page.get_by_role("link", name="Network", exact=True).count() == 0
    answer = page.goto("/network")
    assert answer is not None and answer.status == 403
