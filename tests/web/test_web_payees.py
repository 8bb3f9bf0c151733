"""Suppliers' bank accounts through the API and the pages: a member's upload proposes
an account that members see waiting and only staff may vouch for; the four-eyes rule
keeps the login that brought an account in from confirming it; the entity's purchases
say whether a payment file may pay them; the staff's queue page confirms and rejects."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from litestar.testing import TestClient
from sqlalchemy import Engine, select

from partage.core.access.logins import create_user
from partage.core.contract.documents import PaymentInstructions
from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.models import AuditRecord
from tests.documents_support import (
    SUPPLIER_IBAN,
    SUPPLIER_REFERENCE,
    CountryWorld,
    fund,
    supplier_document,
    supplier_ubl,
)
from tests.engine_support import WEB_PASSWORD
from tests.web.test_web_ui import log_in as log_in_fr
from tests.web.test_web_ui import token
from tests.web_support import Served, serve

ROGUE_IBAN = "BE62510007547061"


def prepare(world: CountryWorld) -> None:
    """Ada's entity funded, and a second staff login of the office (a manager)."""
    fund(world)
    with world.act() as s:
        create_user(
            s,
            PasswordHasher.from_parameters(CHEAPEST),
            username="manager",
            password=WEB_PASSWORD,
            role="office_manager",
            office=world.coop.instance.offices[0].code,
            actor="t",
        )


@pytest.fixture
def be(engine: Engine) -> Iterator[Served]:
    yield from serve(engine, prepare)


@pytest.fixture
def be_ui(sqlite_url: str) -> Iterator[Served]:
    engine = make_engine(sqlite_url)
    yield from serve(engine, prepare)
    engine.dispose()


def log_in(client: TestClient[Any], username: str) -> None:
    """Log in, the interface in English (the Belgian instance speaks French first)."""
    log_in_fr(client, username)
    client.get("/language/en")


def invoice(number: str, iban: str) -> bytes:
    document = supplier_document(number=number, lines=(("Affiches A2", "1", "200"),))
    return supplier_ubl(
        replace(document, payment=PaymentInstructions("58", iban, SUPPLIER_REFERENCE, None))
    )


