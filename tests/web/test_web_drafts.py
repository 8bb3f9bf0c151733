"""Drafts through the API and the pages: a holder saves a draft invoice; where the
office validates documents, submitting sends it to the office's staff, who return it
with a reason or validate it (the number is given then); a member may not validate."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from partage.core.platform.db.engine import make_engine
from partage.core.sales import drafts
from tests.documents_support import CountryWorld
from tests.web.test_web_ui import log_in, token
from tests.web_support import Served, serve

API = "/api/v1"
LINE = {"description": "Design", "quantity": "2", "unit_price": "80", "unit": "day"}


def office_validates(world: CountryWorld) -> None:
    with world.act() as s:
        drafts.set_validation(s, world.coop.instance.offices[0].code, True, actor="t")


@pytest.fixture
def be(sqlite_url: str) -> Iterator[Served]:
    engine: Engine = make_engine(sqlite_url)
    yield from serve(engine, office_validates)
    engine.dispose()


def test_a_draft_goes_to_the_office_which_returns_then_validates_it(be: Served) -> None:
    ada, adviser = be.bearer("ada"), be.bearer("adviser")
    saved = be.client.post(
        f"{API}/entities/{be.entity}/drafts",
        json={"kind": "invoice", "client": "C000001", "lines": [LINE], "notes": "Thanks"},
        headers=ada,
    )
    assert saved.status_code == 201, saved.text
    draft = saved.json()["id"]
    sent = be.client.post(f"{API}/entities/{be.entity}/drafts/{draft}/submit", headers=ada)
    assert sent.status_code == 200 and sent.json()["status"] == "submitted", sent.text
    assert be.client.get(f"{API}/drafts/", headers=ada).status_code == 403
    waiting = be.client.get(f"{API}/drafts/", headers=adviser).json()
    assert [d["id"] for d in waiting] == [draft]
    back = be.client.post(
        f"{API}/drafts/{draft}/return", json={"reason": "Add the order number"}, headers=adviser
    )
    assert back.json()["status"] == "returned" and back.json()["reason"] == "Add the order number"
    # the member sees the reason on the draft's page, edits and submits it again
    log_in(be.client, "ada")
    page = be.client.get(f"/entities/{be.entity}/drafts/{draft}")
    assert page.status_code == 200 and "Add the order number" in page.text
    again = be.client.post(
        f"/entities/{be.entity}/drafts/{draft}",
        data={"_csrf_token": token(page.text), "client": "C000001", "description_0": "Design",
              "quantity_0": "2", "unit_0": "day", "unit_price_0": "80", "rate_0": "standard",
              "notes": "Order 4512", "action": "issue"},
    )  # fmt: skip
    assert again.status_code == 200, again.text
    done = be.client.post(f"{API}/drafts/{draft}/validate", headers=adviser)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "issued" and done.json()["issued"].startswith("F2026-")
    invoice = be.client.get(
        f"/entities/{be.entity}/invoices/{done.json()['issued']}", follow_redirects=True
    )
    assert "Order 4512" in invoice.text and "160" in invoice.text


def test_the_advisers_see_the_drafts_to_validate_among_their_needs(be: Served) -> None:
    ada = be.bearer("ada")
    draft = be.client.post(
        f"{API}/entities/{be.entity}/drafts",
        json={"kind": "quote", "client": "C000001", "lines": [LINE]},
        headers=ada,
    ).json()["id"]
    be.client.post(f"{API}/entities/{be.entity}/drafts/{draft}/submit", headers=ada)
    log_in(be.client, "adviser")
    listing = be.client.get("/entities")
    assert 'data-need="drafts"' in listing.text
    queue = be.client.get("/drafts")
    assert queue.status_code == 200 and f'data-draft="{draft}"' in queue.text
