"""Every answer carries the security headers; over HTTPS, HSTS and Secure cookies too.

The pages are found from the application's own routes, so a page added later is read
here without anyone listing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from partage.core.platform.db.engine import make_engine
from partage.core.sales.models import Invoice, Quote
from partage.core.web.app import create_app
from partage.core.web.security import CONTENT_SECURITY_POLICY
from partage.core.web.site import Site
from tests.engine_support import web_site
from tests.web.test_web_ui import log_in
from tests.web_support import served_over_http

EXPECTED = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.fixture
def site(sqlite_url: str) -> Site:
    built = web_site(make_engine(sqlite_url))
    assert isinstance(built, Site)
    return built


def addresses(site: Site, app: Any) -> list[str]:
    """Every page of the interface (GET), its parameters filled from the web world."""
    with site.sessions() as session:
        invoice = session.scalars(
            select(Invoice.number).where(Invoice.entity_id == 1).order_by(Invoice.id)
        ).first()
        quote = session.scalars(select(Quote.reference).order_by(Quote.id)).first()
    values = {
        "code": "E000001",
        "number": invoice or "F2026-000001",
        "reference": quote or "Q2026-000001",
        "contract": "K000001",
        "language": "fr",
        "file_path": "app.js",
        "item": "1",
        "client": "C000001",
        "draft_id": "1",
        "ident": "1",
    }
    found = []
    for route in app.routes:
        if "GET" not in getattr(route, "methods", ()) or route.path.startswith("/api"):
            continue
        path = re.sub(r"\{(\w+):\w+\}", lambda m: values[m.group(1)], route.path)
        found.append(path.replace("/offices/E000001", "/offices/cap"))
    return found


def test_every_page_carries_the_security_headers(site: Site) -> None:
    app = create_app(site)
    with TestClient(app) as client:
        log_in(client, "admin")
        pages = addresses(site, app)
        assert "/entities/E000001" in pages and "/instance" in pages
        for path in [*pages, "/api/v1/me", "/api/v1/schema", "/no/such/page"]:
            answer = client.get(path, follow_redirects=False)
            assert answer.status_code < 500, (path, answer.text)
            for name, value in EXPECTED.items():
                assert answer.headers.get(name) == value, (path, name)
            static = path.startswith("/static/")
            assert (answer.headers.get("cache-control") == "no-store") is not static, path
            assert "strict-transport-security" not in answer.headers, path


def test_a_page_cannot_be_framed_nor_run_inline_script(site: Site) -> None:
    policy = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    with TestClient(create_app(site)) as client:
        log_in(client, "ada")
        page = client.get("/entities/E000001").text
    assert "<script>" not in page and " style=" not in page and "<style" not in page


@pytest.fixture
def over_https(site: Site) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(site), base_url="https://partage.example") as client:
        yield client


def test_over_https_cookies_are_secure_and_hsts_is_sent(over_https: TestClient[Any]) -> None:
    form = over_https.get("/login")
    assert form.headers["strict-transport-security"].startswith("max-age=63072000")
    cookies = [v for k, v in form.headers.multi_items() if k == "set-cookie"]
    assert cookies and all("Secure" in c for c in cookies), cookies
    log_in(over_https, "ada")
    home = over_https.get("/")
    assert home.status_code == 200 and "strict-transport-security" in home.headers


def test_the_csrf_exemption_is_the_api_prefix_only(site: Site) -> None:
    """Only the API (bearer tokens, never cookies) and the static files skip the CSRF
    check: an address that merely starts like the API's, or holds it further on, does
    not."""
    config = create_app(site).csrf_config
    assert config is not None and config.exclude is not None
    exempt = re.compile("|".join(config.exclude))
    assert exempt.match("/api/v1/entities/E000001/quotes") and exempt.match("/static/app.js")
    for checked in ("/api/v1x", "/entities/E000001/api/v1/", "/staticfile", "/login"):
        assert not exempt.match(checked), checked


def test_the_brand_colours_come_in_a_stylesheet_of_the_site(site: Site) -> None:
    look = site.look()
    with TestClient(create_app(site)) as client:
        sheet = client.get("/brand/colours.css")
        page = client.get("/login").text
    assert sheet.headers["content-type"].startswith("text/css")
    assert f"--brand: {look.primary_colour};" in sheet.text
    assert f"--accent: {look.secondary_colour};" in sheet.text
    assert '<link rel="stylesheet" href="/brand/colours.css">' in page


def test_behind_a_trusted_proxy_that_says_https_the_answers_are_for_https(site: Site) -> None:
    """uvicorn believes ``X-Forwarded-Proto`` from the loopback proxy (the default of
    ``partage serve --forwarded-allow-ips``)."""
    with served_over_http(create_app(site)) as url:
        plain = httpx.get(f"{url}/login")
        proxied = httpx.get(f"{url}/login", headers={"X-Forwarded-Proto": "https"})
    assert "strict-transport-security" not in plain.headers
    assert not any("Secure" in v for k, v in plain.headers.multi_items() if k == "set-cookie")
    assert "strict-transport-security" in proxied.headers
    cookies = [v for k, v in proxied.headers.multi_items() if k == "set-cookie"]
    assert cookies and all("Secure" in c for c in cookies)
