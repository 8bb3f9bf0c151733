"""The API takes an invoice's date of supply and answers it; a refusal of an invoice
dated before the last of its series names the field."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient

from partage.core.web.site import Site
from tests.web.test_web_acts import api, bearer  # noqa: F401  (fixture)

LINE = [{"description": "Mural", "quantity": "1", "unit_price": "400.00"}]


def test_the_api_records_the_date_of_supply(api: tuple[Site, TestClient[Any]]) -> None:  # noqa: F811
    _, client = api
    ada = bearer(client, "ada")
    base = "/api/v1/entities/E000001"
    made = client.post(
        f"{base}/invoices",
        headers=ada,
        json={"client": "C000001", "lines": LINE, "supplied_on": "2026-06-30"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["supplied_on"] == "2026-06-30"
    day = made.json()["issued_on"]
    earlier = client.post(
        f"{base}/invoices",
        headers=ada,
        json={"client": "C000001", "lines": LINE, "on": "2026-01-02"},
    )
    if day > "2026-01-02":
        assert earlier.status_code == 422, earlier.text
        assert "on" in earlier.text and made.json()["number"] in earlier.text
