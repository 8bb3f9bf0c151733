"""The franchisor's workspace through the API: the franchisees' reports are received,
kept per period and drawn per instance and over time; a report of an instance the
contract does not list, or one that breaks its schema, is refused; the roles that do
not follow the network are refused."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import Engine

from partage.core.contract.periods import Period
from partage.core.franchise.received import Figures, by_year
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site

PARTIES = {"be": ("Partage Belgique SC", "BE"), "fr": ("Partage France SCIC SA", "FR")}


def franchisee_report(
    base: dict[str, Any],
    code: str,
    month: str,
    *,
    members: int,
    invoiced: str,
    fee: str = "0.00",
    fund: tuple[str, str] = ("0.00", "0.00"),
) -> dict[str, Any]:
    """``base`` (a report this instance exported) as franchisee ``code`` sent it for a
    month, with the figures given."""
    report = copy.deepcopy(base)
    period = Period.parse(month)
    legal_name, country = PARTIES[code]
    report["instance"].update(code=code, name=legal_name, legal_name=legal_name, country=country)
    report["period"] = {"from": period.start.isoformat(), "to": period.end.isoformat()}
    report["members"]["total"] = members
    report["entities"]["open"] = members // 2
    report["invoicing"]["invoiced_volume"] = invoiced
    report["invoicing"]["fee_income"] = str(Decimal(invoiced) / 10)
    report["franchise_fee"] = fee
    report["guarantee_fund"].update(balance=fund[0], exposure=fund[1])
    return report


def season(base: dict[str, Any]) -> list[dict[str, Any]]:
    """Three months of Belgium, two of France; France's June is net of a large credit
    note, so its invoiced volume is negative."""
    return [
        franchisee_report(base, "be", "2026-04", members=40, invoiced="12000.00", fund=("900", "3000")),
        franchisee_report(base, "be", "2026-05", members=42, invoiced="15000.00", fee="75.00"),
        franchisee_report(base, "be", "2026-06", members=45, invoiced="18000.00", fund=("1200", "2400")),
        franchisee_report(base, "fr", "2026-05", members=20, invoiced="8000.00"),
        franchisee_report(base, "fr", "2026-06", members=21, invoiced="-1500.00", fund=("500", "250")),
    ]  # fmt: skip


@pytest.fixture
def api(engine: Engine) -> Iterator[TestClient[Any]]:
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield client


def bearer(client: TestClient[Any], username: str) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def own_report(client: TestClient[Any], headers: dict[str, str]) -> dict[str, Any]:
    answer = client.get("/api/v1/network/report", headers=headers)
    assert answer.status_code == 200, answer.text
    report: dict[str, Any] = answer.json()
    return report


def test_reports_received_are_followed_per_instance_and_over_time(api: TestClient[Any]) -> None:
    franchisor = bearer(api, "franchisor")
    assert api.get("/api/v1/network/overview", headers=franchisor).json()["latest"] == []
    for report in season(own_report(api, franchisor)):
        answer = api.post("/api/v1/network/reports", json=report, headers=franchisor)
        assert answer.status_code == 201, answer.text
        assert answer.json()["replaced"] is False
    view = api.get("/api/v1/network/overview", headers=franchisor).json()
    assert view["periods"] == ["2026-04", "2026-05", "2026-06"]
    latest = {f["instance"]: f for f in view["latest"]}
    assert (latest["be"]["label"], latest["be"]["members"]) == ("2026-06", 45)
    assert latest["be"]["fund_coverage"] == "0.5000"
    assert latest["fr"]["invoiced_volume"] == "-1500.00"
    assert latest["fr"]["fund_coverage"] == "2.0000"
    assert [(f["label"], f["instance"]) for f in view["series"]] == [
        ("2026-04", "be"),
        ("2026-05", "be"),
        ("2026-05", "fr"),
        ("2026-06", "be"),
        ("2026-06", "fr"),
    ]
    yearly = api.get("/api/v1/network/overview?by=year", headers=franchisor).json()
    assert yearly["periods"] == ["2026"]
    years = {f["instance"]: f for f in yearly["series"]}
    # flows add up over the year; stocks are the year's last report's
    assert years["be"]["invoiced_volume"] == "45000.00"
    assert years["be"]["franchise_fee"] == "75.00"
    assert years["be"]["members"] == 45
    assert years["fr"]["invoiced_volume"] == "6500.00"
    assert years["be"]["period"] == {"from": "2026-04-01", "to": "2026-06-30"}
    administrator = bearer(api, "admin")
    assert api.get("/api/v1/network/overview", headers=administrator).json() == view


def test_a_report_received_again_replaces_the_earlier_one(api: TestClient[Any]) -> None:
    franchisor = bearer(api, "franchisor")
    base = own_report(api, franchisor)
    first = franchisee_report(base, "be", "2026-05", members=42, invoiced="100.00")
    corrected = franchisee_report(base, "be", "2026-05", members=43, invoiced="120.00")
    assert api.post("/api/v1/network/reports", json=first, headers=franchisor).status_code == 201
    again = api.post("/api/v1/network/reports", json=corrected, headers=franchisor)
    assert again.status_code == 201 and again.json()["replaced"] is True
    view = api.get("/api/v1/network/overview", headers=franchisor).json()
    assert [(f["members"], f["invoiced_volume"]) for f in view["series"]] == [(43, "120.00")]


def test_a_report_outside_the_contract_or_its_schema_is_refused(api: TestClient[Any]) -> None:
    franchisor = bearer(api, "franchisor")
    base = own_report(api, franchisor)  # this instance, zz, is no franchisee
    answer = api.post("/api/v1/network/reports", json=base, headers=franchisor)
    assert answer.status_code in (400, 422), answer.text
    assert "/instance/code" in answer.text and "'zz' is not a franchisee" in answer.text
    spoiled = franchisee_report(base, "be", "2026-05", members=1, invoiced="12.345")
    answer = api.post("/api/v1/network/reports", json=spoiled, headers=franchisor)
    assert answer.status_code in (400, 422) and "/invoicing/invoiced_volume" in answer.text
    assert api.get("/api/v1/network/overview", headers=franchisor).json()["series"] == []


@pytest.mark.parametrize("username", ["ada", "adviser", "manager", "ethics"])
def test_the_other_roles_are_refused(api: TestClient[Any], username: str) -> None:
    franchisor = bearer(api, "franchisor")
    report = franchisee_report(
        own_report(api, franchisor), "be", "2026-05", members=1, invoiced="1.00"
    )
    headers = bearer(api, username)
    assert api.get("/api/v1/network/overview", headers=headers).status_code == 403
    answer = api.post("/api/v1/network/reports", json=report, headers=headers)
    assert answer.status_code == 403
    assert api.get("/api/v1/network/overview", headers=franchisor).json()["series"] == []


def test_a_year_sums_flows_and_keeps_the_last_stocks() -> None:
    def month(label: str, members: int, invoiced: str) -> Figures:
        period = Period.parse(label)
        return Figures(
            "be", "EUR", period.start, period.end, label, members, 1,
            Decimal(invoiced), Decimal(0), Decimal(0), Decimal(0), Decimal(0),
        )  # fmt: skip

    years = by_year([month("2026-12", 5, "10.00"), month("2027-01", 6, "-4.00"),
                     month("2026-11", 4, "2.50")])  # fmt: skip
    assert [(y.label, y.members, y.invoiced_volume) for y in years] == [
        ("2026", 5, Decimal("12.50")),
        ("2027", 6, Decimal("-4.00")),
    ]
