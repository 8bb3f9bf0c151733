"""Hostile text and numbers get a 422 naming the field, on both back ends — never a
server error, never a row half written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine, text

from partage.core.members.models import Party
from partage.core.platform.db.text_rules import TextRefused, check_row, check_text
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_web_idempotency import bearer


@pytest.fixture
def api(engine: Engine) -> Iterator[tuple[Site, TestClient[Any]]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client


def refused_field(answer: Any) -> str:
    assert answer.status_code == 422, answer.text
    return str(answer.json()["field"])


def test_a_nul_anywhere_in_a_request_is_refused_naming_its_field(
    api: tuple[Site, TestClient[Any]],
) -> None:
    site, client = api
    ada = bearer(client, "ada")
    login = client.post("/api/v1/auth/login", json={"username": "ada\x00", "password": "x"})
    assert refused_field(login) == "username"
    query = client.get("/api/v1/parties", params={"vat_number": "BE\x00"}, headers=ada)
    assert refused_field(query) == "vat_number"
    path = client.get("/api/v1/entities/E00%0001", headers=ada)
    assert refused_field(path) == "code"
    paid = {"key": "k\x00", "client": "C000001", "amount": "1.00", "method": "cash"}
    key = client.post("/api/v1/entities/E000001/payments", headers=ada, json=paid)
    assert refused_field(key) == "key"
    quote = {
        "client": "C000001",
        "lines": [{"description": "ok", "quantity": "1", "unit_price": "1"}] * 2
        + [{"description": "bell\x07", "quantity": "1", "unit_price": "1"}],
    }
    line = client.post("/api/v1/entities/E000001/quotes", headers=ada, json=quote)
    assert refused_field(line) == "lines[3].description"
    with site.sessions() as session:
        assert (
            session.execute(text("SELECT count(*) FROM payment WHERE key LIKE 'k%'")).scalar() == 0
        )


def test_tabs_and_new_lines_are_text(api: tuple[Site, TestClient[Any]]) -> None:
    _, client = api
    quote = {
        "client": "C000001",
        "lines": [{"description": "Mural\n\twall 2", "quantity": "1", "unit_price": "10"}],
    }
    sent = client.post("/api/v1/entities/E000001/quotes", headers=bearer(client, "ada"), json=quote)
    assert sent.status_code == 201, sent.text


def test_a_product_past_what_one_act_may_carry_is_refused(
    api: tuple[Site, TestClient[Any]],
) -> None:
    """999,999,999 × 999,999,999,999 would overflow a 64-bit integer of minor units."""
    _, client = api
    quote = {
        "client": "C000001",
        "lines": [{"description": "x", "quantity": "999999999", "unit_price": "999999999999"}],
    }
    answer = client.post(
        "/api/v1/entities/E000001/quotes", headers=bearer(client, "ada"), json=quote
    )
    assert refused_field(answer) == "lines[1].quantity"
    assert "more than one act may carry" in answer.json()["rule"]


def test_a_name_longer_than_its_column_is_refused_not_cut(
    api: tuple[Site, TestClient[Any]],
) -> None:
    site, _ = api
    with site.sessions() as session:
        before = session.execute(text("SELECT count(*) FROM party")).scalar_one()
    with pytest.raises(TextRefused) as refused, site.sessions() as session:
        session.add(Party(code="C777777", name="N" * 201, kind="client", country="BE"))
        session.flush()
    assert (refused.value.field, refused.value.rule) == (
        "party.name",
        "201 characters, at most 200",
    )
    with site.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM party")).scalar_one() == before


def test_the_text_rules() -> None:
    assert check_text("f", "line\r\nnext\tcell", 20) == "line\r\nnext\tcell"
    for bad in ("\x00", "a\x1bb", "\x7f"):
        with pytest.raises(TextRefused, match="control characters"):
            check_text("f", bad)
    with pytest.raises(TextRefused, match="3 characters, at most 2"):
        check_text("f", "abc", 2)
    check_row(Party(code="C1", name="ok", kind="client", country="BE"))
