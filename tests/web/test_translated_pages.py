"""No English on a French, Dutch or German page: every page each role reaches, and a
sample of each kind of refusal, read in each translated language, show none of the
catalogs' English sentences and no raw code (``long_term_employment``); and every
refusal template marked ``N_`` has a translation in every language.

A sentence counts as English when the catalogs translate it to something else: words
that stay the same in a language (``IBAN``, ``Total``) are not found by this test, nor
are proper names (the brand, a person's name, a client's), which no catalog holds. Beyond
the catalogs, a line with words only English uses (``the``, ``with``...) is refused too.
Text recorded as it was written (an audit record's reason), which a page marks
``data-verbatim``, is not read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from litestar.testing import TestClient

from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import Amount, Word
from partage.core.contract.money import MoneyError, to_minor
from partage.core.platform.db.engine import make_engine
from partage.core.web import i18n
from partage.core.web.app import create_app
from partage.core.web.reports import audit_words
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web.test_web_ui import log_in, submit

ROOT = Path(i18n.__file__).parents[2]
TRANSLATED = ("fr", "nl", "de")
ROLES = ("ada", "adviser", "manager", "admin", "ethics", "franchisor")
#: Paths a crawl does not follow: they change the session or answer a file.
NOT_PAGES = re.compile(r"^/(language|logout|brand|static|api|schema)\b|\.(csv|pdf|xml|json|zip)$")
#: Texts of a page that may stay English: proper names and codes of the test world
#: (none yet).
ALLOWED: frozenset[str] = frozenset()
#: Words of English sentences that French, Dutch and German never use.
ENGLISH_WORDS = re.compile(r"\b(the|and|with|from|which|been|should|your|this|share\(s\))\b", re.I)
#: A raw code: two or more lower-case words joined by underscores.
CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


class Visible(HTMLParser):
    """The text a reader sees, and the links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._closes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        hidden = tag in ("script", "style") or "data-verbatim" in found
        if hidden or (self._closes and tag == self._closes[-1]):
            self._closes.append(tag)  # a hidden element, or the same tag nested inside
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        for name in ("title", "placeholder", "aria-label", "alt"):
            if found.get(name):
                self.text.append(str(found[name]))
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.text.append(str(found["value"]))

    def handle_endtag(self, tag: str) -> None:
        if self._closes and tag == self._closes[-1]:
            self._closes.pop()

    def handle_data(self, data: str) -> None:
        if not self._closes and data.strip():
            self.text.append(data.strip())


def read(page: str) -> Visible:
    parsed = Visible()
    parsed.feed(page)
    return parsed


def english_sentences() -> dict[str, set[str]]:
    """Per language, the catalogs' English messages that the language says otherwise,
    long enough not to be a word of another sentence (two words or more)."""
    found: dict[str, set[str]] = {}
    for language in TRANSLATED:
        with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        found[language] = {
            str(m.id).split("{")[0].strip()
            for m in catalog
            if isinstance(m.id, str)
            and m.id
            and m.string
            and m.string != m.id
            and len(str(m.id).split("{")[0].split()) >= 2
        }
    return found


ENGLISH = english_sentences()


def english_on(page: str, language: str) -> list[str]:
    """The English sentences and raw codes a reader sees on a page."""
    seen = [t for t in read(page).text if t not in ALLOWED]
    text = html.unescape("\n".join(seen))
    found = sorted(s for s in ENGLISH[language] if s and re.search(rf"\b{re.escape(s)}\b", text))
    codes = sorted({c for c in CODE.findall(text) if c not in ALLOWED})
    sentences = sorted({line for line in seen if ENGLISH_WORDS.search(line)})
    return found + codes + sentences


@pytest.fixture
def ui(sqlite_url: str) -> Iterator[tuple[Site, TestClient[Any]]]:
    engine = make_engine(sqlite_url)
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        yield site, client
    engine.dispose()


def crawl(client: TestClient[Any], language: str) -> dict[str, str]:
    """Every page reachable from home by following links, in a language."""
    pages: dict[str, str] = {}
    todo = ["/"]
    while todo and len(pages) < 80:
        path = todo.pop()
        if path in pages:
            continue
        answer = client.get(path, params={"lang": language})
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        pages[path] = answer.text
        for link in read(answer.text).links:
            link = link.split("#")[0].split("?")[0]
            if link.startswith("/") and not link.startswith("//") and not NOT_PAGES.search(link):
                todo.append(link)
    return pages


