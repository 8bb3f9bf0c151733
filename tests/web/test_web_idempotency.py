"""The ``Idempotency-Key`` header: a request sent again gets its first answer, once
means once, and a key never reveals another login's or another entity's act."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web_support import served_over_http

QUOTE = {
    "client": "C000001",
    "lines": [{"description": "Mural", "quantity": "1", "unit_price": "400.00"}],
}


@pytest.fixture
def api(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client


def bearer(client: Any, username: str) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
    )
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def count(site: Site, table: str) -> int:
    with site.sessions() as session:
        return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_request_sent_again_gets_its_first_answer_and_makes_one_act(
    api: tuple[Site, TestClient[Any]],
) -> None:
    site, client = api
    ada = bearer(client, "ada") | {"Idempotency-Key": "quote-mural-1"}
    before = count(site, "quote")
    first = client.post("/api/v1/entities/E000001/quotes", headers=ada, json=QUOTE)
    again = client.post("/api/v1/entities/E000001/quotes", headers=ada, json=QUOTE)
    assert (first.status_code, again.status_code) == (201, 201), first.text
    assert again.json() == first.json()
    assert again.headers["idempotency-replayed"] == "true"
    assert "idempotency-replayed" not in first.headers
    assert count(site, "quote") == before + 1


def test_the_same_key_with_another_body_is_refused_and_writes_nothing(
    api: tuple[Site, TestClient[Any]],
) -> None:
    site, client = api
    ada = bearer(client, "ada") | {"Idempotency-Key": "k-1"}
    client.post("/api/v1/entities/E000001/quotes", headers=ada, json=QUOTE)
    before = count(site, "quote")
    other = QUOTE | {"lines": [{"description": "Mural", "quantity": "2", "unit_price": "1"}]}
    refused = client.post("/api/v1/entities/E000001/quotes", headers=ada, json=other)
    assert refused.status_code == 422
    assert refused.json()["field"] == "Idempotency-Key"
    assert "another request" in refused.json()["rule"]
    assert count(site, "quote") == before


def test_a_key_belongs_to_its_login_and_its_entity(api: tuple[Site, TestClient[Any]]) -> None:
    site, client = api
    key = {"Idempotency-Key": "shared-key"}
    ada, adviser = bearer(client, "ada") | key, bearer(client, "adviser") | key
    bob = bearer(client, "bob") | key
    before = count(site, "quote")
    mine = client.post("/api/v1/entities/E000001/quotes", headers=ada, json=QUOTE)
    staff = client.post("/api/v1/entities/E000001/quotes", headers=adviser, json=QUOTE)
    others = client.post("/api/v1/entities/E000002/quotes", headers=bob, json=QUOTE)
    assert {mine.status_code, staff.status_code, others.status_code} == {201}
    references = {a.json()["reference"] for a in (mine, staff, others)}
    assert len(references) == 3 and count(site, "quote") == before + 3
    assert "idempotency-replayed" not in others.headers


def test_a_refused_request_gives_its_key_back(api: tuple[Site, TestClient[Any]]) -> None:
    """A refusal wrote nothing: the corrected request may use the same key."""
    site, client = api
    ada = bearer(client, "ada") | {"Idempotency-Key": "retry-me"}
    before = count(site, "quote")
    refused = client.post(
        "/api/v1/entities/E000001/quotes", headers=ada, json=QUOTE | {"client": "C999999"}
    )
    assert refused.status_code == 404
    corrected = client.post("/api/v1/entities/E000001/quotes", headers=ada, json=QUOTE)
    replayed = client.post("/api/v1/entities/E000001/quotes", headers=ada, json=QUOTE)
    assert (corrected.status_code, replayed.status_code) == (201, 201)
    assert "idempotency-replayed" not in corrected.headers
    assert replayed.json() == corrected.json()
    assert count(site, "quote") == before + 1


@pytest.mark.parametrize("key", ["", "with space", "x" * 101])
def test_a_malformed_key_is_refused_naming_the_header(
    api: tuple[Site, TestClient[Any]], key: str
) -> None:
    site, client = api
    headers = bearer(client, "ada") | {"Idempotency-Key": key}
    before = count(site, "quote")
    refused = client.post("/api/v1/entities/E000001/quotes", headers=headers, json=QUOTE)
    assert refused.status_code == 422
    assert refused.json()["field"] == "Idempotency-Key"
    assert count(site, "quote") == before


def test_a_payment_key_is_its_entitys_own(api: tuple[Site, TestClient[Any]]) -> None:
    """Bob's key cannot read Ada's payment: the same body key is another payment."""
    _, client = api
    ada, bob = bearer(client, "ada"), bearer(client, "bob")
    paid = {"key": "receipt-7", "client": "C000001", "amount": "120.00", "method": "cash"}
    first = client.post("/api/v1/entities/E000001/payments", headers=ada, json=paid)
    assert first.status_code == 201, first.text
    others = client.post(
        "/api/v1/entities/E000002/payments", headers=bob, json=paid | {"amount": "5.00"}
    )
    assert others.status_code == 201, others.text
    assert others.json()["amount"] == "5.00" and others.json()["replayed"] is False
    assert "120" not in others.text


def test_concurrent_replays_all_get_the_first_answer(engine: Engine) -> None:
    """Eight clients send one request with one key at the same moment over real
    connections: one act, eight identical answers, no error."""
    site = web_site(engine)
    assert isinstance(site, Site)
    with served_over_http(create_app(site)) as url, httpx.Client(base_url=url) as http:
        headers = bearer(http, "ada") | {"Idempotency-Key": "burst"}
        before = count(site, "quote")

        def send(_: int) -> httpx.Response:
            with httpx.Client(base_url=url, timeout=60) as own:
                return own.post("/api/v1/entities/E000001/quotes", headers=headers, json=QUOTE)

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, range(8)))
    assert [a.status_code for a in answers] == [201] * 8, [a.text for a in answers]
    assert len({a.text for a in answers}) == 1
    assert sum(a.headers.get("idempotency-replayed") == "true" for a in answers) == 7
    assert count(site, "quote") == before + 1
