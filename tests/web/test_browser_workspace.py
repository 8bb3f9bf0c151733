"""The advisers' workspace in a real browser (Debian's Chromium driven by Playwright):
the adviser sees what needs them first, searches and pages their office's entities,
reads the office's chart with the entity short of funds below zero, writes in a
member's follow-up record, plans a workshop and marks who came; the member then reads
the appointment shown to them and not the note kept for staff.

Screenshots go to ``test-artifacts/browser/``; skipped, with the reason, where
/usr/bin/chromium is not installed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.members import service as members
from partage.core.members.models import Office
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, web_site
from tests.web.test_browser_flows import log_in, shot
from tests.web_support import served_over_http

#: Entities added to office cap, so that its list runs to two pages of 50.
STALLS = 60


@pytest.fixture
def served(tmp_path: Any) -> Iterator[tuple[str, Site]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with transaction(site.sessions) as session:
        for n in range(STALLS):
            members.open_entity(
                session,
                site.coop,
                holders=[1 + n % 2],
                name=f"Market stall {n:02d}",
                kind="maker",
                office="cap",
                on=WEB_DAY,
                actor="t",
            )
    with served_over_http(create_app(site)) as url:
        yield url, site
    engine.dispose()


def test_the_adviser_works_from_the_workspace(served: tuple[str, Site], chromium: Any) -> None:
    url, _site = served
    context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, "adviser")
        page.get_by_role("link", name="Entities", exact=True).click()
        page.wait_for_url("**/entities")
        needs = page.locator("#needs")
        assert needs.locator('[data-need="short"] dd').inner_text() == "1"
        assert "Entities found: 62 (page 1 of 2)" in page.locator("#found").inner_text()
        assert page.locator("#entities tbody tr").count() == 50
        shot(page, "workspace-1-needs-and-list")

        page.get_by_role("link", name="Next page").click()
        assert page.locator("#entities tbody tr").count() == 12
        page.get_by_label("Search (code, name, member)").fill("bakery")
        page.get_by_role("button", name="Show").click()
        rows = page.locator("#entities tbody tr")
        assert rows.count() == 1 and rows.first.get_attribute("data-entity") == "E000002"
        page.get_by_label("Search (code, name, member)").fill("")
        page.get_by_label("State").select_option("short")
        page.get_by_label("Sort by").select_option("funds")
        page.get_by_role("button", name="Show").click()
        rows = page.locator("#entities tbody tr")
        assert rows.count() == 1 and "short" in (rows.first.get_attribute("class") or "")
        shot(page, "workspace-2-short-of-funds")

        page.get_by_role("link", name="My office").click()
        chart = page.locator("svg.chart rect")
        assert chart.count() == 15  # the lowest funds, not 62 bars
        assert float(chart.first.get_attribute("data-value") or "0") < 0
        assert float(chart.first.get_attribute("width") or "0") > 0  # drawn, not vanished
        assert "and 47 other entities" in page.locator("#others").inner_text()
        shot(page, "workspace-3-office-chart")

        page.goto("/entities?q=bakery")
        page.locator("#entities").get_by_role("link", name="Bob").first.click()
        page.wait_for_url("**/members/2")
        page.get_by_label("What").select_option("appointment")
        page.get_by_label("Subject").fill("Review of the bakery's prices")
        page.get_by_label("Appointment: day and time").fill("2026-06-02T14:00")
        page.get_by_label("Appointment: place").fill("Office, room 2")
        page.get_by_label("Visible to the member").check()
        page.get_by_role("button", name="Add").click()
        page.wait_for_url("**/members/2#record")
        page.get_by_label("What").select_option("note")
        page.get_by_label("Subject").fill("Flour costs worry him")
        page.get_by_label("Text").fill("Check the supplier's prices before the review.")
        page.get_by_role("button", name="Add").click()
        page.wait_for_url("**/members/2#record")
        assert page.locator("#record tbody tr").count() == 2
        shot(page, "workspace-4-follow-up-record")

        page.get_by_role("link", name="Workshops").click()
        page.get_by_label("Title").fill("Pricing your work")
        page.get_by_label("Day and time").fill("2026-03-01T10:00")
        page.get_by_label("Place").fill("Office cap")
        page.get_by_label("Seats").fill("8")
        page.get_by_role("button", name="Plan").click()
        page.wait_for_url("**/workshops/W*")
        for number in ("1", "2"):
            page.get_by_label("Member number").fill(number)
            page.get_by_role("button", name="Register").click()
        page.locator("#seats tr[data-member='2'] input[name=present]").check()
        page.get_by_role("button", name="Mark attendance").click()
        assert "Attendance marked." in page.locator("p.notice").inner_text()
        assert "present" in page.locator("#seats tr[data-member='2']").inner_text()
        assert "absent" in page.locator("#seats tr[data-member='1']").inner_text()
        shot(page, "workspace-5-workshop-attendance")
        page.get_by_role("button", name="Log out").click()

        log_in(page, "bob")
        page.get_by_role("link", name="My follow-up").click()
        page.wait_for_url("**/members/2")
        record = page.locator("#record").inner_text()
        assert "Review of the bakery's prices" in record and "Flour costs" not in record
        assert "Pricing your work" in page.locator("#my-workshops").inner_text()
        assert page.locator("#write").count() == 0
        shot(page, "workspace-6-member-sees-what-is-shown")
    finally:
        context.close()


def test_the_office_manager_sets_what_members_see_by_default(
    served: tuple[str, Site], chromium: Any
) -> None:
    url, site = served
    context = chromium.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, "manager")
        page.goto("/offices/sea")
        default = page.locator("#follow-up-default")
        assert "kept from the member" in default.inner_text()
        page.get_by_label("shown to the member").check()
        page.get_by_role("button", name="Save the setting").click()
        page.wait_for_url("**/offices/sea#follow-up")
        assert "is shown to the member" in page.locator("#follow-up-default").inner_text()
        assert page.get_by_label("shown to the member").is_checked()
        shot(page, "workspace-7-office-follow-up-default")
        page.goto("/offices/cap")  # another office's setting is not the manager's to change
        assert page.locator("#follow-up form").count() == 0
        page.get_by_role("button", name="Log out").click()

        log_in(page, "adviser")
        page.goto("/offices/cap")
        assert page.locator("#follow-up-default").count() == 1
        assert page.locator("#follow-up form").count() == 0  # advisers read it only
    finally:
        context.close()
    with site.sessions() as session:
        office = session.scalars(select(Office).where(Office.code == "sea")).one()
        assert office.follow_up_visible is True
        actions = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "office.follow_up_visible")
        ).all()
        assert [(a.actor, a.subject) for a in actions] == [("user:manager", "office:sea")]
