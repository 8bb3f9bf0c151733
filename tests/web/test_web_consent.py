"""No one is hired without their consent: a member's login hires only its own member;
another member is offered the contract and accepts or refuses it from their own login
(or staff do it for them, recorded so). Nothing is declared to the State or committed
of the entity's funds before the acceptance.

On the Belgian instance, whose hires are declared (Dimona) with the worker's national
number: the first test is the attack the issue reproduced."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, func, select

from partage.core.payroll.models import Contract, ContractOffer, DeclarationRecord
from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.models import AuditRecord
from tests.builders import national_number
from tests.documents_support import fund
from tests.web.test_web_ui import log_in as log_in_fr
from tests.web.test_web_ui import token
from tests.web_support import Served, serve

TERMS = {
    "worker_category": "employee",
    "start": "2026-08-01",
    "end": "2026-08-31",
    "monthly_gross": "2100.00",
}


@pytest.fixture
def be(engine: Engine) -> Iterator[Served]:
    """The Belgian site on each backend, Ada's entity funded."""
    yield from serve(engine, fund)


@pytest.fixture
def be_ui(sqlite_url: str) -> Iterator[Served]:
    engine = make_engine(sqlite_url)
    yield from serve(engine, fund)
    engine.dispose()


def log_in(client: TestClient[Any], username: str) -> None:
    """Log in, the interface in English (the Belgian instance speaks French first)."""
    log_in_fr(client, username)
    client.get("/language/en")


def stored(be: Served, model: type) -> int:
    with be.site.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def headroom(be: Served) -> str:
    answer = be.client.get(f"/api/v1/entities/{be.entity}", headers=be.bearer("ada"))
    assert answer.status_code == 200, answer.text
    return str(answer.json()["headroom"])


def offered(be: Served, who: str = "ada", **terms: object) -> dict[str, Any]:
    answer = be.client.post(
        f"/api/v1/entities/{be.entity}/offers",
        json={"member": 2, **TERMS, **terms},
        headers=be.bearer(who),
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def consent_of(be: Served, contract: str) -> str:
    with be.site.sessions() as session:
        record = session.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "contract.hire", AuditRecord.subject == f"contract:{contract}"
            )
        ).one()
        return str(record.data["consent"])


def test_a_member_cannot_hire_another_member_nor_declare_their_national_number(
    be: Served,
) -> None:
    answer = be.client.post(
        f"/api/v1/entities/{be.entity}/contracts",
        json={"member": 2, **TERMS},
        headers=be.bearer("ada"),
    )
    assert answer.status_code == 403, answer.text
    problem = answer.json()
    assert problem["field"] == "member"
    assert "a member hires only themselves; offer the contract to member 2" in problem["rule"]
    assert stored(be, Contract) == stored(be, DeclarationRecord) == 0


