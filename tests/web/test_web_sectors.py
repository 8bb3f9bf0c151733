"""An entity's sectors, attestations and platform clients through the API and pages:
office staff change them, members read them and are refused the changes, a sector of
another country is refused to an office, and the advisers' attestations to renew are
one click from their workspace."""

from __future__ import annotations

import base64
import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from importlib import import_module
from pathlib import Path

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from partage.core.members import offices
from partage.core.members.models import Party
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.platform.registry import installed
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_DAY, web_site
from tests.web.test_web_admin import Web

SECTORS = ("couriers", "construction", "artists_be")


def install_sectors(site: Site, enabled: tuple[str, ...] = ("couriers", "construction")) -> None:
    """Register the shipped sector plugins and enable ``enabled`` in office cap."""
    for name in SECTORS:
        site.coop.plugins.register(
            import_module(f"partage.plugins.sectors.{name}"), name=f"sector:{name}"
        )
    with transaction(site.sessions) as session:
        for name in enabled:
            offices.enable_sector(
                session,
                "cap",
                name,
                installed=installed(site.coop.plugins),
                actor="t",
                enabled_from=WEB_DAY,
                today=WEB_DAY,
            )


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    install_sectors(site)
    try:
        with TestClient(create_app(site)) as client:
            yield Web(site, client)
    finally:
        for name in SECTORS:
            site.coop.plugins.unregister(name=f"sector:{name}")
        engine.dispose()


def test_the_adviser_sets_a_sector_and_the_holder_sees_its_category(web: Web) -> None:
    adviser, ada, bob = web.bearer("adviser"), web.bearer("ada"), web.bearer("bob")
    url = "/api/v1/entities/E000001/sectors"
    answer = web.client.put(url, json={"sectors": ["couriers"], "reason": "rides"}, headers=adviser)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["in_force"] == ["couriers"]
    assert body["sectors"] == [
        {"sector": "couriers", "name": "Couriers", "since": str(WEB_DAY), "until": None}
    ]
    seen = web.client.get(url, headers=ada).json()
    labels = {c["code"]: c["label"] for c in seen["expense_categories"]}
    assert labels["bike_repair"] == "Bike repair and upkeep"
    other = web.client.get("/api/v1/entities/E000002/sectors", headers=bob).json()
    assert "bike_repair" not in {c["code"] for c in other["expense_categories"]}
    with web.site.sessions() as session:
        audited = session.scalars(
            select(AuditRecord.action).where(AuditRecord.subject == "entity:E000001")
        ).all()
    assert "entity.sectors" in audited


def test_members_and_other_offices_may_not_change_sectors(web: Web) -> None:
    url = "/api/v1/entities/E000001/sectors"
    refused = web.client.put(url, json={"sectors": ["couriers"]}, headers=web.bearer("ada"))
    assert refused.status_code == 403 and refused.json()["field"] == "role"
    attest = {
        "kind": "ten_year_liability",
        "issuer": "Insurer",
        "number": "P-1",
        "valid_from": "2026-01-01",
        "valid_until": "2026-12-31",
    }
    ada_attests = web.client.post(
        "/api/v1/entities/E000001/attestations", json=attest, headers=web.bearer("ada")
    )
    assert ada_attests.status_code == 403
    platform = web.client.put(
        "/api/v1/parties/C000001/platform", json={"platform": True}, headers=web.bearer("ada")
    )
    assert platform.status_code == 403
    elsewhere = web.client.put(url, json={"sectors": ["couriers"]}, headers=web.bearer("manager"))
    assert elsewhere.status_code == 404  # office sea's manager does not reach office cap


def test_a_sector_of_another_country_is_refused_in_a_french_office(web: Web) -> None:
    coop = web.site.coop
    web.site.coop = dataclasses.replace(
        coop, instance=dataclasses.replace(coop.instance, country_plugin="fr")
    )
    admin = web.bearer("admin")
    enable = {"act": "enable", "sector": "artists_be", "confirm": "yes"}
    answer = web.client.post(
        "/api/v1/sectors/cap", json=enable, headers={**admin, "Accept-Language": "fr"}
    )
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["field"] == "sector"
    assert (
        "'artists_be' est un secteur du pays BE ; un bureau de cette instance (FR)"
        in (problem["detail"])
    )
    entity = web.client.put(
        "/api/v1/entities/E000001/sectors",
        json={"sectors": ["artists_be"]},
        headers=web.bearer("adviser"),
    )
    assert entity.status_code == 422 and entity.json()["field"] == "sectors"
    page = web.client.get("/api/v1/entities/E000001/sectors", headers=admin).json()
    assert page["enabled_in_office"] == ["construction", "couriers"]