def speaks(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test world's instance offers the translated languages (it lists English only)."""
    monkeypatch.setattr(
        site.coop, "instance", replace(site.coop.instance, languages=("fr", "nl", "de"))
    )


#: Pages a crawl may not reach within its bound (forms, directories, queues): each role
#: opens them directly; those it may not see answer 403 and are not read.
NAMED_PAGES = (
    "/clients",
    "/entities/E000001/clients",
    "/entities/E000001/sectors",
    "/attestations",
    "/drafts",
    "/overdue",
    "/transmissions",
    "/pending",
    "/entities/E000001/quotes/new",
    "/entities/E000001/invoices/new",
    "/entities/E000001/purchases/new",
    "/entities/E000001/expenses/new",
    "/entities/E000001/internal-invoices",
    "/entities/E000001/income/new",
    "/entities/E000001/copyright/new",
    "/entities/E000001/overdue",
    "/admin/books/exchange-rates",
    "/admin/social",
    "/admin/vat",
    "/admin/declarations",
)


@pytest.mark.parametrize("username", ROLES)
def test_no_english_on_the_named_pages_each_role_opens(
    ui: tuple[Site, TestClient[Any]], username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, client = ui
    speaks(site, monkeypatch)
    log_in(client, username)
    opened = 0
    for language in TRANSLATED:
        for path in NAMED_PAGES:
            answer = client.get(path, params={"lang": language})
            if answer.status_code in (403, 404) or "text/html" not in answer.headers.get(
                "content-type", ""
            ):
                continue
            opened += 1
            assert f'<html lang="{language}">' in answer.text, path
            found = english_on(answer.text, language)
            assert not found, (language, path, found)
    # the ethics committee and the franchisor work elsewhere: none of these is theirs
    assert opened >= (0 if username in ("ethics", "franchisor") else 3 * 3), opened


def test_acts_waiting_for_validation_are_said_in_the_readers_language(
    ui: tuple[Site, TestClient[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A member's declared cash waits in the office's queue: its description and why it
    waits are the reader's language, on the queue and on the entity's page."""
    site, client = ui
    speaks(site, monkeypatch)
    log_in(client, "ada")
    page = client.get("/entities/E000001").text
    form = page[page.index('action="/entities/E000001/cash"') :]
    key = re.search(r'name="key" value="([^"]+)"', form)
    assert key is not None
    answer = submit(
        client,
        page,
        "/entities/E000001/cash",
        {"client": "C000001", "amount": "250.00", "key": key.group(1)},
    )
    assert answer.status_code in (200, 303), re.findall(r'role="alert">([^<]*)', answer.text)
    said = {
        "fr": "espèces de C000001",
        "nl": "contant geld van C000001",
        "de": "Bargeld von C000001",
    }
    for language in TRANSLATED:
        entity = html.unescape(client.get("/entities/E000001", params={"lang": language}).text)
        assert said[language] in entity, language
        assert not english_on(entity, language), english_on(entity, language)
    log_in(client, "adviser")
    for language in TRANSLATED:
        queue = client.get("/pending", params={"lang": language})
        text = html.unescape(queue.text)
        assert said[language] in text and "cash from" not in text, language
        assert not english_on(queue.text, language), (language, english_on(queue.text, language))
    english = html.unescape(client.get("/pending", params={"lang": "en"}).text)
    assert "cash from C000001" in english and "not seen by a bank" in english


@pytest.mark.parametrize("username", ROLES)
def test_no_english_on_the_pages_each_role_reaches(
    ui: tuple[Site, TestClient[Any]], username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, client = ui
    monkeypatch.setattr(
        site.coop, "instance", replace(site.coop.instance, languages=("fr", "nl", "de"))
    )
    log_in(client, username)
    for language in TRANSLATED:
        pages = crawl(client, language)
        assert len(pages) > 2, pages.keys()
        for path, page in pages.items():
            assert f'<html lang="{language}">' in page, path
            assert not english_on(page, language), (language, path, english_on(page, language))


def test_refusals_are_said_in_the_readers_language(ui: tuple[Site, TestClient[Any]]) -> None:
    _, client = ui
    log_in(client, "ada")
    said = {"fr": "introuvable", "nl": "niet gevonden", "de": "nicht gefunden"}
    for language in TRANSLATED:
        missing = client.get("/entities/E000002", params={"lang": language})
        assert missing.status_code == 404
        assert not english_on(missing.text, language), english_on(missing.text, language)
        assert said[language] in missing.text or "E000002" in missing.text
    client.get("/language/fr")
    page = client.get("/entities/E000001/quick-job").text
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
    assert "Prix unitaire (1) : 10,001 a plus de 2 décimales" in html.unescape(answer.text)
    assert not english_on(answer.text, "fr"), english_on(answer.text, "fr")


def test_the_api_answers_in_the_language_asked(ui: tuple[Site, TestClient[Any]]) -> None:
    _, client = ui
    login = client.post("/api/v1/auth/login", json={"username": "ada", "password": WEB_PASSWORD})
    bearer = {"Authorization": f"Bearer {login.json()['token']}"}
    english = client.get("/api/v1/entities/E000002", headers=bearer)
    french = client.get(
        "/api/v1/entities/E000002", headers={**bearer, "accept-language": "fr-BE,fr;q=0.9"}
    )
    assert english.status_code == french.status_code == 404
    assert english.json()["detail"].startswith("entity 'E000002': no such entity")
    assert french.headers["content-language"] == "fr"
    assert french.json()["detail"].startswith("Entité 'E000002' : aucune entité")
    assert french.json()["rule"] == english.json()["rule"]  # the rule stays English
    assert french.json()["type"] == english.json()["type"]


def test_a_refusal_is_english_for_the_command_line_and_formatted_for_each_page() -> None:
    refusal = InvalidAct(
        "lines[2].unit_price",
        "{given} has more than {digits} decimals for {currency}; round it explicitly first",
        given=Decimal("1234.001"),
        digits=2,
        currency="EUR",
    )
    assert str(refusal) == (
        "lines[2].unit_price: 1234.001 has more than 2 decimals for EUR; round it explicitly first"
    )
    german = i18n.words("de", "EUR", "be", lambda **_: None)
    assert i18n.say(refusal, german) == (
        "Einzelpreis (2): 1.234,001 hat mehr als 2 Nachkommastellen für die Währung EUR; "
        "runden Sie den Betrag zuerst"
    )
    owed = NotFound("entity", "no such {what}", value="'E9'", what=Word("invoice"))
    assert i18n.say(owed, i18n.words("nl", "EUR", "be", lambda **_: None)) == (
        "Entiteit 'E9': niet gevonden (factuur)"
    )
    lacking = InvalidAct(
        "amount", "{amount} must be a positive amount", amount=Amount(Decimal("-1234.5"), "EUR")
    )
    assert str(lacking) == "amount: -1234.5 EUR must be a positive amount"
    french = i18n.say(lacking, i18n.words("fr", "EUR", "fr", lambda **_: None))
    assert french.startswith("Montant : -1") and "234,50\xa0€ doit être" in french
    hiring = Word("hiring ({months} months of employer cost reserved)", months=3)
    assert str(hiring) == "hiring (3 months of employer cost reserved)"
    wrapped = InvalidAct("period", "{refusal}", refusal=NotFound("entity", "no such entity"))
    assert str(wrapped) == "period: entity: no such entity"
    german_words = i18n.words("de", "EUR", "be", lambda **_: None)
    assert i18n.say(wrapped, german_words) == "Zeitraum: Einheit: keine solche Einheit"
    lacking_room = InvalidAct(
        "entity",
        "{what} of {amount} refused: available funds and guarantee cover {room}, {lacking} missing",
        what=hiring,
        amount=Amount(Decimal(10), "EUR"),
        room=Amount(Decimal(0), "EUR"),
        lacking=Amount(Decimal(10), "EUR"),
    )
    assert i18n.say(lacking_room, german_words).startswith(
        "Einheit: abgelehnt (die Einstellung (3 Monate Arbeitgeberkosten reserviert), 10,00"
    )
    with pytest.raises(MoneyError) as caught:
        to_minor(Decimal("0.001"), "EUR", field="net")
    assert "Montant HTVA" in i18n.say(caught.value, i18n.words("fr", "EUR", "fr", lambda **_: None))


def test_every_refusal_template_is_translated() -> None:
    """Every ``N_`` of the core's and the plugins' Python has a translation in every
    language, keeping its ``{name}`` placeholders."""
    marked = {
        message
        for folder in (ROOT / "core", ROOT / "plugins")
        for _, _, message, _, _ in extract_from_dir(
            str(folder), method_map=[("**.py", "python")], keywords={"N_": None}
        )
        if isinstance(message, str)
    }
    assert "no such {what}" in marked
    placeholders = re.compile(r"\{[a-z_]*\}")
    for language in TRANSLATED:
        with (i18n.LOCALE_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            catalog = read_po(handle)
        missing = sorted(m for m in marked if m not in catalog or not catalog[m].string)
        assert not missing, f"{language}: untranslated {missing}"
        altered = sorted(
            m
            for m in marked
            if sorted(placeholders.findall(m))
            != sorted(placeholders.findall(str(catalog[m].string)))
        )
        assert not altered, f"{language}: placeholders differ in {altered}"


def test_every_audit_action_the_core_records_has_its_words() -> None:
    """An action written as a literal anywhere in the core (``action="entity.open"``) is
    named on the audit page; the few built from a variable are listed by hand there."""
    literal = re.compile(r'action=(?:"([a-z_]+\.[a-z_]+)"|[A-Z_]+)')
    recorded = {
        found
        for path in (ROOT / "core").rglob("*.py")
        for match in literal.finditer(path.read_text(encoding="utf-8"))
        for found in match.groups()
        if found
    }
    assert "ledger.open_book" in recorded
    assert not recorded - set(audit_words.ACTIONS), sorted(recorded - set(audit_words.ACTIONS))
    for language in TRANSLATED:
        named = i18n.catalog(language).gettext
        assert all(named(words) != words for words in audit_words.ACTIONS.values()), language


def test_the_ledger_says_each_entry_in_the_readers_language(
    ui: tuple[Site, TestClient[Any]],
) -> None:
    """Entries are stored in English (the books' one language); the ledger page says
    each in the reader's language, with its figures and names as stored."""
    _, client = ui
    log_in(client, "admin")
    accounts = sorted(set(re.findall(r"account=(\w+)\"", client.get("/admin/books").text)))
    assert len(accounts) > 3
    invoice = {"fr": "Facture F2026-000001 à Acme", "nl": "Factuur F2026-000001 aan Acme"}
    invoice["de"] = "Rechnung F2026-000001 an Acme"
    for language in TRANSLATED:
        seen = ""
        for account in accounts:
            page = client.get(
                "/admin/books/ledger", params={"lang": language, "account": account}
            ).text
            assert not english_on(page, language), (language, account, english_on(page, language))
            seen += html.unescape(page)
        assert invoice[language] in seen, language
        assert "Invoice F2026" not in seen and "Payment from" not in seen


def test_sector_refusals_and_statuses_are_said_in_the_readers_language() -> None:
    """A sector plugin's refusal is a template with its figures apart, and a refusal
    naming a status says the status's word, never its code."""
    from partage.core.acts.cooperative import RefusedBySector
    from partage.core.contract.sectors import ActContext
    from partage.plugins.sectors import construction

    act = ActContext(kind="invoice", entity="E000001", office="cap", on=date(2026, 3, 2))
    refusal = construction.partage_validate_act(act=act)
    assert refusal is not None
    refused = RefusedBySector("sector", refusal.rule, value=refusal.sector, **dict(refusal.params))
    assert str(refused) == (
        "sector construction: no valid insurance attestation for construction on 2026-03-02"
    )
    for language, said in (("fr", "2 mars 2026"), ("nl", "2 mrt 2026"), ("de", "02.03.2026")):
        shown = i18n.say(refused, i18n.words(language, "EUR", "be", lambda **_: None))
        assert said in shown and "insurance" not in shown, shown
    offer = InvalidAct(
        "offer", "the offer is {offer_status}, not waiting", offer_status=Word("withdrawn")
    )
    for language, word in (("fr", "retirée"), ("nl", "ingetrokken"), ("de", "zurückgezogen")):
        shown = i18n.say(offer, i18n.words(language, "EUR", "be", lambda **_: None))
        assert word in shown and "withdrawn" not in shown, shown


def test_every_status_a_refusal_names_is_translated() -> None:
    """A status or kind put in a refusal as a parameter goes through :class:`Word`: a
    parameter named ``*_status`` or ``*_kind`` given a bare attribute fails here."""
    bare = re.compile(r"^\s*\w*_(?:status|kind|kind_value)=(?!Word\()[\w.]+,$", re.M)
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0).strip()}"
        for folder in (ROOT / "core", ROOT / "plugins")
        for path in folder.rglob("*.py")
        if "/web/" not in str(path) and "/cli/" not in str(path)
        for match in bare.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
    for language in TRANSLATED:
        gettext = i18n.catalog(language).gettext
        for word in ("withdrawn", "validated", "refused_on_appeal", "closing", "rejected"):
            assert gettext(word) != word or (language == "de" and word == "normal"), word
