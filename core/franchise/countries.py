"""What a country's code says about it: its names, its currency, its languages.

A national partner scaffolding its instance types its country's code first; the name,
currency, locale and languages it is then offered follow that code (ISO 3166 through
pycountry, CLDR through babel), so that typing ``pt`` never leaves Luxembourg's
answers in place. The same data refuse a name that is not the code's country, in
English or in one of its own languages ("Portugal", "Belgique", "Lëtzebuerg"), since
the name is printed on every document the instance issues.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib.resources import files

import pycountry
from babel import Locale, UnknownLocaleError
from babel.languages import get_territory_language_info
from babel.numbers import get_territory_currencies

#: CLDR's statuses of a language a country's institutions use nationwide.
NATIONAL = ("official", "de_facto_official")


def country_of(code: str) -> object | None:
    """pycountry's record of the ISO 3166-1 alpha-2 ``code`` (any case), if any."""
    return pycountry.countries.get(alpha_2=code.upper())


def languages_of(code: str) -> list[str]:
    """The country's national languages with a two-letter ISO 639-1 code, most spoken
    first (CLDR's population shares); English where CLDR names none."""
    info = get_territory_language_info(code.upper())
    national = sorted(
        (
            (-float(facts.get("population_percent") or 0), language)
            for language, facts in info.items()
            if facts.get("official_status") in NATIONAL
            and len(language) == 2
            and pycountry.languages.get(alpha_2=language) is not None
        ),
    )
    return [language for _, language in national] or ["en"]


def locale_of(code: str, languages: list[str]) -> str:
    """The first language's locale in the country (``pt_PT``), else the language's own."""
    for candidate in (f"{languages[0]}_{code.upper()}", languages[0]):
        try:
            Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
        return candidate
    return "en"


def currency_of(code: str, on: date) -> str | None:
    """The currency legal tender in the country on ``on`` (CLDR), if CLDR knows one."""
    found = get_territory_currencies(code.upper(), start_date=on, tender=True)
    return found[0] if found else None


@cache
def legal_forms() -> dict[str, dict[str, str]]:
    """The cooperative legal form of each country Partage knows, by lower-case code
    (``data/legal_forms.toml``: the form in the country's language, the abbreviation a
    registered name ends with, the law that defines it)."""
    text = files("partage.core.franchise").joinpath("data/legal_forms.toml").read_text("utf-8")
    return {code: dict(entry) for code, entry in tomllib.loads(text).items()}


def defaults_for(code: str, on: date) -> dict[str, str]:
    """The template's answers that follow from the country's code, by template variable:
    ``country_name``, ``currency``, ``default_locale``, ``languages``, ``legal_form``
    and ``franchisee_legal_name`` (a template on the name answered); empty for a code
    that names no country. A country whose cooperative form is not in
    :func:`legal_forms` gets an empty legal form, which the partner must type."""
    country = country_of(code)
    if country is None:
        return {}
    languages = languages_of(code)
    form = legal_forms().get(code.strip().lower())
    suffix = f" {form['abbreviation']}" if form and form.get("abbreviation") else ""
    found = {
        "country_name": str(getattr(country, "common_name", None) or country.name),  # type: ignore[attr-defined]
        "default_locale": locale_of(code, languages),
        "languages": ",".join(languages),
        "legal_form": form["form"] if form else "",
        "franchisee_legal_name": "Partage {{ cookiecutter.country_name }}" + suffix,
    }
    currency = currency_of(code, on)
    if currency is not None:
        found["currency"] = currency
    return found


def names_of(code: str) -> set[str]:
    """Every accepted name of the country, case-folded: its English names in ISO 3166
    (short, common and official) and its name in English and in each of its national
    languages (CLDR)."""
    country = country_of(code)
    if country is None:
        return set()
    names = {
        str(value)
        for value in (
            getattr(country, "name", None),
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        )
        if value
    }
    for language in {"en", *languages_of(code)}:
        try:
            local = Locale.parse(language).territories.get(code.upper())
        except (UnknownLocaleError, ValueError):
            continue
        if local:
            names.add(local)
    return {name.casefold() for name in names}
