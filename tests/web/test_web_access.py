"""Every API endpoint, called by every role: who gets in, who is refused, and that a
member never reads another member's entity (tried with every other entity code)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import text

from partage.core.payroll import service as payroll
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.conftest import BACKENDS, PG_ADMIN_URL, _pg_unavailable_reason
from tests.engine_support import WEB_DAY, WEB_LOGINS, WEB_PASSWORD, web_site

ROLES = tuple(WEB_LOGINS)  # ada, bob, cyd, adviser, manager, admin, ethics, franchisor
MEMBERS = ("ada", "bob", "cyd")
ADA = "/api/v1/entities/E000001"


@dataclass
class Served:
    """A populated site, its client and one bearer header per login."""

    site: Site
    client: TestClient[Any]
    headers: dict[str, dict[str, str]]


def _database(kind: str, tmp: Path) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'web.db'}", lambda: None
    reason = _pg_unavailable_reason()
    if reason:
        pytest.skip(reason)
    name = f"partage_web_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin.url.set(database=name).render_as_string(hide_password=False), drop


@contextmanager
def serve_world(kind: str, tmp: Path) -> Iterator[Served]:
    """One populated instance on ``kind`` (sqlite or postgresql), with an hourly contract
    K000001 of member 1 paid by E000001, and every role logged in through the API."""
    url, drop = _database(kind, tmp)
    engine = make_engine(url)
    site = web_site(engine)
    assert isinstance(site, Site)
    with transaction(site.sessions) as session:
        payroll.hire(
            session,
            site.coop,
            entity="E000001",
            member=1,
            worker_category="employee",
            start=WEB_DAY.replace(day=1),
            hourly_rate="20",
            actor="t",
        )
    try:
        with TestClient(create_app(site)) as client:
            headers = {}
            for username in ROLES:
                answer = client.post(
                    "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
                )
                assert answer.status_code == 200, answer.text
                headers[username] = {"Authorization": f"Bearer {answer.json()['token']}"}
            yield Served(site, client, headers)
    finally:
        engine.dispose()
        drop()


BACKEND_PARAMS = [pytest.param(b, marks=getattr(pytest.mark, b)) for b in BACKENDS]


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """This module's instance, on each backend."""
    with serve_world(request.param, tmp_path_factory.mktemp("web")) as world:
        yield world


def expect(**statuses: int) -> dict[str, int]:
    """Expected status per login; ``members``, ``office`` and ``others`` fill groups."""
    table: dict[str, int] = {}
    groups = {
        "members": MEMBERS,
        "staff": ("adviser", "manager", "admin"),
        "others": ROLES,
    }
    for key in ("others", "staff", "members"):
        if key in statuses:
            table.update(dict.fromkeys(groups[key], statuses.pop(key)))
    table.update(statuses)
    assert set(table) == set(ROLES), f"incomplete expectation: {sorted(set(ROLES) - set(table))}"
    return table


def unique(role: str) -> str:
    return f"{role}-{uuid.uuid4().hex[:8]}"


LINES = [{"description": "Work", "quantity": "1", "unit_price": "10.00"}]
#: Reads and acts on Ada's entity E000001 (office cap): Ada, the cap adviser and the
#: administrator reach it; Bob, Cyd and the sea manager are told it does not exist;
#: the ethics committee and the franchisor are refused by role.
ON_ADA = expect(others=404, ada=200, adviser=200, admin=200, ethics=403, franchisor=403)
CREATED_ON_ADA = {r: (201 if s == 200 else s) for r, s in ON_ADA.items()}

