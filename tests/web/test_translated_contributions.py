"""The social summary names each contribution in the reader's language: the country
plugins write their contributions' names in their own language (French for Belgium and
France, as their payslips print them) and mark them ``N_``; an English, Dutch or German
page shows none of those French names, a French page shows them as written.

The summaries are the plugins' own: real Belgian and French payslips of June 2026
summed and declared by each plugin, shown on the administrator's page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy.orm import Session

from partage.core.acts.cooperative import Cooperative
from partage.core.contract import EmploymentContract, Period, payroll_totals
from partage.core.declarations.returns import SocialSummary
from partage.core.platform.db.engine import make_engine
from partage.core.web.admin import pages
from partage.core.web.app import create_app
from partage.core.web.site import Site
from partage.plugins.belgium import payroll as belgium
from partage.plugins.france import payroll as france
from tests.engine_support import WEB_PASSWORD, web_site
from tests.web.test_translated_pages import english_on

JUNE = Period(date(2026, 6, 1), date(2026, 6, 30))


def belgian_summary() -> SocialSummary:
    """An employee, a manual worker and a student paid in June by the Belgian plugin."""
    slips = [
        (worker, belgium.payslip(EmploymentContract(category, date(2026, 1, 1), gross), JUNE))
        for worker, category, gross in (
            (1, "employee", Decimal(3000)),
            (2, "worker", Decimal(2500)),
            (3, "student", Decimal(800)),
        )
    ]
    totals = payroll_totals(JUNE, slips, "EUR")
    return SocialSummary(totals, "EUR", Decimal(0), tuple(belgium.social_declaration(JUNE, totals)))


def french_summary() -> SocialSummary:
    """A cadre and a non-cadre paid in June by the French plugin."""
    slips = [
        (worker, france.payslip(EmploymentContract(category, date(2026, 1, 1), gross), JUNE))
        for worker, category, gross in (
            (1, "cadre", Decimal(5200)),
            (2, "non_cadre", Decimal(2100)),
        )
    ]
    totals = payroll_totals(JUNE, slips, "EUR")
    return SocialSummary(totals, "EUR", Decimal(0), tuple(france.social_declaration(JUNE, totals)))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient[Any]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'web.db'}")
    site = web_site(engine)
    assert isinstance(site, Site)
    with TestClient(create_app(site)) as client:
        login = client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": WEB_PASSWORD}
        )
        client.cookies.set("partage_session", login.json()["token"])
        yield client
    engine.dispose()


def french_names(summary: SocialSummary) -> set[str]:
    """The plugin's names of its contributions and boxes, numbers left out."""
    return {c.label for c in summary.totals.contributions} | {
        re.sub(r" \(.*\)$", "", b.label) for b in summary.boxes if "tranche" not in b.label
    }


@pytest.mark.parametrize("summary", [belgian_summary(), french_summary()], ids=["BE", "FR"])
def test_no_french_contribution_name_on_an_english_dutch_or_german_page(
    client: TestClient[Any], summary: SocialSummary, monkeypatch: pytest.MonkeyPatch
) -> None:
    def summarised(session: Session, coop: Cooperative, period: Period) -> SocialSummary:
        return summary

    monkeypatch.setattr(pages, "social_summary", summarised)
    names = {n for n in french_names(summary) if n not in ("APEC",)}
    assert len(names) > 8, names
    for language in ("en", "nl", "de"):
        answer = client.get("/admin/social", params={"period": "2026-06", "lang": language})
        assert answer.status_code == 200, answer.text
        text = html.unescape(answer.text)
        shown = sorted(n for n in names if n in text)
        assert not shown, (language, shown)
        assert "tranche" not in text, language
        if language != "en":
            assert not english_on(answer.text, language), english_on(answer.text, language)
    french = html.unescape(
        client.get("/admin/social", params={"period": "2026-06", "lang": "fr"}).text
    )
    assert all(name in french for name in names)


def test_the_english_page_names_the_belgian_contributions_in_english(
    client: TestClient[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = belgian_summary()
    monkeypatch.setattr(pages, "social_summary", lambda *_: summary)
    text = html.unescape(client.get("/admin/social", params={"period": "2026-06"}).text)
    assert "Personal social security contribution (ONSS)" in text
    assert "Student solidarity contribution (employer)" in text
    german = html.unescape(
        client.get("/admin/social", params={"period": "2026-06", "lang": "de"}).text
    )
    assert "Persönlicher LSS-Beitrag (Arbeitnehmer)" in german


def test_every_vat_box_of_belgium_and_france_has_its_words_in_each_language() -> None:
    """The VAT page names each box through the catalogs: every Belgian grid and French
    CA3 line the plugins name in French is said in English, Dutch and German."""
    from partage.core.web import i18n
    from partage.plugins.belgium import vat as belgian_vat
    from partage.plugins.france import vat as french_vat

    labels = [*belgian_vat.LABELS.values(), *french_vat.CA3_LABELS.values()]
    assert len(labels) > 40
    for language in ("en", "nl", "de"):
        said = i18n.catalog(language).gettext
        untranslated = [label for label in labels if said(label) == label]
        assert not untranslated, (language, untranslated)
