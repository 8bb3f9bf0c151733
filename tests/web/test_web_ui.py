"""The server-rendered interface through plain HTTP: log in with the form (CSRF
token included), the quick-job flow in a few screens, the brand and the language, the
pages each role opens and the refusals, and complete translation catalogs."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from litestar.testing import TestClient
from sqlalchemy import text

from partage.core.platform.db.engine import make_engine
from partage.core.web import i18n
from partage.core.web.app import create_app
from partage.core.web.charts import bars
from partage.core.web.site import Site
from partage.plugins.belgium.identity import format_amount as belgian_amount
from tests.engine_support import WEB_PASSWORD, web_site

WEB = Path(i18n.__file__).parent
CSRF = re.compile(r'name="_csrf_token" value="([^"]+)"')


@pytest.fixture
def ui(sqlite_url: str) -> Iterator[tuple[Site, TestClient[Any]]]:
    """The interface on SQLite: the pages run the same queries as the API, whose tests
    cover both backends."""
    engine = make_engine(sqlite_url)
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client
    engine.dispose()


def token(page: str) -> str:
    found = CSRF.search(page)
    assert found, "the form carries no CSRF token"
    return found.group(1)


def log_in(client: TestClient[Any], username: str) -> None:
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={
            "username": username,
            "password": WEB_PASSWORD,
            "_csrf_token": token(form.text),
            "next": "/",
        },
    )
    assert answer.status_code == 200, answer.text  # followed the redirect home
    assert "partage_session" in client.cookies


def submit(
    client: TestClient[Any],
    page: str,
    action: str,
    data: dict[str, str],
    files: dict[str, Any] | None = None,
) -> Any:
    return client.post(action, data={**data, "_csrf_token": token(page)}, files=files)


def test_pages_need_a_login_and_forms_need_their_csrf_token(
    ui: tuple[Site, TestClient[Any]],
) -> None:
    _, client = ui
    answer = client.get("/entities/E000001", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    client.get("/login")
    forged = client.post("/login", data={"username": "ada", "password": WEB_PASSWORD})
    assert forged.status_code == 403
    assert "partage_session" not in client.cookies
    page = client.get("/login").text
    wrong = client.post(
        "/login", data={"username": "ada", "password": "nope", "_csrf_token": token(page)}
    )
    assert wrong.status_code == 401 and "wrong password" in wrong.text


def test_the_quick_job_flow_in_five_screens(ui: tuple[Site, TestClient[Any]]) -> None:
    site, client = ui
    log_in(client, "ada")
    home = client.get("/").text
    assert "/entities/E000001" in home and "/member" in home and "/worker" in home

    with site.sessions() as session:
        before = session.execute(text("SELECT count(*) FROM invoice")).scalar_one()
    page = client.get("/entities/E000001/quick-job").text
    step2 = submit(
        client,
        page,
        "/entities/E000001/quick-job",
        {
            "client_name": "Corner Café",
            "country": "BE",
            "street": "Rue Haute 1",
            "postcode": "1000",
            "town": "Bruxelles",
            "client_vat": "",
            "client_email": "",
            "description": "Shop window painting",
            "quantity": "1",
            "unit_price": "600,00",
        },
    )
    assert step2.status_code == 200 and "/quick-job/quote/Q2026-" in str(step2.url)
    assert 'id="quote-net"' in step2.text and "net-pay" in step2.text

    step3 = submit(client, step2.text, str(step2.url.path), {})
    assert "/quick-job/invoice/F2026-" in str(step3.url), step3.text
    number = str(step3.url.path).rsplit("/", 1)[-1]
    replayed = submit(client, step2.text, str(step2.url.path), {})  # sent again: same invoice
    assert str(replayed.url.path).rsplit("/", 1)[-1] == number
    with site.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM invoice")).scalar_one() == before + 1
    expense = submit(
        client,
        step3.text,
        f"{step3.url.path}/expense",
        {"category": "supplies", "net": "24.90", "description": "paint"},
        files={"receipt": ("paint.jpg", b"\xff\xd8 receipt", "image/jpeg")},
    )
    assert expense.status_code == 200 and "paint.jpg" in expense.text

    site.worker_categories = ("employee", "student")  # what the country's payroll pays
    step4 = client.get(f"/entities/E000001/quick-job/invoice/{number}/contract")
    assert step4.status_code == 200 and step4.text.count('class="num net-pay"') == 2
    assert '<select name="worker_category" required>' in step4.text
    assert '<option value="employee" selected>Employee</option>' in step4.text
    assert '<option value="student">Student</option>' in step4.text
    unknown = submit(
        client,
        step4.text,
        f"/entities/E000001/quick-job/invoice/{number}/contract",
        {"worker_category": "astronaut", "start": "2026-07-06", "end": "2026-07-06"},
    )
    assert unknown.status_code == 422
    assert "worker_category: &#39;astronaut&#39; is not one of employee, student" in unknown.text
    with site.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM contract")).scalar_one() == 0
    done = submit(
        client,
        step4.text,
        f"/entities/E000001/quick-job/invoice/{number}/contract",
        {"worker_category": "employee", "start": "2026-07-06", "end": "2026-07-06"},
    )
    assert "/quick-job/done/K" in str(done.url), done.text
    net = re.search(r'id="net-pay">([^<]+)<', done.text)
    assert net and "€" in net.group(1)
    with site.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM contract")).scalar_one() == 1
        assert session.execute(text("SELECT count(*) FROM expense_claim")).scalar_one() == 1


def test_a_refused_step_shows_the_rule_and_writes_nothing(
    ui: tuple[Site, TestClient[Any]],
) -> None:
    site, client = ui
    log_in(client, "ada")
    page = client.get("/entities/E000001/quick-job").text
    with site.sessions() as session:
        before = session.execute(text("SELECT count(*) FROM party")).scalar_one()
    answer = submit(
        client,
        page,
        "/entities/E000001/quick-job",
        {
            "client_name": "Corner Café",
            "country": "BE",
            "street": "Rue Haute 1",
            "postcode": "1000",
            "town": "Bruxelles",
            "description": "Painting",
            "quantity": "1",
            "unit_price": "10.001",
        },
    )
    assert answer.status_code == 422
    assert 'data-field="lines[1].unit_price"' in answer.text and "decimals" in answer.text
    assert 'value="Corner Café"' in answer.text  # the form keeps what was typed
    with site.sessions() as session:
        assert session.execute(text("SELECT count(*) FROM party")).scalar_one() == before


def test_another_members_entity_is_not_found(ui: tuple[Site, TestClient[Any]]) -> None:
    _, client = ui
    log_in(client, "ada")
    for path in ("/entities/E000002", "/entities/E000002/quick-job", "/entities/E000003"):
        answer = client.get(path)
        assert answer.status_code == 404 and "no such entity" in answer.text


@pytest.mark.parametrize(
    ("username", "allowed", "refused"),
    [
        (
            "ada",
            ["/", "/member", "/worker", "/entities/E000001", "/members/1", "/workshops"],
            ["/instance", "/network", "/offices/cap", "/members/2"],
        ),
        (
            "adviser",
            ["/", "/offices/cap", "/entities", "/entities/E000002", "/members/2", "/workshops"],
            ["/offices/sea", "/instance", "/members/3"],
        ),
        (
            "manager",
            ["/", "/offices/sea", "/entities/E000003", "/members/3"],
            ["/offices/cap", "/network", "/members/1"],
        ),
        (
            "admin",
            ["/", "/instance", "/network", "/offices/sea", "/entities", "/members/3"],
            ["/member"],
        ),
        (
            "ethics",
            ["/", "/entities"],
            ["/entities/E000001", "/instance", "/offices/cap", "/members/1", "/workshops"],
        ),
        (
            "franchisor",
            ["/", "/network"],
            ["/entities", "/instance", "/entities/E000001", "/members/1", "/workshops"],
        ),
    ],
)
def test_each_role_opens_its_pages_only(
    ui: tuple[Site, TestClient[Any]], username: str, allowed: list[str], refused: list[str]
) -> None:
    _, client = ui
    log_in(client, username)
    for path in allowed:
        assert client.get(path).status_code == 200, path
    for path in refused:
        assert client.get(path).status_code in (403, 404), path


def test_the_consolidated_view_draws_its_charts(ui: tuple[Site, TestClient[Any]]) -> None:
    _, client = ui
    log_in(client, "admin")
    page = client.get("/instance").text
    assert page.count("<svg") == 3 and "<title>" in page
    assert "Jul 2026" in page  # the month as a reader names it


def test_brand_and_language(ui: tuple[Site, TestClient[Any]]) -> None:
    site, client = ui
    log_in(client, "ada")
    english = client.get("/entities/E000001").text
    assert "Available funds" in english and "/brand/colours.css" in english
    assert site.look().primary_colour in client.get("/brand/colours.css").text
    french = client.get("/language/fr?next=/entities/E000001").text
    assert '<html lang="fr">' in french and "Fonds disponibles" in french
    assert "\u202f€" in french or "\xa0€" in french  # French writes 1 234,56 €
    dutch = client.get("/entities/E000001?lang=nl").text
    assert '<html lang="nl">' in dutch and "Beschikbare middelen" in dutch


def test_the_simulation_answers_a_fragment_to_scripts(ui: tuple[Site, TestClient[Any]]) -> None:
    _, client = ui
    log_in(client, "ada")
    page = client.get("/entities/E000001").text
    fragment = client.post(
        "/entities/E000001/simulate",
        data={"invoiced": "1000", "_csrf_token": token(page)},
        headers={"x-partage-fragment": "1"},
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "net-pay" in fragment.text


#: A placeholder of a message: ``%(name)s`` for gettext, ``{name}`` for str.format.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]*\}")


def test_every_message_is_translated() -> None:
    """Every string the sources mark (the pages' words and the refusals of the core and
    the plugins) has a reviewed translation in every interface
    language but English, with the placeholders of its source: a new string, a fuzzy
    match left by ``pybabel update`` or a dropped ``%(name)s`` fails here."""
    found = {
        message
        for folder in (WEB.parent, WEB.parents[1] / "plugins")
        for _, _, message, _, _ in extract_from_dir(
            str(folder),
            method_map=[("**.py", "python"), ("**/web/templates/**.html", "jinja2")],
            keywords={"_": None, "N_": None, "gettext": None},
        )
        if isinstance(message, str)
    }
    assert len(found) > 100
    shipped = {path.parent.parent.name for path in WEB.glob("locale/*/LC_MESSAGES/messages.po")}
    assert shipped == set(i18n.LANGUAGES)  # English: only the plugins' own-language words
    for language in i18n.LANGUAGES[1:]:
        with (WEB / "locale" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        assert catalog.locale is not None and str(catalog.locale) == language
        assert catalog.plural_forms and not catalog.fuzzy, f"{language}: header"
        missing = sorted(m for m in found if m not in catalog or not catalog[m].string)
        assert not missing, f"{language}: untranslated {missing}"
        fuzzy = sorted(m for m in found if catalog[m].fuzzy)
        assert not fuzzy, f"{language}: fuzzy {fuzzy}"
        altered = sorted(
            m
            for m in found
            if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(str(catalog[m].string)))
        )
        assert not altered, f"{language}: placeholders differ in {altered}"
        assert i18n.catalog(language).gettext("Available funds") != "Available funds"


def test_every_language_an_instance_lists_is_translated() -> None:
    """An instance cannot list a language the interface would show in English."""
    listed = {}
    for config in (WEB.parents[1] / "configs" / "instances").glob("*.toml"):
        with config.open("rb") as handle:
            listed[config.stem] = set(tomllib.load(handle)["instance"]["languages"])
    assert listed["be"] == {"fr", "nl", "de"}
    for code, languages in listed.items():
        assert languages <= set(i18n.LANGUAGES), code


def test_german_pages_for_an_instance_that_lists_german(
    ui: tuple[Site, TestClient[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, client = ui
    assert 'hreflang="de"' not in client.get("/login").text  # Testland lists en and fr
    monkeypatch.setattr(
        site.coop, "instance", replace(site.coop.instance, languages=("fr", "nl", "de"))
    )
    german = {"accept-language": "de-BE,de;q=0.9,fr;q=0.5"}
    login = client.get("/login", headers=german).text
    assert '<html lang="de">' in login
    assert "Benutzername" in login and "Passwort vergessen?" in login
    assert all(f'hreflang="{code}"' in login for code in ("en", "fr", "nl", "de"))
    assert ">DE</a>" in login
    log_in(client, "ada")
    dashboard = client.get("/entities/E000001", headers=german).text
    assert '<html lang="de">' in dashboard
    assert "Verfügbare Mittel" in dashboard and "Letzte Rechnungen" in dashboard
    assert "Available funds" not in dashboard and "Fonds disponibles" not in dashboard
    assert re.search(r"\d,\d\d\xa0€", dashboard)  # German writes 1.234,56 €
    assert "Meine Konten" in client.get("/language/de?next=/").text  # the switch remembers it


def test_german_amounts_and_dates_are_written_the_belgian_way() -> None:
    """The Belgian plugin formats amounts for de_BE as it does for fr_BE and nl_BE."""
    german = i18n.words("de", "EUR", "be", belgian_amount)
    assert german.amount(Decimal("1234.56")) == "1.234,56\xa0€"
    assert german.day(date(2026, 3, 5)) == "05.03.2026"
    french = i18n.words("fr", "EUR", "be", belgian_amount)
    assert french.amount(Decimal("1234.56")) == "1\u202f234,56\xa0€"


def test_bar_lengths_are_proportional_and_negative_amounts_are_drawn_below_zero() -> None:
    svg = str(
        bars(
            [("a", Decimal("100.00")), ("b", Decimal("-5.00")), ("c", Decimal("25.00"))],
            title="t",
            colour="#000",
        )
    )
    rects = re.findall(r'<rect x="([0-9.]+)" y="\d+" width="([0-9.]+)"', svg)
    (xa, wa), (xb, wb), (xc, wc) = ((float(x), float(w)) for x, w in rects)
    # widths are written to a tenth of a pixel
    assert wc > 0 and wa == pytest.approx(4 * wc, abs=0.3) and wa == pytest.approx(20 * wb, abs=1)
    assert xa == xc and xb + wb == pytest.approx(xa, abs=0.1)  # a, c start at zero; b ends


def test_a_long_label_is_cut_with_an_ellipsis_and_kept_whole_in_its_tooltip() -> None:
    long = "An entity kind whose name is far longer than the label column of a chart"
    svg = str(bars([(long, Decimal("1.00")), ("Short", Decimal("2.00"))], title="t", colour="#000"))
    assert f"<title>{long}</title>An entity kind" in svg and "…</text>" in svg
    assert "<title>Short</title>Short</text>" in svg
