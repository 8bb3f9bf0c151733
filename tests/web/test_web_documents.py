"""An issued invoice's PDF and e-invoice from the web application: the API answers the
stored bytes with their SHA-256 as ETag, the interface links to them, another member's
invoice is "not found", and every refusal (a format that refuses the invoice, an
instance without issuer) stores nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from lxml import etree
from sqlalchemy import Engine, func, select

from partage.core.documents.models import InvoiceFile
from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.models import AuditRecord
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web.test_web_ui import log_in
from tests.web_support import Served, serve

UBL_INVOICE = "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"


@pytest.fixture
def be(engine: Engine) -> Iterator[Served]:
    """The Belgian site on each backend."""
    yield from serve(engine)


@pytest.fixture
def be_ui(sqlite_url: str) -> Iterator[Served]:
    """The Belgian site on SQLite, for the interface (same code paths as the API)."""
    engine = make_engine(sqlite_url)
    yield from serve(engine)
    engine.dispose()


# --- the API --------------------------------------------------------------------------------
def test_the_holder_downloads_the_pdf_kept_from_the_first_request(be: Served) -> None:
    ada = be.bearer("ada")
    first = be.client.get(be.url(be.business, "pdf"), headers=ada)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"] == "application/pdf"
    assert first.content.startswith(b"%PDF-")
    assert first.headers["content-disposition"] == f'attachment; filename="{be.business}.pdf"'
    assert first.headers["etag"] == f'"{hashlib.sha256(first.content).hexdigest()}"'

    again = be.client.get(be.url(be.business, "pdf"), headers=be.bearer("adviser"))
    assert again.status_code == 200
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert be.stored() == [(be.business, "pdf")]
    with be.site.sessions() as session:
        issued = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "document.issue")
        ).all()
    assert [(a.actor, a.subject) for a in issued] == [("user:ada", f"invoice:{be.business}")]

    held = be.client.get(
        be.url(be.business, "pdf"), headers={**ada, "If-None-Match": first.headers["etag"]}
    )
    assert held.status_code == 304 and held.content == b""
    assert held.headers["etag"] == first.headers["etag"]


def test_the_einvoice_of_a_belgian_business_client_is_peppol_ubl(be: Served) -> None:
    answer = be.client.get(be.url(be.business, "einvoice"), headers=be.bearer("ada"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/xml")
    assert answer.headers["content-disposition"] == f'attachment; filename="{be.business}.xml"'
    root = etree.fromstring(answer.content)
    assert root.tag == UBL_INVOICE
    assert root.findtext("{*}ID") == be.business
    assert answer.headers["etag"] == f'"{hashlib.sha256(answer.content).hexdigest()}"'
    # The e-invoice starts from the PDF: both are stored, once each.
    assert be.stored() == [(be.business, "pdf"), (be.business, "peppol-bis-3")]
    again = be.client.get(be.url(be.business, "einvoice"), headers=be.bearer("adviser"))
    assert again.content == answer.content and len(be.stored()) == 2


def test_another_members_invoice_is_not_found_like_an_unknown_one(be: Served) -> None:
    bob = be.bearer("bob")
    through_adas = be.client.get(be.url(be.business, "pdf"), headers=bob)
    assert through_adas.status_code == 404
    assert through_adas.json()["type"] == "urn:partage:problem:not-found"
    # Through his own entity, Ada's number gets the very answer an unknown number gets.
    adas = be.client.get(be.url(be.business, "pdf", be.other), headers=bob)
    unknown = be.client.get(be.url("F2026-999999", "einvoice", be.other), headers=bob)
    assert adas.status_code == unknown.status_code == 404
    assert adas.json()["detail"].replace(be.business, "N") == unknown.json()["detail"].replace(
        "F2026-999999", "N"
    )
    assert be.entity not in adas.text
    # Nor does Ada reach Bob's invoice through her entity.
    assert be.client.get(be.url(be.bobs, "pdf"), headers=be.bearer("ada")).status_code == 404
    assert be.stored() == []
    assert be.client.get(be.url(be.bobs, "pdf", be.other), headers=bob).status_code == 200


def test_a_language_the_instance_does_not_speak_is_refused_naming_the_field(
    be: Served,
) -> None:
    answer = be.client.get(f"{be.url(be.business, 'pdf')}?language=es", headers=be.bearer("ada"))
    assert answer.status_code == 422
    assert answer.json()["field"] == "language" and "'es'" in answer.json()["rule"]
    assert be.stored() == []


def test_without_a_login_the_files_answer_401(be: Served) -> None:
    answer = be.client.get(be.url(be.business, "pdf"))
    assert answer.status_code == 401 and be.stored() == []


def test_a_private_clients_einvoice_is_refused_naming_the_peppol_rule(be: Served) -> None:
    answer = be.client.get(be.url(be.private, "einvoice"), headers=be.bearer("ada"))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["type"] == "urn:partage:problem:einvoice-refused"
    assert "PEPPOL-EN16931-R010" in problem["rule"]
    assert be.stored() == []  # not even the PDF the e-invoice starts from
    pdf = be.client.get(be.url(be.private, "pdf"), headers=be.bearer("ada"))
    assert pdf.status_code == 200 and be.stored() == [(be.private, "pdf")]


def test_an_instance_without_issuer_refuses_naming_instance_issuer(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    site = web_site(engine)
    assert isinstance(site, Site) and site.coop.instance.issuer is None
    with TestClient(create_app(site)) as client:
        token = client.post(
            "/api/v1/auth/login", json={"username": "ada", "password": WEB_PASSWORD}
        ).json()["token"]
        ada = {"Authorization": f"Bearer {token}"}
        number = client.get("/api/v1/entities/E000001/invoices", headers=ada).json()[0]["number"]
        for kind in ("pdf", "einvoice"):
            answer = client.get(f"/api/v1/entities/E000001/invoices/{number}/{kind}", headers=ada)
            assert answer.status_code == 409
            problem = answer.json()
            assert problem["type"] == "urn:partage:problem:issuer-missing"
            assert problem["field"] == "instance.issuer"
            assert "needed to issue documents" in problem["rule"]
        log_in(client, "ada")
        page = client.get("/entities/E000001").text
        assert f"/invoices/{number}/pdf" not in page  # no link to a file it cannot issue
    with site.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InvoiceFile)) == 0
    engine.dispose()


def test_the_openapi_document_names_both_operations(be: Served) -> None:
    schema = be.client.get("/api/v1/schema/openapi.json").json()
    path = "/api/v1/entities/{code}/invoices/{number}"
    pdf, einvoice = (
        schema["paths"][f"{path}/pdf"]["get"],
        schema["paths"][f"{path}/einvoice"]["get"],
    )
    assert (pdf["operationId"], einvoice["operationId"]) == ("invoice_pdf", "invoice_einvoice")
    assert "application/pdf" in pdf["responses"]["200"]["content"]
    assert {"404", "409", "422"} <= set(einvoice["responses"])


# --- the interface --------------------------------------------------------------------------
LINK = re.compile(r'href="(/entities/[^"]+/invoices/[^"]+/(?:pdf|einvoice))"')


def test_the_entity_page_and_the_quick_job_link_the_files(be_ui: Served) -> None:
    client = be_ui.client
    log_in(client, "ada")
    page = client.get(f"/entities/{be_ui.entity}").text
    links = set(LINK.findall(page))
    for number in (be_ui.business, be_ui.private):
        for kind in ("pdf", "einvoice"):
            assert f"/entities/{be_ui.entity}/invoices/{number}/{kind}" in links
    step = client.get(f"/entities/{be_ui.entity}/quick-job/invoice/{be_ui.business}")
    assert step.status_code == 200
    assert set(LINK.findall(step.text)) == {
        f"/entities/{be_ui.entity}/invoices/{be_ui.business}/pdf",
        f"/entities/{be_ui.entity}/invoices/{be_ui.business}/einvoice",
    }
    french = client.get(f"/entities/{be_ui.entity}?lang=fr").text
    assert "Facture électronique" in french and "Dernières factures" in french


def test_the_interface_downloads_the_pdf_for_the_logged_in_holder(be_ui: Served) -> None:
    client = be_ui.client
    path = f"/entities/{be_ui.entity}/invoices/{be_ui.business}/pdf"
    anonymous = client.get(path, follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert be_ui.stored() == []
    log_in(client, "ada")
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    assert answer.headers["content-disposition"].startswith("attachment;")
    assert be_ui.stored() == [(be_ui.business, "pdf")]
    api = client.get(be_ui.url(be_ui.business, "pdf"), headers=be_ui.bearer("ada"))
    assert api.content == answer.content


def test_the_interface_shows_refusals_as_pages_and_stores_nothing(be_ui: Served) -> None:
    client = be_ui.client
    log_in(client, "bob")
    other = client.get(f"/entities/{be_ui.entity}/invoices/{be_ui.business}/pdf")
    assert other.status_code == 404 and "%PDF" not in other.text
    log_in(client, "ada")
    refused = client.get(f"/entities/{be_ui.entity}/invoices/{be_ui.private}/einvoice")
    assert refused.status_code == 422
    assert "text/html" in refused.headers["content-type"] and "PEPPOL-EN16931-R010" in refused.text
    assert be_ui.stored() == []