def test_an_attestation_is_put_on_file_with_its_scan_and_listed_when_ending(web: Web) -> None:
    adviser = web.bearer("adviser")
    scan = b"%PDF-1.4 ten-year liability"
    body = {
        "kind": "ten_year_liability",
        "issuer": "Assurances du Bâtiment",
        "number": "RC-2026-17",
        "valid_from": "2026-01-01",
        "valid_until": str(WEB_DAY + timedelta(days=20)),
        "file_name": "policy.pdf",
        "file_base64": base64.b64encode(scan).decode(),
    }
    made = web.client.post("/api/v1/entities/E000001/attestations", json=body, headers=adviser)
    assert made.status_code == 201, made.text
    record = made.json()
    assert record["holder"] == "entity" and record["state"] == "ending"
    assert record["label"] == "Ten-year liability insurance"
    file = web.client.get(
        f"/api/v1/entities/E000001/attestations/{record['id']}/file", headers=web.bearer("ada")
    )
    assert file.status_code == 200 and file.content == scan
    listed = web.client.get("/api/v1/attestations", headers=adviser).json()
    assert [a["id"] for a in listed["ending"]] == [record["id"]]
    assert listed["ending"][0]["entities"] == ["E000001"]
    member_kind = {**body, "kind": "artist_work_certificate"}
    member_kind.pop("file_base64")
    refused = web.client.post(
        "/api/v1/entities/E000001/attestations", json=member_kind, headers=adviser
    )
    assert refused.status_code == 422 and refused.json()["field"] == "member"
    held = web.client.post(
        "/api/v1/entities/E000001/attestations", json={**member_kind, "member": 1}, headers=adviser
    )
    assert held.status_code == 201 and held.json()["member"] == 1
    assert web.client.get("/api/v1/attestations", headers=web.bearer("ada")).status_code == 403


def test_the_adviser_marks_a_client_as_a_platform(web: Web) -> None:
    answer = web.client.put(
        "/api/v1/parties/C000001/platform",
        json={"platform": True, "reason": "meal delivery"},
        headers=web.bearer("adviser"),
    )
    assert answer.status_code == 200 and answer.json() == {"party": "C000001", "platform": True}
    with web.site.sessions() as session:
        assert session.scalars(select(Party.platform).where(Party.code == "C000001")).one()


def test_the_workspace_links_the_attestations_count_to_their_page(web: Web) -> None:
    web.browse_as("adviser")
    workspace = web.client.get("/entities").text
    assert '<a href="/attestations">' in workspace
    page = web.client.get("/attestations?lang=de")
    assert page.status_code == 200 and "Zu erneuernde Bescheinigungen" in page.text
    sectors = web.client.get("/entities/E000001/sectors?lang=nl")
    assert sectors.status_code == 200
    assert "Sectoren en attesten" in sectors.text and "Koeriers" in sectors.text
    assert "bike_repair</" not in sectors.text


def test_a_member_reads_the_sectors_page_without_its_forms(web: Web) -> None:
    web.browse_as("ada")
    page = web.client.get("/entities/E000001/sectors")
    assert page.status_code == 200
    assert 'id="set-sectors"' not in page.text and 'id="attest"' not in page.text
    assert web.client.get("/attestations").status_code == 403


def test_the_offices_page_refuses_a_sector_of_another_country_in_french(web: Web) -> None:
    coop = web.site.coop
    web.site.coop = dataclasses.replace(
        coop, instance=dataclasses.replace(coop.instance, country_plugin="fr")
    )
    web.browse_as("admin")
    assert web.client.get("/admin/offices?lang=fr").status_code == 200
    token = web.client.cookies.get("partage_csrf")
    answer = web.client.post(
        "/admin/offices/cap/sectors?lang=fr",
        data={"act": "enable", "sector": "artists_be", "confirm": "1", "_csrf_token": token},
    )
    assert answer.status_code == 422
    assert "est un secteur du pays BE" in answer.text
