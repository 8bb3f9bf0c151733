"""The administrators' workspace over HTTP: its pages and API calls answer
administrators only, its reports are the ledger's and declarations' own (with CSV and
JSON downloads), and its acts are confirmed, one transaction each, and audited.

The web world (Testland, 2026-07-06): E000001 invoiced 1,000.00 and E000002 300.00 in
the year; see ``tests/web/test_web_risk.py``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import select

from partage.core.ledger.models import AccountingPeriod
from partage.core.ledger.statutory import statutory_profit_and_loss
from partage.core.platform.db.engine import make_engine
from partage.core.platform.db.models import AuditRecord
from partage.core.web.app import create_app
from partage.core.web.site import Site
from tests.engine_support import WEB_LOGINS, WEB_PASSWORD, web_site

PAGES = (
    "/admin",
    "/admin/books",
    "/admin/books/ledger",
    "/admin/books/balance-sheet",
    "/admin/books/profit-and-loss",
    "/admin/books/periods",
    "/admin/books/exchange-rates",
    "/admin/vat",
    "/admin/social",
    "/admin/declarations",
    "/admin/exports",
    "/admin/offices",
)
CALLS = (
    "/api/v1/books/trial-balance",
    "/api/v1/books/ledger?account=7000",
    "/api/v1/books/balance-sheet",
    "/api/v1/books/profit-and-loss",
    "/api/v1/books/periods",
    "/api/v1/declarations/vat?period=2026-06",
    "/api/v1/declarations/social?period=2026-06",
    "/api/v1/sectors",
    "/api/v1/declarations/files",
)


class Web:
    def __init__(self, site: Site, client: TestClient[Any]) -> None:
        self.site, self.client = site, client

    def token(self, username: str) -> str:
        answer = self.client.post(
            "/api/v1/auth/login", json={"username": username, "password": WEB_PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["token"])

    def bearer(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}

    def browse_as(self, username: str) -> None:
        self.client.cookies.set("partage_session", self.token(username))


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield Web(site, client)
    engine.dispose()


def test_the_administrator_opens_every_page_of_the_workspace(web: Web) -> None:
    web.browse_as("admin")
    for page in PAGES:
        answer = web.client.get(page)
        # Testland's plugin fills no VAT return and no social summary: those pages say so.
        assert answer.status_code == (400 if page in ("/admin/vat", "/admin/social") else 200)
        assert 'aria-label="Administration"' in answer.text
    assert "long_term_employment" not in web.client.get("/instance").text


@pytest.mark.parametrize(
    "username", [u for u, (role, _, _) in WEB_LOGINS.items() if role != "administrator"]
)
def test_every_other_role_is_refused(web: Web, username: str) -> None:
    headers = web.bearer(username)
    for call in CALLS:
        assert web.client.get(call, headers=headers).status_code == 403, call
    answer = web.client.post(
        "/api/v1/books/periods",
        json={"act": "close-month", "month": "2026-01", "confirm": "yes"},
        headers=headers,
    )
    assert answer.status_code == 403
    web.browse_as(username)
    for page in PAGES:
        assert web.client.get(page).status_code == 403, page


def test_the_trial_balance_is_the_ledgers_and_downloads(web: Web) -> None:
    admin = web.bearer("admin")
    called = web.client.get("/api/v1/books/trial-balance", headers=admin).json()
    assert called["book"] is None and called["rows"]
    web.browse_as("admin")
    page = web.client.get("/admin/books")
    for row in called["rows"][:3]:
        assert row["account"] in page.text
    download = web.client.get("/admin/books", params={"format": "csv"})
    assert download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert rows[-1]["account"] == "total" and rows[-1]["debit"] == rows[-1]["credit"]
    one = web.client.get("/admin/books", params={"book": "E000001"})
    assert one.status_code == 200 and "E000001" in one.text


def test_a_search_naming_several_books_lists_them_and_a_bad_day_is_refused(web: Web) -> None:
    web.browse_as("admin")
    several = web.client.get("/admin/books", params={"book": "E0000"})
    assert "E000001" in several.text and "E000002" in several.text
    assert 'id="trial-balance"' not in several.text
    bad = web.client.get("/admin/books", params={"to": "2026-13-01"})
    assert bad.status_code == 422 and "to" in bad.text


def test_the_ledger_pages_and_the_vat_return_downloads(web: Web) -> None:
    admin = web.bearer("admin")
    balance = web.client.get("/api/v1/books/trial-balance", headers=admin).json()
    account = balance["rows"][0]["account"]
    ledger = web.client.get(
        "/api/v1/books/ledger", params={"account": account}, headers=admin
    ).json()
    assert ledger["total"] == len(ledger["lines"]) and ledger["offset"] == 0
    web.browse_as("admin")
    assert f"{account}" in web.client.get("/admin/books/ledger", params={"account": account}).text
    vat = web.client.get("/admin/vat", params={"period": "2026-Q2", "format": "json"})
    assert "the country plugin does not fill a VAT return" in vat.text
    refused = web.client.get("/admin/vat", params={"period": "2026-Q5"})
    assert refused.status_code == 422 and "period" in refused.text


def test_closing_a_month_needs_the_tick_and_is_audited(web: Web) -> None:
    web.browse_as("admin")
    page = web.client.get("/admin/books/periods")
    token = web.client.cookies.get("partage_csrf")
    form = {"act": "close-month", "month": "2026-01", "_csrf_token": token}
    refused = web.client.post("/admin/books/periods", data=form)
    assert refused.status_code == 422 and "confirm" in refused.text
    out_of_order = web.client.post(
        "/admin/books/periods", data={**form, "month": "2026-03", "confirm": "1"}
    )
    assert out_of_order.status_code >= 400 and "2026-01" in out_of_order.text
    done = web.client.post("/admin/books/periods", data={**form, "confirm": "1"})
    assert done.status_code == 200 and 'id="done"' in done.text, page.text[:100]
    with web.site.sessions() as session:
        closed = session.scalars(
            select(AccountingPeriod.closed_by).where(AccountingPeriod.closed_at.is_not(None))
        ).all()
        audited = session.scalars(
            select(AuditRecord.actor).where(AuditRecord.action == "ledger.close_month")
        ).all()
    assert closed == ["user:admin"] and audited == ["user:admin"]


def test_a_sector_is_enabled_in_an_office_through_the_api(web: Web) -> None:
    admin = web.bearer("admin")
    listed = web.client.get("/api/v1/sectors", headers=admin).json()
    office = listed[0]["code"]
    unknown = web.client.post(
        f"/api/v1/sectors/{office}",
        json={"act": "enable", "sector": "no-such-sector", "confirm": "yes"},
        headers=admin,
    )
    assert unknown.status_code == 422 and "sector" in unknown.text


def test_a_declaration_of_pay_needs_the_tick_and_a_country_that_makes_it(web: Web) -> None:
    admin = web.bearer("admin")
    unticked = web.client.post(
        "/api/v1/declarations/employment", json={"period": "2026-06"}, headers=admin
    )
    assert unticked.status_code == 422 and "confirm" in unticked.text
    assert web.client.get("/api/v1/declarations/files", headers=admin).json() == []
    assert web.client.get("/api/v1/declarations/files/1", headers=admin).status_code == 404


def test_without_a_login_the_api_answers_401_and_pages_send_to_the_login(web: Web) -> None:
    for call in CALLS:
        assert web.client.get(call).status_code == 401, call
    for page in PAGES:
        answer = web.client.get(page, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_the_api_closes_a_month_and_refuses_unknown_fields(web: Web) -> None:
    admin = web.bearer("admin")
    body = {"act": "close-month", "month": "2026-01", "confirm": "yes"}
    extra = web.client.post("/api/v1/books/periods", json={**body, "why": "x"}, headers=admin)
    assert extra.status_code == 400 and "why" in extra.text
    done = web.client.post("/api/v1/books/periods", json=body, headers=admin)
    assert done.status_code == 200 and done.json() == {"act": "close-month", "done": "2026-01"}
    again = web.client.post("/api/v1/books/periods", json=body, headers=admin)
    assert again.status_code >= 400 and "already closed" in again.text
    periods = web.client.get("/api/v1/books/periods", headers=admin).json()
    january = next(p for p in periods if p["kind"] == "month" and p["start"] == "2026-01-01")
    assert january["closed_by"] == "user:admin"


def test_an_installed_sector_is_enabled_then_disabled_and_both_are_audited(web: Web) -> None:
    # Testland installs no sector plugin: one is registered for this test only.
    plugins = web.site.coop.plugins
    plugins.register(object(), name="sector:couriers")
    try:
        _enable_then_disable(web)
    finally:
        plugins.unregister(name="sector:couriers")


def _enable_then_disable(web: Web) -> None:
    admin = web.bearer("admin")
    office = web.client.get("/api/v1/sectors", headers=admin).json()[0]["code"]
    enable = {"act": "enable", "sector": "couriers", "confirm": "yes", "reason": "board"}
    answer = web.client.post(f"/api/v1/sectors/{office}", json=enable, headers=admin)
    assert answer.status_code == 200, answer.text
    listed = {o["code"]: o for o in web.client.get("/api/v1/sectors", headers=admin).json()}
    assert listed[office]["in_force"] == ["couriers"]
    twice = web.client.post(f"/api/v1/sectors/{office}", json=enable, headers=admin)
    assert twice.status_code == 422 and "already enabled" in twice.text
    disable = {"act": "disable", "sector": "couriers", "confirm": "yes"}
    assert (
        web.client.post(f"/api/v1/sectors/{office}", json=disable, headers=admin).status_code == 200
    )
    with web.site.sessions() as session:
        actions = session.scalars(
            select(AuditRecord.action).where(AuditRecord.actor == "user:admin")
        ).all()
    assert {"office.enable_sector", "office.disable_sector"} <= set(actions)


def test_the_api_opens_a_year_once_and_refuses_to_close_one_with_open_months(web: Web) -> None:
    admin = web.bearer("admin")
    acts = "/api/v1/books/periods"
    opened = {"act": "open-year", "year": "2028", "confirm": "yes"}
    assert web.client.post(acts, json=opened, headers=admin).json()["done"] == "2028"
    again = web.client.post(acts, json=opened, headers=admin)
    assert again.status_code >= 400 and "already opened" in again.text
    closing = web.client.post(
        acts, json={"act": "close-year", "year": "2026", "confirm": "yes"}, headers=admin
    )
    assert closing.status_code >= 400 and "2026" in closing.text
    years = [p for p in web.client.get(acts, headers=admin).json() if p["kind"] == "year"]
    assert [(p["fiscal_year"], p["closed_at"]) for p in years][:1] == [(2028, None)]
    assert all(p["closed_at"] is None for p in years)


def test_the_offices_page_names_a_sector_in_the_readers_language(web: Web) -> None:
    # Testland installs no sector plugin: one with a name is registered for this test only.
    plugins = web.site.coop.plugins
    plugins.register(type("Couriers", (), {"SECTOR_NAME": "Couriers"})(), name="sector:couriers")
    try:
        web.browse_as("admin")
        french = web.client.get("/admin/offices", headers={"accept-language": "fr"}).text
        assert '<option value="couriers">Coursiers</option>' in french
        english = web.client.get("/admin/offices", headers={"accept-language": "en"}).text
        assert '<option value="couriers">Couriers</option>' in english
    finally:
        plugins.unregister(name="sector:couriers")


def test_the_statutory_view_eliminates_internal_flows_for_the_instance_only(web: Web) -> None:
    """The management view sums the books (the fee sits on both sides); the statutory
    view is the legal person's: its income is income from outside, and no entity has
    one of its own."""
    admin = web.bearer("admin")
    year = {"from": "2026-01-01", "to": "2026-07-06"}
    management = web.client.get("/api/v1/books/profit-and-loss", params=year, headers=admin)
    statutory = web.client.get(
        "/api/v1/books/profit-and-loss", params={**year, "view": "statutory"}, headers=admin
    ).json()
    with web.site.sessions() as session:
        expected = statutory_profit_and_loss(session, start=date(2026, 1, 1), end=date(2026, 7, 6))
    assert Decimal(statutory["totals"]["Income"]) == expected.totals["Income"]
    assert Decimal(statutory["totals"]["Income"]) < Decimal(management.json()["totals"]["Income"])
    trial = web.client.get(
        "/api/v1/books/trial-balance", params={"view": "statutory"}, headers=admin
    ).json()
    assert sum(Decimal(r["debit"]) for r in trial["rows"]) == sum(
        Decimal(r["credit"]) for r in trial["rows"]
    )
    refused = web.client.get(
        "/api/v1/books/trial-balance",
        params={"view": "statutory", "book": "E000001"},
        headers=admin,
    )
    assert refused.status_code == 422 and "choose no book" in refused.text
    web.browse_as("admin")
    page = web.client.get("/admin/books/profit-and-loss", params={"view": "statutory"})
    assert page.status_code == 200 and 'value="statutory" selected' in page.text
    assert (
        web.client.get("/admin/books", params={"view": "statutory", "book": "E000001"}).status_code
        == 422
    )


def test_the_general_assemblys_appropriation_is_a_form_of_the_periods_page(web: Web) -> None:
    """The periods page offers the appropriation of a closed year's result; the act
    refuses a form without the assembly's day, and a year still open, writing nothing
    (the act itself: tests/ledger/test_statutory.py)."""
    web.browse_as("admin")
    page = web.client.get("/admin/books/periods")
    assert 'id="appropriate"' in page.text and 'name="decided_on"' in page.text
    token = web.client.cookies.get("partage_csrf")
    form = {"_csrf_token": token, "act": "appropriate", "year": "2026", "confirm": "1"}
    missing = web.client.post("/admin/books/periods", data={**form, "decision": "GA 2027-05"})
    assert missing.status_code == 422 and "the day of the general assembly" in missing.text
    still_open = web.client.post(
        "/admin/books/periods",
        data={**form, "decided_on": "2027-05-20", "decision": "GA 2027-05, resolution 3"},
    )
    assert 400 <= still_open.status_code < 500 and "2026" in still_open.text
    with web.site.sessions() as session:
        actions = session.scalars(select(AuditRecord.action)).all()
    assert "ledger.appropriate" not in actions


ECB_FILE = Path(__file__).resolve().parents[1] / "data" / "ecb" / "eurofxref-hist.csv"


def test_the_ecbs_rates_load_from_their_page_and_the_api_and_are_audited(web: Web) -> None:
    import base64

    web.browse_as("admin")
    empty = web.client.get("/admin/books/exchange-rates")
    assert empty.status_code == 200 and 'id="rates"' not in empty.text
    token = web.client.cookies.get("partage_csrf")
    bad = web.client.post(
        "/admin/books/exchange-rates",
        data={"_csrf_token": token},
        files={"file": ("rates.csv", b"Day,USD\n2026-07-06,1.1\n", "text/csv")},
    )
    assert bad.status_code >= 400 and "Date" in bad.text
    done = web.client.post(
        "/admin/books/exchange-rates",
        data={"_csrf_token": token},
        files={"file": ("eurofxref-hist.csv", ECB_FILE.read_bytes(), "text/csv")},
    )
    assert done.status_code == 200 and 'id="done"' in done.text
    assert "31 rates of 7 currencies" in done.text and "31 new" in done.text
    assert "<td>USD</td>" in done.text and "1.1720" in done.text
    answer = web.client.post(
        "/api/v1/books/exchange-rates",
        json={
            "filename": "eurofxref-hist.csv",
            "content_base64": base64.b64encode(ECB_FILE.read_bytes()).decode(),
        },
        headers=web.bearer("admin"),
    )
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "read": 31,
        "added": 0,
        "first": "1999-01-04",
        "last": "2026-07-06",
        "currencies": ["CHF", "CYP", "GBP", "JPY", "NOK", "SEK", "USD"],
    }
    with web.site.sessions() as session:
        audited = session.scalars(
            select(AuditRecord.actor).where(AuditRecord.action == "rates.load")
        ).all()
    assert audited == ["user:admin", "user:admin"]


def test_the_administrator_downloads_the_fec_and_its_making_is_audited(web: Web) -> None:
    """Testland has no issuer facts: the files are refused naming the setting; with the
    French test issuer the FEC downloads under its legal name, and is audited."""
    from dataclasses import replace

    from partage.core.declarations.fec import FEC_COLUMNS, parse_fec
    from tests.documents_support import FR_SIREN, issuer

    web.browse_as("admin")
    assert web.client.get("/admin/exports").status_code == 200
    token = web.client.cookies.get("partage_csrf")
    form = {"_csrf_token": token, "export": "fec", "year": "2026", "separator": "pipe"}
    refused = web.client.post("/admin/exports", data=form)
    assert refused.status_code == 409 and "instance.issuer" in refused.text
    coop = web.site.coop
    object.__setattr__(coop, "instance", replace(coop.instance, issuer=issuer("fr")))
    answer = web.client.post("/admin/exports", data=form)
    assert answer.status_code == 200, answer.text[:300]
    name = f"{FR_SIREN}FEC20261231.txt"
    assert answer.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert answer.content.split(b"\n", 1)[0].decode() == "|".join(FEC_COLUMNS)
    records = parse_fec(answer.content)
    assert records and {r["CompteNum"] for r in records} >= {"3010"}
    assert not {r["CompteNum"] for r in records} & {"7020", "6030"}  # the fee, eliminated
    bad = web.client.post("/admin/exports", data={**form, "separator": "comma"})
    assert bad.status_code == 422 and "tab or pipe" in bad.text
    none = web.client.post("/admin/exports", data={**form, "export": "listing"})
    assert none.status_code == 422 and "has no listing" in none.text
    with web.site.sessions() as session:
        audited = session.scalars(
            select(AuditRecord).where(AuditRecord.action == "books.export")
        ).one()
    assert audited.reason == name and audited.actor


def test_the_api_makes_the_same_files(web: Web) -> None:
    from dataclasses import replace

    from tests.documents_support import issuer

    coop = web.site.coop
    object.__setattr__(coop, "instance", replace(coop.instance, issuer=issuer("fr")))
    headers = web.bearer("admin")
    answer = web.client.post(
        "/api/v1/declarations/exports",
        json={"export": "fec", "year": "2026", "separator": "pipe", "encoding": "utf-8"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text[:300]
    assert answer.content.startswith(b"JournalCode|JournalLib|EcritureNum")
    refused = web.client.post(
        "/api/v1/declarations/exports", json={"export": "ledger"}, headers=headers
    )
    assert refused.status_code == 422 and "export" in refused.text
    member = web.client.post(
        "/api/v1/declarations/exports",
        json={"export": "fec", "year": "2026"},
        headers=web.bearer("ada"),
    )
    assert member.status_code == 403
