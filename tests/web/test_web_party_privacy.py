"""A member never discovers another entity's private-person client: not in the list,
not by code, not by VAT or company number, not by sending a quote or an invoice to its
code, not through an error message; and the ethics committee reads no client at all.

The world (tests/engine_support.py): C000001 is Acme, a business (VAT ZZ0000000001)
that Ada's E000001 invoiced; C000002 is "Bob's client", a private person (no VAT
number) that Bob's E000002 invoiced. Ada is member 1, Cyd member 3.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from partage.core.members import review
from partage.core.platform.db.engine import transaction
from tests.engine_support import WEB_DAY, web_person
from tests.web.test_web_access import BACKEND_PARAMS, Served, serve_world
from tests.web.test_web_ui import log_in, token

ADA = "/api/v1/entities/E000001"
CYD = "/api/v1/entities/E000003"
LINE = [{"description": "Work", "quantity": "1", "unit_price": "1.00"}]


@pytest.fixture(scope="module", params=BACKEND_PARAMS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    with serve_world(request.param, tmp_path_factory.mktemp("privacy")) as world:
        yield world


def names(served: Served, login: str, query: str = "") -> set[str]:
    answer = served.client.get(f"/api/v1/parties{query}", headers=served.headers[login])
    assert answer.status_code == 200, answer.text
    return {p["name"] for p in answer.json()}


def register(served: Served, login: str, **fields: Any) -> dict[str, Any]:
    body = {
        "name": f"Private {uuid.uuid4().hex[:8]}",
        "kind": "client",
        "country": "ZZ",
        "address": "1 Main Street\n1000 Town",
    }
    answer = served.client.post(
        "/api/v1/parties", json=body | fields, headers=served.headers[login]
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def test_another_entitys_private_client_is_not_listed(served: Served) -> None:
    assert "Bob's client" in names(served, "bob")
    assert "Bob's client" not in names(served, "ada")
    assert "Bob's client" in names(served, "admin")


def test_a_quote_to_a_private_code_is_refused_like_a_code_that_does_not_exist(
    served: Served,
) -> None:
    taken = served.client.post(
        f"{ADA}/quotes", json={"client": "C000002", "lines": LINE}, headers=served.headers["ada"]
    )
    free = served.client.post(
        f"{ADA}/quotes", json={"client": "C999999", "lines": LINE}, headers=served.headers["ada"]
    )
    assert taken.status_code == free.status_code == 404
    assert "Bob's client" not in taken.text
    assert taken.text.replace("C000002", "C999999") == free.text
    assert "Bob's client" not in names(served, "ada")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("invoices", {"client": "C000002", "lines": LINE}),
        ("payments", {"client": "C000002", "amount": "1.00", "method": "cash", "key": "k-1"}),
    ],
)
def test_no_act_reaches_another_entitys_private_client(
    served: Served, path: str, body: dict[str, Any]
) -> None:
    answer = served.client.post(f"{ADA}/{path}", json=body, headers=served.headers["ada"])
    assert answer.status_code == 404, answer.text
    assert "Bob's client" not in answer.text
    assert "Bob's client" not in names(served, "ada")


def test_the_cash_form_refuses_another_entitys_private_client(served: Served) -> None:
    client = served.client
    try:
        log_in(client, "ada")
        form = {"key": "k-web", "client": "C000002", "amount": "1.00", "reference": ""}
        form["_csrf_token"] = token(client.get("/entities/E000001").text)
        page = client.post("/entities/E000001/cash", data=form)
        assert page.status_code == 404
        assert "no such party" in page.text
        assert "Bob's client" not in page.text
    finally:
        client.cookies.clear()


def test_a_business_is_found_by_vat_or_company_number_and_a_private_person_never(
    served: Served,
) -> None:
    assert names(served, "cyd", "?vat_number=ZZ0000000001") == {"Acme"}
    assert names(served, "cyd", "?company_number=0000000001") == {"Acme"}
    assert "Acme" not in names(served, "cyd")  # looked up, not dealt with
    bobs = register(served, "bob")
    assert bobs["vat_number"] is None
    for query in ("?vat_number=", f"?vat_number={bobs['code']}", "?company_number=0000000002"):
        assert bobs["name"] not in names(served, "ada", query)
    refused = served.client.get("/api/v1/parties?company_number=12", headers=served.headers["ada"])
    assert refused.status_code == 422
    assert refused.json()["field"] == "company_number"


def test_a_member_sees_the_private_clients_they_register_and_no_one_else_does(
    served: Served,
) -> None:
    mine = register(served, "ada")
    assert mine["name"] in names(served, "ada")
    assert mine["name"] not in names(served, "bob")
    assert mine["name"] not in names(served, "cyd")
    quote = served.client.post(
        f"{ADA}/quotes", json={"client": mine["code"], "lines": LINE}, headers=served.headers["ada"]
    )
    assert quote.status_code == 201, quote.text
    stolen = served.client.post(
        f"{CYD}/quotes", json={"client": mine["code"], "lines": LINE}, headers=served.headers["cyd"]
    )
    assert stolen.status_code == 404
    assert mine["name"] not in stolen.text


def test_a_quote_alone_does_not_make_a_business_one_of_my_parties_an_invoice_does(
    served: Served,
) -> None:
    business = register(served, "admin", vat_number=f"ZZ{uuid.uuid4().int % 10**10:010d}")
    assert business["name"] not in names(served, "cyd")
    quote = served.client.post(
        f"{CYD}/quotes",
        json={"client": business["code"], "lines": LINE},
        headers=served.headers["cyd"],
    )
    assert quote.status_code == 201, quote.text
    assert business["name"] not in names(served, "cyd")
    invoice = served.client.post(
        f"{CYD}/invoices",
        json={"client": business["code"], "lines": LINE},
        headers=served.headers["cyd"],
    )
    assert invoice.status_code == 201, invoice.text
    assert business["name"] in names(served, "cyd")


def test_the_ethics_committee_reads_no_client(served: Served) -> None:
    for query in ("", "?vat_number=ZZ0000000001"):
        answer = served.client.get(f"/api/v1/parties{query}", headers=served.headers["ethics"])
        assert answer.status_code == 403
        assert "Acme" not in answer.text
    listed = served.client.get("/api/v1/entities", headers=served.headers["ethics"])
    assert listed.status_code == 200
    assert "Acme" not in listed.text and "Bob's client" not in listed.text


def test_the_ethics_committee_reads_applications_as_written_and_no_personal_number(
    served: Served,
) -> None:
    with transaction(served.site.sessions) as s:
        review.submit_application(
            s, served.site.coop, web_person(5, "Eve"), office="cap", trade="Baker",
            activity="Sourdough bread", clients="Local bakeries and private households",
            on=WEB_DAY, actor="t",
        )  # fmt: skip
    answer = served.client.get("/api/v1/applications", headers=served.headers["ethics"])
    assert answer.status_code == 200
    [eve] = [a for a in answer.json() if a["applicant"] == "Eve Testperson"]
    assert eve["clients"] == "Local bakeries and private households"
    assert eve["trade"] == "Baker" and eve["office"] == "cap"
    for personal in ("00000000005", "ZZ00000000000005", "eve@example.org", "5 Main Street"):
        assert personal not in answer.text
    for role in ("ada", "adviser", "franchisor"):
        refused = served.client.get("/api/v1/applications", headers=served.headers[role])
        assert refused.status_code == 403, role
    client = served.client
    try:
        log_in(client, "ethics")
        page = client.get("/applications")
        assert page.status_code == 200
        assert "Local bakeries and private households" in page.text
        assert "Bob's client" not in page.text and "Acme" not in page.text
    finally:
        client.cookies.clear()
