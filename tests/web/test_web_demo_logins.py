"""The demo's logins (one per role, each able to log in) and the site's country defaults."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from partage.core.access.models import Role
from partage.core.cli.main import main
from partage.core.platform.db.engine import transaction
from partage.core.platform.runtime import build_runtime
from partage.core.web.accounts.demo_logins import DEMO_PASSWORD, ensure_demo_logins
from partage.core.web.app import create_app
from partage.core.web.site import Site


def test_demo_logins_cover_every_role_and_log_in(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--database-url", sqlite_url, "demo", "--members", "4", "--no-serve"])
    assert done.value.code in (0, None)
    out = capsys.readouterr().out
    assert "Serving" not in out
    runtime = build_runtime("be", None, sqlite_url)
    try:
        site = Site.from_runtime(runtime)
        with transaction(runtime.sessions) as session:
            logins = ensure_demo_logins(session, site)
        assert {login.role for login in logins} == set(Role)
        with transaction(runtime.sessions) as session:
            again = ensure_demo_logins(session, site)
        assert again == logins
        with TestClient(app=create_app(site)) as client:
            for login in logins:
                answer = client.post(
                    "/api/v1/auth/login",
                    json={"username": login.username, "password": DEMO_PASSWORD},
                )
                assert answer.status_code in (200, 201), (login.username, answer.text)
                token = answer.json()["token"]
                me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
                assert me.status_code == 200, (login.username, me.text)
    finally:
        runtime.close()


@pytest.mark.parametrize(("instance", "category"), [("be", "employee"), ("fr", "non_cadre")])
def test_the_quick_job_starts_from_a_category_the_country_pays(
    sqlite_url: str, instance: str, category: str
) -> None:
    runtime = build_runtime(instance, None, sqlite_url)
    try:
        assert Site.from_runtime(runtime).worker_category == category
    finally:
        runtime.close()
