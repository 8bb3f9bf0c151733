"""The budget simulator of the Belgian instance shows what a white-collar contract's
end will cost (the exit holiday pay), in the API and on the page fragment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from litestar.testing import TestClient

from partage.core.cli.main import main
from partage.core.platform.db.engine import transaction
from partage.core.platform.runtime import build_runtime
from partage.core.web.accounts.demo_logins import DEMO_PASSWORD, ensure_demo_logins
from partage.core.web.app import create_app
from partage.core.web.site import Site

D = Decimal


def test_the_belgian_simulation_buys_and_shows_the_exit_holiday_pay(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--database-url", sqlite_url, "demo", "--members", "4", "--no-serve"])
    capsys.readouterr()
    runtime = build_runtime("be", None, sqlite_url)
    try:
        site = Site.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            login = next(x for x in ensure_demo_logins(session, site) if x.role == "member")
        with TestClient(app=create_app(site)) as client:
            token = client.post(
                "/api/v1/auth/login",
                json={"username": login.username, "password": DEMO_PASSWORD},
            ).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            answers = {
                category: client.post(
                    "/api/v1/simulations/budget",
                    json={"invoiced": "3000", "worker_category": category, "on": "2026-07-01"},
                    headers=headers,
                ).json()
                for category in ("employee", "worker")
            }
    finally:
        runtime.close()
    employee, worker = answers["employee"], answers["worker"]
    gross = D(employee["gross"])
    # 7.67 % simple + 7.67 % double + 25 % of the simple part (AR 30 mars 1967, art. 46)
    simple = (gross * D("0.0767")).quantize(D("0.01"))
    assert D(employee["end_cost"]) == simple * 2 + (simple * D("0.25")).quantize(D("0.01"))
    spent = D(employee["employer_cost"]) + D(employee["insurance"]) + D(employee["end_cost"])
    assert spent <= D(employee["budget"])
    assert D(worker["end_cost"]) == 0  # a manual worker's holiday pay comes from the fund
