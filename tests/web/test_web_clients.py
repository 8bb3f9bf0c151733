"""The client directory through the API: an entity's clients and the cooperative's,
searched and paged; a business created with its number checked and reused rather than
duplicated; a private person; a business number looked up in the directory and in a
register stand-in; an invoice refused to a client with no address; and the privacy
rule: member A never sees member B's private client, whatever is asked.

The world (tests/engine_support.py): Ada (member 1) holds E000001, Bob (member 2)
E000002, Cyd (member 3) E000003.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from partage.core.members.models import Party
from tests.registry_standin import registries_for, registry_standin
from tests.web.test_web_access import BACKEND_PARAMS, Served, serve_world

ADA = "/api/v1/entities/E000001/clients"
BOB = "/api/v1/entities/E000002/clients"
ADDRESS = {"street": "Rue Haute 1", "postcode": "1000", "town": "Bruxelles"}
LINE = [{"description": "Work", "quantity": "1", "unit_price": "10.00"}]


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with serve_world(request.param, tmp_path_factory.mktemp("clients")) as world:
        yield world


def create(served: Served, login: str, path: str, **fields: Any) -> Any:
    body = {"kind": "person", "name": f"Person {uuid.uuid4().hex[:8]}", "country": "BE"}
    return served.client.post(path, json=body | ADDRESS | fields, headers=served.headers[login])


def atelier(served: Served) -> dict[str, Any]:
    """Ada's business client (created once; asked again, the same row)."""
    made = create(
        served, "ada", ADA, kind="business", name="Atelier du Lin", vat_number="0403.170.701"
    )
    assert made.status_code == 201, made.text
    return dict(made.json())