CASES: dict[str, tuple[str, str, Callable[[str], Any] | None, dict[str, int]]] = {
    "me": ("GET", "/api/v1/me", None, expect(others=200)),
    "my member account": ("GET", "/api/v1/me/member", None, expect(others=404, members=200)),
    "my worker account": ("GET", "/api/v1/me/worker", None, expect(others=404, members=200)),
    "list entities": ("GET", "/api/v1/entities", None, expect(others=200, franchisor=403)),
    "list entities short of funds": (
        "GET",
        "/api/v1/entities?status=short&sort=funds",
        None,
        expect(others=200, ethics=403, franchisor=403),
    ),
    "Ada's invoices listed": ("GET", f"{ADA}/lists/invoices?q=a&sort=-total", None, ON_ADA),
    "Ada's payslips as CSV": ("GET", f"{ADA}/lists/payslips/csv", None, ON_ADA),
    "Ada's quotes as PDF": ("GET", f"{ADA}/lists/quotes/pdf?period=2026", None, ON_ADA),
    "what needs the office": ("GET", "/api/v1/entities/needs", None, expect(others=403, staff=200)),
    "open entity": (
        "POST",
        "/api/v1/entities",
        lambda r: (
            {"name": unique(r), "kind": "quick_job", "office": "cap"}
            | ({"holders": [2]} if r == "admin" else {})
            | ({"holders": [1]} if r == "adviser" else {})
            | ({"holders": [3], "office": "sea"} if r == "manager" else {})
        ),
        expect(others=201, ethics=403, franchisor=403),
    ),
    "Ada's follow-up record": (
        "GET",
        "/api/v1/members/1/follow-up",
        None,
        expect(others=404, ada=200, adviser=200, admin=200, ethics=403, franchisor=403),
    ),
    "write in Ada's follow-up record": (
        "POST",
        "/api/v1/members/1/follow-up",
        lambda r: {"kind": "note", "subject": f"Call with {r}"},
        expect(others=403, adviser=201, admin=201, manager=404),
    ),
    "list workshops": (
        "GET",
        "/api/v1/workshops",
        None,
        expect(others=200, ethics=403, franchisor=403),
    ),
    "plan workshop": (
        "POST",
        "/api/v1/workshops",
        lambda r: (
            {"title": unique(r), "starts_at": "2026-06-01T09:30:00"}
            | ({"office": "cap"} if r == "admin" else {})
        ),
        expect(others=403, staff=201),
    ),
    "a follow-up file": (
        "GET",
        "/api/v1/members/1/follow-up/999999/file",
        None,
        expect(others=404, ethics=403, franchisor=403),
    ),
    "a workshop": (
        "GET",
        "/api/v1/workshops/W999999",
        None,
        expect(others=404, ethics=403, franchisor=403),
    ),
    "register for a workshop": (
        "POST",
        "/api/v1/workshops/W999999/seats",
        lambda r: {"member": 1},
        expect(others=403, staff=404),
    ),
    "mark a workshop's attendance": (
        "POST",
        "/api/v1/workshops/W999999/attendance",
        lambda r: {"present": [1]},
        expect(others=403, staff=404),
    ),
    "office's follow-up default": (
        "PUT",
        "/api/v1/offices/cap/follow-up-visibility",
        lambda r: {"visible": False},
        expect(others=403, admin=200),
    ),
    "dashboard": ("GET", ADA, None, ON_ADA),
    "entity simulation": ("GET", f"{ADA}/simulation?worker_category=employee", None, ON_ADA),
    "list quotes": ("GET", f"{ADA}/quotes", None, ON_ADA),
    "send quote": (
        "POST",
        f"{ADA}/quotes",
        lambda r: {"client": "C000001", "lines": LINES},
        CREATED_ON_ADA,
    ),
    "list invoices": ("GET", f"{ADA}/invoices", None, ON_ADA),
    "issue invoice": (
        "POST",
        f"{ADA}/invoices",
        lambda r: {"client": "C000001", "lines": LINES},
        CREATED_ON_ADA,
    ),
    "declare cash": (
        "POST",
        f"{ADA}/payments",
        lambda r: {"key": unique(r), "client": "C000001", "amount": "1.00", "method": "cash"},
        CREATED_ON_ADA,
    ),
    "list entity pending acts": ("GET", f"{ADA}/pending", None, ON_ADA),
    "the staff's queue of pending acts": (
        "GET",
        "/api/v1/pending",
        None,
        expect(others=403, staff=200),
    ),
    "record bank payment": (
        "POST",
        f"{ADA}/payments",
        lambda r: {"key": unique(r), "client": "C000001", "amount": "1.00", "method": "bank"},
        expect(members=403, adviser=201, manager=404, admin=201, ethics=403, franchisor=403),
    ),
    "list expense claims": ("GET", f"{ADA}/expense-claims", None, ON_ADA),
    "claim expense": (
        "POST",
        f"{ADA}/expense-claims",
        lambda r: {
            "category": "travel",
            "net": "1.50",
            "receipt_name": "ticket.pdf",
            "receipt_base64": "dGlja2V0",
            "member": 1,
        },
        CREATED_ON_ADA,
    ),
    "list contracts": ("GET", f"{ADA}/contracts", None, ON_ADA),
    "hire": (
        "POST",
        f"{ADA}/contracts",
        lambda r: {
            "worker_category": "employee",
            "start": "2026-07-06",
            "hourly_rate": "15.00",
            "member": 1,
        },
        CREATED_ON_ADA,
    ),
    "pay a month": (
        "POST",
        f"{ADA}/contracts/K000001/payslips",
        lambda r: {
            "month": {"adviser": "2026-07-01", "admin": "2026-08-01"}.get(r, "2026-09-01"),
            "hours": "2",
        },
        expect(members=403, adviser=201, manager=404, admin=201, ethics=403, franchisor=403),
    ),
    "list payslips": ("GET", f"{ADA}/payslips", None, ON_ADA),
    "simulate budget": (
        "POST",
        "/api/v1/simulations/budget",
        lambda r: {"invoiced": "1000.00", "worker_category": "employee"},
        expect(others=200, ethics=403, franchisor=403),
    ),
    "list parties": (
        "GET",
        "/api/v1/parties",
        None,
        expect(others=200, ethics=403, franchisor=403),
    ),
    "register party": (
        "POST",
        "/api/v1/parties",
        lambda r: {"name": unique(r), "kind": "client", "country": "ZZ"},
        expect(others=201, ethics=403, franchisor=403),
    ),
    "list applications": (
        "GET",
        "/api/v1/applications",
        None,
        expect(others=403, ethics=200, admin=200),
    ),
    "export personal data": (
        "GET",
        "/api/v1/persons/P000001/export",
        None,
        expect(others=403, admin=200),
    ),
    "erase personal data": (
        "POST",
        "/api/v1/persons/C000002/erasure",
        lambda r: {"reason": "asked"},
        expect(others=403, admin=409),  # the client still owes on its invoice
    ),
    "list offices": ("GET", "/api/v1/offices", None, expect(others=403, staff=200)),
    "office view": ("GET", "/api/v1/offices/cap", None, expect(others=403, adviser=200, admin=200)),
    "instance figures": ("GET", "/api/v1/instance/figures", None, expect(others=403, admin=200)),
    "risk report": ("GET", "/api/v1/risk/report", None, expect(others=403, staff=200)),
    "allocate to the fund": (
        "POST",
        "/api/v1/risk/allocations",
        lambda r: {"amount": "1.00", "reason": f"general assembly ({r})"},
        expect(others=403, admin=201),
    ),
    "risk takeovers": ("GET", "/api/v1/risk/takeovers", None, expect(others=403, staff=200)),
    "run takeovers": (
        "POST",
        "/api/v1/risk/takeovers",
        lambda r: {},
        expect(others=403, admin=200),
    ),
    "statutory statements": (
        "GET",
        "/api/v1/instance/statutory?from=2026-01-01&to=2026-07-06",
        None,
        expect(others=403, admin=200),
    ),
    "network report": (
        "GET",
        "/api/v1/network/report",
        None,
        expect(others=403, admin=200, franchisor=200),
    ),
    "create login": (
        "POST",
        "/api/v1/users",
        lambda r: {
            "username": unique(r).replace("-", "."),
            "password": "long enough pass",
            "role": "ethics_committee",
        },
        expect(others=403, admin=201),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_role_gets_the_status_its_rights_give(served: Served, case: str) -> None:
    method, path, body, expected = CASES[case]
    seen = {}
    for role in ROLES:
        answer = served.client.request(
            method, path, headers=served.headers[role], json=body(role) if body else None
        )
        seen[role] = answer.status_code
        if answer.status_code >= 400:
            problem = answer.json()
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert problem["status"] == answer.status_code and problem["detail"], problem
    assert seen == expected


def test_without_a_token_every_endpoint_answers_401(served: Served) -> None:
    for method, path, body, _ in CASES.values():
        answer = served.client.request(method, path, json=body("none") if body else None)
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.json()["type"] == "urn:partage:problem:unauthenticated"


def test_a_forged_or_closed_token_is_refused(served: Served) -> None:
    forged = served.client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert forged.status_code == 401
    token = served.client.post(
        "/api/v1/auth/login", json={"username": "bob", "password": WEB_PASSWORD}
    ).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert served.client.get("/api/v1/me", headers=bearer).status_code == 200
    assert served.client.post("/api/v1/auth/logout", headers=bearer).json() == {"closed": True}
    assert served.client.get("/api/v1/me", headers=bearer).status_code == 401


def test_a_wrong_password_or_unknown_login_gets_the_same_401(served: Served) -> None:
    wrong = served.client.post("/api/v1/auth/login", json={"username": "ada", "password": "x"})
    unknown = served.client.post("/api/v1/auth/login", json={"username": "zed", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_a_member_never_reads_another_members_entity(served: Served) -> None:
    own = {"ada": "E000001", "bob": "E000002", "cyd": "E000003"}
    for member, mine in own.items():
        for code in own.values():
            for suffix in (
                "",
                "/invoices",
                "/quotes",
                "/payslips",
                "/contracts",
                "/lists/invoices",
            ):
                answer = served.client.get(
                    f"/api/v1/entities/{code}{suffix}", headers=served.headers[member]
                )
                if code == mine:
                    assert answer.status_code == 200
                else:
                    assert answer.status_code == 404, (member, code, suffix)
                    assert "E0000" not in json.dumps(answer.json()).replace(code, "")
        listed = served.client.get("/api/v1/entities", headers=served.headers[member]).json()
        others = set(own.values()) - {mine}
        assert mine in {e["code"] for e in listed}
        assert not others & {e["code"] for e in listed}


def test_advisers_see_their_office_only(served: Served) -> None:
    adviser = served.client.get("/api/v1/entities", headers=served.headers["adviser"]).json()
    manager = served.client.get("/api/v1/entities", headers=served.headers["manager"]).json()
    assert {e["office"] for e in adviser} == {"cap"}
    assert {e["office"] for e in manager} == {"sea"}
    assert {"E000001", "E000002"} <= {e["code"] for e in adviser}
    office = served.client.get("/api/v1/offices/cap", headers=served.headers["adviser"]).json()
    assert {m["number"] for m in office["members"]} >= {1, 2}
    assert "E000003" not in {e["code"] for e in office["entities"]}


def test_the_ethics_committee_lists_activities_without_figures(served: Served) -> None:
    listed = served.client.get("/api/v1/entities", headers=served.headers["ethics"]).json()
    assert {"E000001", "E000002", "E000003"} <= {e["code"] for e in listed}
    assert all(e["available_funds"] is None for e in listed)


def test_a_member_sees_only_the_parties_their_entities_deal_with(served: Served) -> None:
    parties = served.client.get("/api/v1/parties", headers=served.headers["ada"]).json()
    assert "Bob's client" not in {p["name"] for p in parties}
    assert "Acme" in {p["name"] for p in parties}
    by_vat = served.client.get(
        "/api/v1/parties?vat_number=ZZ0000000001", headers=served.headers["cyd"]
    ).json()
    assert [p["code"] for p in by_vat] == ["C000001"]


def test_the_network_report_carries_no_personal_data(served: Served) -> None:
    report = served.client.get("/api/v1/network/report", headers=served.headers["franchisor"])
    text_ = report.text
    assert report.status_code == 200
    assert report.json()["members"]["total"] >= 3
    for personal in ("Testperson", "ada@example.org", "00000000001", "ZZ00000000000001", "Acme"):
        assert personal not in text_
