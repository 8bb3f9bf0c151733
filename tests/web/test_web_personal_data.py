"""A person's data on the web: the administrators' API exports (JSON, PDF) and erases,
every other role is refused; the ``/persons`` page in a real browser finds a private
client, downloads its export, erases it once, shows a refusal with its reason.

The world (tests/engine_support.py): P000001 is Ada (member 1, entity E000001);
C000002 is Bob's private client, whose invoice is unpaid.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from partage.core.members import service as members
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.sales import invoices, payments
from partage.core.sales.invoices import LineInput
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, web_site
from tests.web.test_browser_flows import log_in
from tests.web.test_web_access import BACKEND_PARAMS, Served, serve_world
from tests.web_support import served_over_http

ROLES = ("ada", "adviser", "manager", "ethics", "franchisor")


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with serve_world(request.param, tmp_path_factory.mktemp("personal")) as world:
        yield world


def paid_private_client(site: Site, name: str) -> str:
    """A private client of Ada's entity whose one invoice is paid in full."""
    with transaction(site.sessions) as s:
        party = members.register_party(
            s,
            site.coop,
            address="1 Main Street\n1000 Town",
            name=name,
            kind="client",
            country="ZZ",
            actor="t",
            member_id=1,
        )
        invoice = invoices.issue_invoice(
            s, site.coop, entity="E000001", client=party.code,
            lines=[LineInput("Portrait", "1", "100")], on=WEB_DAY, actor="t",
        )  # fmt: skip
        payments.receive_payment(
            s, site.coop, key=f"pay-{party.code}", entity="E000001", client=party.code,
            amount=str(invoice.total / 100), on=WEB_DAY, actor="t", method="bank",
        )  # fmt: skip
        return party.code


def test_only_administrators_export_or_erase(served: Served) -> None:
    for role in ROLES:
        headers = served.headers[role]
        export = served.client.get("/api/v1/persons/P000001/export", headers=headers)
        erase = served.client.post(
            "/api/v1/persons/C000002/erasure", json={"reason": "x"}, headers=headers
        )
        assert (export.status_code, erase.status_code) == (403, 403), role
        assert "Ada" not in export.text


def test_the_api_exports_json_and_pdf_and_the_audit_log_says_so(served: Served) -> None:
    admin = served.headers["admin"]
    answer = served.client.get("/api/v1/persons/P000001/export", headers=admin)
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    exported = answer.json()
    assert exported["person"]["first_name"] == "Ada"
    assert {k["kind"] for k in exported["kept"]} >= {"audit record"}
    pdf = served.client.get("/api/v1/persons/P000001/export?format=pdf", headers=admin)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    log = served.client.get(
        "/api/v1/audit?action=privacy.export&subject=person:P000001", headers=admin
    ).json()
    assert log["total"] >= 2
    assert {r["actor"] for r in log["records"]} == {"user:admin"}
    missing = served.client.get("/api/v1/persons/P999999/export", headers=admin)
    assert missing.status_code == 404


def test_the_api_erases_once_refuses_with_reasons_and_needs_a_reason(served: Served) -> None:
    admin = served.headers["admin"]
    code = paid_private_client(served.site, "Yves Private")
    first = served.client.post(
        f"/api/v1/persons/{code}/erasure", json={"reason": "letter"}, headers=admin
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["already"] is False
    assert {"invoice", "posted entry line"} <= {k["kind"] for k in body["kept"]}
    again = served.client.post(
        f"/api/v1/persons/{code}/erasure", json={"reason": "letter"}, headers=admin
    )
    assert again.json()["already"] is True
    assert "Yves" not in served.client.get("/api/v1/parties", headers=admin).text
    owed = served.client.post(
        "/api/v1/persons/C000002/erasure", json={"reason": "letter"}, headers=admin
    )
    assert owed.status_code == 409 and "invoices still owed" in owed.json()["detail"]
    blank = served.client.post(
        "/api/v1/persons/C000002/erasure", json={"reason": ""}, headers=admin
    )
    assert blank.status_code in (400, 422)


# --- in a real browser ------------------------------------------------------------------
@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('persons') / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with served_over_http(create_app(site)) as url:
        yield site, url
    engine.dispose()


def test_an_administrator_exports_and_erases_on_the_persons_page(
    chromium: Any, site_url: tuple[Site, str], tmp_path: Path
) -> None:
    site, url = site_url
    code = paid_private_client(site, "Xavier Private")
    context = chromium.new_context(base_url=url, accept_downloads=True)
    page = context.new_page()
    try:
        log_in(page, "admin")
        page.get_by_role("link", name="Personal data").click()
        page.get_by_label("Person or party code").fill(code)
        page.get_by_role("button", name="Find").click()
        assert page.locator("#subject").inner_text() == f"party:{code}"
        assert "invoice" in page.locator("#kept").inner_text()
        with page.expect_download() as download:
            page.locator("#export-json").click()
        saved = tmp_path / "export.json"
        download.value.save_as(saved)
        assert json.loads(saved.read_text(encoding="utf-8"))["party"]["name"] == "Xavier Private"
        page.get_by_label("Reason (the request, its date and channel)").fill("letter of 1 July")
        page.get_by_label("I confirm").check()
        page.get_by_role("button", name="Erase").click()
        assert page.locator("#done").inner_text() == f"Erased: {code}"
        assert page.locator("#erased-at").is_visible()
        assert page.locator("#erase-person").count() == 0
        page.get_by_label("Person or party code").fill("C000002")
        page.get_by_role("button", name="Find").click()
        page.get_by_label("Reason (the request, its date and channel)").fill("letter")
        page.get_by_label("I confirm").check()
        page.get_by_role("button", name="Erase").click()
        assert "invoices still owed by the client" in page.locator("#refusal").inner_text()
    finally:
        context.close()


def test_the_persons_page_is_refused_to_a_member(chromium: Any, site_url: tuple[Site, str]) -> None:
    _, url = site_url
    context = chromium.new_context(base_url=url)
    page = context.new_page()
    try:
        log_in(page, "ada")
        answer = page.goto("/persons?code=P000001")
        assert answer is not None and answer.status == 403
        assert "Testperson" not in page.content()
    finally:
        context.close()
