"""The audit log over the API: administrators read it filtered and export it (the
export recorded with its filter and the client's address); every other role is refused."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from partage.core.platform.db.engine import make_engine
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site

AUDIT = "/api/v1/audit"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient[Any]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as opened:
        yield opened
    engine.dispose()


def bearer(client: TestClient[Any], username: str) -> dict[str, str]:
    answer = client.post(
        "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
    )
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['token']}"}


def test_the_administrator_reads_filters_and_exports_the_log(client: TestClient[Any]) -> None:
    admin = bearer(client, "admin")
    every = client.get(AUDIT, headers=admin).json()
    assert every["total"] > 1 and every["page"] == 1
    at = [r["at"] for r in every["records"]]
    assert at == sorted(at, reverse=True)
    action = every["records"][-1]["action"]
    narrowed = client.get(AUDIT, params={"action": action, "per_page": 1}, headers=admin)
    assert narrowed.status_code == 200, narrowed.text
    body = narrowed.json()
    assert len(body["records"]) == 1 and body["records"][0]["action"] == action
    assert body["pages"] == body["total"] >= 1
    refused = client.get(
        AUDIT, params={"since": "2026-12-02", "until": "2026-12-01"}, headers=admin
    )
    assert refused.status_code == 422 and refused.json()["field"] == "since"

    exported = client.get(
        f"{AUDIT}/export", params={"format": "csv", "action": action}, headers=admin
    )
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == body["total"] and {r["action"] for r in rows} == {action}
    recorded = client.get(AUDIT, params={"action": "audit.export"}, headers=admin).json()
    [export] = recorded["records"]
    assert export["actor"] == "user:admin"
    assert export["origin"] == "testclient"  # the client's address, as the test client gives it
    assert export["data"] == {"filter": {"action": action}, "format": "csv", "records": len(rows)}
    assert client.get(f"{AUDIT}/export", params={"format": "xml"}, headers=admin).status_code == 400


@pytest.mark.parametrize("username", ["adviser", "ada"])
def test_other_roles_are_refused(client: TestClient[Any], username: str) -> None:
    headers = bearer(client, username)
    assert client.get(AUDIT, headers=headers).status_code == 403
    assert client.get(f"{AUDIT}/export", headers=headers).status_code == 403