def listed(served: Served, login: str, path: str, **params: Any) -> list[dict[str, Any]]:
    answer = served.client.get(path, params=params, headers=served.headers[login])
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_a_business_is_created_with_its_number_checked_and_reused(served: Served) -> None:
    made = create(
        served, "ada", ADA, kind="business", name="Atelier du Lin", vat_number="0403.170.701"
    )
    assert made.status_code == 201, made.text
    client = made.json()
    assert client["vat_number"] == "BE0403170701" and client["business"] and client["own"]
    assert client["town"] == "Bruxelles" and client["street"] == "Rue Haute 1"
    again = create(
        served, "bob", BOB, kind="business", name="Another name", vat_number="BE 0403 170 701"
    )
    assert again.status_code == 201 and again.json()["code"] == client["code"]  # reused
    with served.site.sessions() as session:
        rows = session.scalars(select(Party).where(Party.vat_number == "BE0403170701")).all()
    assert len(rows) == 1 and rows[0].name == "Atelier du Lin"
    assert client["code"] in {c["code"] for c in listed(served, "bob", BOB)}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "business", "vat_number": "BE0403170702"}, "vat_number"),
        ({"kind": "business", "company_number": "732829321", "country": "FR"}, "company_number"),
        ({"kind": "business"}, "vat_number"),
        ({"country": "XX"}, "country"),
        ({"street": ""}, "street"),
        ({"town": " "}, "town"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_a_bad_client_is_refused_naming_the_field(
    served: Served, fields: dict[str, str], field: str
) -> None:
    answer = create(served, "ada", ADA, **fields)
    assert answer.status_code in (400, 422), answer.text
    assert field in answer.text


def test_a_directory_is_searched_by_name_number_email_and_town_and_paged(served: Served) -> None:
    tag = uuid.uuid4().hex[:6]
    for i in range(3):
        made = create(
            served, "cyd", "/api/v1/entities/E000003/clients", name=f"Searched {tag} {i}",
            email=f"p{i}.{tag}@example.org", town=f"Namur{tag}" if i == 0 else "Liège",
        )  # fmt: skip
        assert made.status_code == 201, made.text
    path = "/api/v1/entities/E000003/clients"
    assert len(listed(served, "cyd", path, q=f"Searched {tag}")) == 3
    assert [c["name"] for c in listed(served, "cyd", path, q=f"namur{tag}")] == [
        f"Searched {tag} 0"
    ]
    assert len(listed(served, "cyd", path, q=f"p2.{tag}@")) == 1
    first = served.client.get(path, params={"q": tag, "per_page": 2}, headers=served.headers["cyd"])
    assert first.headers["x-total-count"] == "3" and len(first.json()) == 2
    second = listed(served, "cyd", path, q=tag, per_page=2, page=2)
    assert len(second) == 1 and second[0]["name"] not in {c["name"] for c in first.json()}
    atelier(served)
    business = listed(served, "admin", "/api/v1/clients", q="0403170701")
    assert [c["vat_number"] for c in business] == ["BE0403170701"]


def test_member_a_never_sees_member_bs_private_client(served: Served) -> None:
    atelier(served)
    secret = f"Secret {uuid.uuid4().hex[:8]}"
    made = create(served, "bob", BOB, name=secret, email="secret@example.org")
    assert made.status_code == 201
    code = made.json()["code"]
    assert secret in {c["name"] for c in listed(served, "bob", "/api/v1/clients", q=secret)}
    assert secret in {c["name"] for c in listed(served, "admin", "/api/v1/clients", q=secret)}
    for path in ("/api/v1/clients", ADA):
        assert listed(served, "ada", path, q=secret) == []
        assert listed(served, "ada", path, q="secret@example.org") == []
    assert all(c["code"] != code for c in listed(served, "ada", "/api/v1/clients", per_page=100))
    peek = served.client.get(f"/api/v1/clients/{code}", headers=served.headers["ada"])
    none = served.client.get("/api/v1/clients/C999999", headers=served.headers["ada"])
    assert peek.status_code == none.status_code == 404 and secret not in peek.text
    change = served.client.put(
        f"/api/v1/clients/{code}",
        json={"name": "Mine now"} | ADDRESS,
        headers=served.headers["ada"],
    )
    assert change.status_code == 404
    other = served.client.get(BOB, headers=served.headers["ada"])
    assert other.status_code == 404  # another member's entity
    # a business another member brought shows as public data only: no e-mail, no street
    public = listed(served, "cyd", "/api/v1/clients", q="0403170701")
    assert [c["name"] for c in public] == ["Atelier du Lin"]
    assert (public[0]["own"], public[0]["email"], public[0]["street"]) == (False, None, None)


def test_a_client_is_changed_and_audited(served: Served) -> None:
    code = create(served, "ada", ADA, name="Old Name").json()["code"]
    answer = served.client.put(
        f"/api/v1/clients/{code}",
        json={
            "name": "New Name",
            "street": "Rue Neuve 2",
            "postcode": "4000",
            "town": "Liège",
            "reason": "moved",
        },
        headers=served.headers["ada"],
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["name"], answer.json()["town"]) == ("New Name", "Liège")
    audit = served.client.get(
        "/api/v1/audit", params={"subject": f"party:{code}"}, headers=served.headers["admin"]
    )
    assert audit.status_code == 200, audit.text
    assert {"client.create", "client.update"} <= {r["action"] for r in audit.json()["records"]}


def test_a_number_is_looked_up_in_the_directory_then_in_a_register(served: Served) -> None:
    atelier(served)
    known = served.client.get(
        "/api/v1/clients/lookup", params={"country": "BE", "number": "BE0403170701"},
        headers=served.headers["cyd"],
    )  # fmt: skip
    assert known.status_code == 200, known.text
    assert known.json()["known"]["vat_number"] == "BE0403170701"
    bad = served.client.get(
        "/api/v1/clients/lookup", params={"country": "XX", "number": "1"},
        headers=served.headers["cyd"],
    )  # fmt: skip
    assert bad.status_code in (400, 422) and "country" in bad.text
    before = served.site.registries
    with registry_standin() as server:
        served.site.registries = registries_for(server, "sirene")
        try:
            found = served.client.get(
                "/api/v1/clients/lookup", params={"country": "FR", "number": "732 829 320"},
                headers=served.headers["cyd"],
            )  # fmt: skip
            server.mode = "broken"
            down = served.client.get(
                "/api/v1/clients/lookup", params={"country": "FR", "number": "732829320"},
                headers=served.headers["cyd"],
            )  # fmt: skip
        finally:
            served.site.registries = before
    assert found.status_code == 200, found.text
    assert found.json()["registered"]["name"] == "SCOP LES TISSERANDS"
    assert found.json()["company_number"] == "732829320" and found.json()["known"] is None
    assert down.status_code == 200 and down.json()["registries_down"] == ["SIRENE"]


def test_an_invoice_to_a_client_with_no_address_is_refused_naming_the_field(
    served: Served,
) -> None:
    bare = served.client.post(
        "/api/v1/parties",
        json={"name": f"Bare {uuid.uuid4().hex[:6]}", "kind": "client", "country": "ZZ"},
        headers=served.headers["ada"],
    )
    assert bare.status_code == 201, bare.text
    answer = served.client.post(
        "/api/v1/entities/E000001/invoices",
        json={"client": bare.json()["code"], "lines": LINE},
        headers=served.headers["ada"] | {"Accept-Language": "fr"},
    )
    assert answer.status_code == 422, answer.text
    assert "street" in answer.text or "rue" in answer.text
    assert "adresse postale" in answer.text