def test_a_member_hires_themselves_and_the_audit_says_so(be: Served) -> None:
    answer = be.client.post(
        f"/api/v1/entities/{be.entity}/contracts", json=TERMS, headers=be.bearer("ada")
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["member"] == 1
    assert consent_of(be, answer.json()["code"]) == "self"


def test_an_offer_commits_nothing_until_the_worker_accepts_it_from_their_own_login(
    be: Served,
) -> None:
    room = headroom(be)
    offer = offered(be)
    assert {k: offer[k] for k in ("entity", "member", "status", "contract", "monthly_gross")} == {
        "entity": be.entity,
        "member": 2,
        "status": "pending",
        "contract": None,
        "monthly_gross": "2100.00",
    }
    assert stored(be, Contract) == stored(be, DeclarationRecord) == 0
    assert headroom(be) == room  # nothing reserved of the entity's funds

    waiting = be.client.get("/api/v1/me/worker", headers=be.bearer("bob")).json()["offers"]
    assert [o["code"] for o in waiting] == [offer["code"]]
    listed = be.client.get("/api/v1/offers?status=pending", headers=be.bearer("bob")).json()
    assert [o["code"] for o in listed] == [offer["code"]]

    by_offerer = be.client.post(f"/api/v1/offers/{offer['code']}/accept", headers=be.bearer("ada"))
    assert by_offerer.status_code == 403, by_offerer.text
    assert by_offerer.json()["field"] == "offer"
    assert stored(be, Contract) == 0

    accepted = be.client.post(f"/api/v1/offers/{offer['code']}/accept", headers=be.bearer("bob"))
    assert accepted.status_code == 201, accepted.text
    contract = accepted.json()
    assert (contract["entity"], contract["member"]) == (be.entity, 2)
    assert consent_of(be, contract["code"]) == "worker"
    with be.site.sessions() as session:
        declaration = session.scalars(
            select(DeclarationRecord).where(DeclarationRecord.subject == contract["code"])
        ).one()
    assert json.loads(declaration.content)["worker"]["inss"] == national_number("be", 2)
    shown = be.client.get(f"/api/v1/entities/{be.entity}/offers", headers=be.bearer("ada")).json()
    assert (shown[0]["status"], shown[0]["contract"], shown[0]["on_behalf"]) == (
        "accepted",
        contract["code"],
        False,
    )
    again = be.client.post(f"/api/v1/offers/{offer['code']}/accept", headers=be.bearer("bob"))
    assert again.status_code == 409 and stored(be, Contract) == 1


def test_a_refused_or_withdrawn_offer_ends_with_nothing_written(be: Served) -> None:
    first, second = offered(be), offered(be, start="2026-08-16")
    refused = be.client.post(
        f"/api/v1/offers/{first['code']}/refuse",
        json={"reason": "I work elsewhere"},
        headers=be.bearer("bob"),
    )
    assert refused.status_code == 200, refused.text
    assert (refused.json()["status"], refused.json()["reason"]) == ("refused", "I work elsewhere")
    not_bobs = be.client.post(
        f"/api/v1/offers/{second['code']}/withdraw", json={}, headers=be.bearer("bob")
    )
    assert not_bobs.status_code == 404, not_bobs.text  # the worker does not reach the entity
    withdrawn = be.client.post(
        f"/api/v1/offers/{second['code']}/withdraw", json={}, headers=be.bearer("ada")
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    late = be.client.post(f"/api/v1/offers/{second['code']}/accept", headers=be.bearer("bob"))
    assert late.status_code == 409, late.text
    assert stored(be, Contract) == stored(be, DeclarationRecord) == 0
    with be.site.sessions() as session:
        actions = list(
            session.scalars(
                select(AuditRecord.action)
                .where(AuditRecord.action.startswith("contract_offer."))
                .order_by(AuditRecord.id)
            )
        )
    assert actions == [
        "contract_offer.offer",
        "contract_offer.offer",
        "contract_offer.refuse",
        "contract_offer.withdraw",
    ]


def test_staff_may_answer_for_the_worker_and_it_is_recorded_so(be: Served) -> None:
    offer = offered(be)
    accepted = be.client.post(
        f"/api/v1/offers/{offer['code']}/accept", headers=be.bearer("adviser")
    )
    assert accepted.status_code == 201, accepted.text
    assert consent_of(be, accepted.json()["code"]) == "staff_for_worker"
    with be.site.sessions() as session:
        row = session.scalars(select(ContractOffer)).one()
        assert (row.status, row.decided_by, row.on_behalf) == ("accepted", "user:adviser", True)


def test_an_offer_to_oneself_or_to_no_one_is_refused(be: Served) -> None:
    yourself = be.client.post(
        f"/api/v1/entities/{be.entity}/offers",
        json={"member": 1, **TERMS},
        headers=be.bearer("ada"),
    )
    assert yourself.status_code == 422 and yourself.json()["field"] == "member"
    nobody = be.client.post(
        f"/api/v1/entities/{be.entity}/offers",
        json={"member": 99, **TERMS},
        headers=be.bearer("ada"),
    )
    assert nobody.status_code == 404 and nobody.json()["field"] == "member"
    assert stored(be, ContractOffer) == 0


def test_the_worker_accepts_from_the_worker_account_page(be_ui: Served) -> None:
    offer = offered(be_ui)
    client = be_ui.client
    log_in(client, "bob")
    page = client.get("/worker")
    assert page.status_code == 200 and offer["code"] in page.text
    answer = client.post(
        f"/offers/{offer['code']}/accept",
        data={"_csrf_token": token(page.text)},
        follow_redirects=True,
    )
    assert answer.status_code == 200, answer.text
    assert f"You accepted offer {offer['code']}" in answer.text
    assert stored(be_ui, Contract) == 1


def test_only_the_worker_or_staff_answer_from_the_page(be_ui: Served) -> None:
    offer = offered(be_ui)
    client: TestClient[Any] = be_ui.client
    log_in(client, "ada")
    page = client.get("/worker")
    answer = client.post(f"/offers/{offer['code']}/accept", data={"_csrf_token": token(page.text)})
    assert answer.status_code == 403, answer.text
    assert stored(be_ui, Contract) == 0