def upload(be: Served, content: bytes, who: str) -> dict[str, Any]:
    answer = be.client.post(
        f"/api/v1/entities/{be.entity}/purchases/import",
        json={"filename": "inv.xml", "content_base64": base64.b64encode(content).decode()},
        headers=be.bearer(who),
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def queue(be: Served, who: str = "adviser") -> list[dict[str, Any]]:
    answer = be.client.get("/api/v1/payees?status=pending", headers=be.bearer(who))
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_a_members_upload_waits_for_staff_and_members_may_not_vouch_for_it(be: Served) -> None:
    done = upload(be, invoice("INV-1", ROGUE_IBAN), "ada")
    assert [w["rule"] for w in done["warnings"] if w["rule"] == "PAYEE"] == ["PAYEE"]
    (purchase,) = be.client.get(
        f"/api/v1/entities/{be.entity}/purchases", headers=be.bearer("ada")
    ).json()
    assert (purchase["payee_iban"], purchase["payment"]) == (ROGUE_IBAN, "no_verified_account")
    assert "no verified bank account" in purchase["payment_hold"]

    (mine,) = be.client.get(f"/api/v1/entities/{be.entity}/payees", headers=be.bearer("ada")).json()
    assert (mine["iban"], mine["status"], mine["held"]) == (ROGUE_IBAN, "pending", 1)
    assert mine["proposed_by"] is None and mine["document"] is None  # staff's to see
    (queued,) = queue(be)
    assert (queued["proposed_by"], queued["document"]) == (
        "user:ada",
        f"invoice INV-1 for {be.entity}",
    )

    ada = be.bearer("ada")
    refused = [
        be.client.get("/api/v1/payees", headers=ada),
        be.client.post(f"/api/v1/payees/{queued['id']}/confirm", headers=ada),
        be.client.post(
            f"/api/v1/payees/{queued['id']}/reject", json={"reason": "mine"}, headers=ada
        ),
        be.client.post(
            "/api/v1/payees", json={"supplier": queued["supplier"], "iban": ROGUE_IBAN}, headers=ada
        ),
    ]
    assert [(r.status_code, r.json()["field"]) for r in refused] == [(403, "role")] * 4
    assert queue(be)[0]["status"] == "pending"

    confirmed = be.client.post(
        f"/api/v1/payees/{queued['id']}/confirm", headers=be.bearer("adviser")
    )
    assert confirmed.status_code == 200, confirmed.text
    assert (confirmed.json()["status"], confirmed.json()["decided_by"]) == (
        "verified",
        "user:adviser",
    )
    (purchase,) = be.client.get(
        f"/api/v1/entities/{be.entity}/purchases", headers=be.bearer("ada")
    ).json()
    assert (purchase["payment"], purchase["payment_hold"]) == ("verified", None)


def test_the_four_eyes_rule_refuses_the_uploaders_own_confirmation(be: Served) -> None:
    upload(be, invoice("INV-1", ROGUE_IBAN), "adviser")
    (queued,) = queue(be)
    own = be.client.post(f"/api/v1/payees/{queued['id']}/confirm", headers=be.bearer("adviser"))
    assert own.status_code == 403, own.text
    problem = own.json()
    assert problem["type"] == "urn:partage:problem:four-eyes"
    assert problem["field"] == "account"
    assert "four-eyes rule: user:adviser brought in the account" in problem["rule"]
    assert queue(be)[0]["status"] == "pending"
    other = be.client.post(f"/api/v1/payees/{queued['id']}/confirm", headers=be.bearer("manager"))
    assert other.status_code == 200, other.text


def test_a_conflicting_document_is_queued_beside_the_verified_account(be: Served) -> None:
    upload(be, invoice("INV-1", SUPPLIER_IBAN), "ada")
    (first,) = queue(be)
    be.client.post(f"/api/v1/payees/{first['id']}/confirm", headers=be.bearer("adviser"))
    upload(be, invoice("INV-2", ROGUE_IBAN), "ada")
    (conflict,) = queue(be)
    assert (conflict["iban"], conflict["verified_iban"], conflict["held"]) == (
        ROGUE_IBAN,
        SUPPLIER_IBAN,
        1,
    )
    purchases = be.client.get(
        f"/api/v1/entities/{be.entity}/purchases", headers=be.bearer("ada")
    ).json()
    assert {p["supplier_reference"]: p["payment"] for p in purchases} == {
        "INV-1": "verified",
        "INV-2": "account_pending",
    }
    rejected = be.client.post(
        f"/api/v1/payees/{conflict['id']}/reject",
        json={"reason": "the supplier never changed banks"},
        headers=be.bearer("manager"),
    )
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected" and queue(be) == []
    with be.site.sessions() as session:
        trail = [
            (r.action, r.actor)
            for r in session.scalars(
                select(AuditRecord)
                .where(AuditRecord.action.startswith("payee_account."))
                .order_by(AuditRecord.id)
            )
        ]
    assert trail == [
        ("payee_account.propose", "user:ada"),
        ("payee_account.confirm", "user:adviser"),
        ("payee_account.conflict", "user:ada"),
        ("payee_account.reject", "user:manager"),
    ]


def test_staff_enter_an_account_verified_at_once(be: Served) -> None:
    upload(be, invoice("INV-1", ROGUE_IBAN), "ada")
    (queued,) = queue(be)
    entered = be.client.post(
        "/api/v1/payees",
        json={"supplier": queued["supplier"], "iban": SUPPLIER_IBAN, "bic": "GKCCBEBB"},
        headers=be.bearer("adviser"),
    )
    assert entered.status_code == 201, entered.text
    assert (entered.json()["status"], entered.json()["source"]) == ("verified", "staff")
    bad = be.client.post(
        "/api/v1/payees",
        json={"supplier": queued["supplier"], "iban": "BE00123456789"},
        headers=be.bearer("adviser"),
    )
    assert bad.status_code == 422 and "is not valid" in bad.json()["rule"]


def test_the_queue_page_confirms_and_refuses_the_uploaders_confirmation(be_ui: Served) -> None:
    upload(be_ui, invoice("INV-1", ROGUE_IBAN), "adviser")
    client = be_ui.client
    log_in(client, "ada")
    assert client.get("/payees").status_code == 403
    log_in(client, "adviser")
    page = client.get("/payees")
    assert page.status_code == 200 and ROGUE_IBAN in page.text
    (queued,) = queue(be_ui)
    own = client.post(f"/payees/{queued['id']}/confirm", data={"_csrf_token": token(page.text)})
    assert own.status_code == 403 and "four-eyes rule" in own.text
    log_in(client, "manager")
    page = client.get("/payees")
    done = client.post(
        f"/payees/{queued['id']}/confirm",
        data={"_csrf_token": token(page.text)},
        follow_redirects=True,
    )
    assert done.status_code == 200 and f"Account {queued['id']} confirmed" in done.text
    assert queue(be_ui) == []


def test_the_entity_page_says_which_invoices_are_held(be_ui: Served) -> None:
    upload(be_ui, invoice("INV-1", ROGUE_IBAN), "ada")
    log_in(be_ui.client, "ada")
    page = be_ui.client.get(f"/entities/{be_ui.entity}").text
    assert 'data-payment="no_verified_account"' in page
    assert f"held: IBAN {ROGUE_IBAN} waits for staff to confirm it" in page
