"""The interface's languages: gettext catalogs read with babel, amounts and dates
written the way people of that language and country write them.

The catalogs are plain ``.po`` files under ``locale/<lang>/LC_MESSAGES`` (the source
translators edit); they are compiled in memory when first used, so no binary file
is kept in the repository. To add strings: mark them with ``_()`` in a template (or
``N_()`` in Python), then ``pybabel extract -F core/web/babel.cfg -o messages.pot
core/web`` and ``pybabel update -i messages.pot -d core/web/locale``; a test fails
while a string lacks a translation.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations

from partage.core.contract.errors import PartageError

LOCALE_DIR = Path(__file__).parent / "locale"
#: Languages the interface is translated into; English is the source language.
LANGUAGES = ("en", "fr", "nl", "de")
NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}


def N_(text: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return text


@cache
def catalog(language: str) -> NullTranslations:
    """The compiled translations of a language (English: none needed)."""
    source = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == "en" or not source.is_file():
        return NullTranslations()
    with source.open("rb") as handle:
        messages = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled)


def choose(wanted: str | None, preferred: str | None, accept: str, offered: tuple[str, ...]) -> str:
    """The interface language: an explicit choice, else the login's preference, else
    the browser's best match among the instance's languages, else its first one."""
    usable = [lang for lang in offered if lang in LANGUAGES] or ["en"]
    for candidate in (wanted, preferred):
        if candidate in LANGUAGES:
            return candidate
    for part in accept.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in usable:
            return code
    return usable[0]


@dataclass(frozen=True)
class Words:
    """What a template needs to speak one language.

    Attributes:
        language: ISO 639-1 code.
        gettext: translates a message.
        amount: formats an amount of the instance currency.
        day: formats a date.
    """

    language: str
    gettext: Callable[[str], str]
    amount: Callable[[object], str]
    day: Callable[[date | None], str]


def words(
    language: str, currency: str, country: str, plugin_format: Callable[..., object]
) -> Words:
    """The words of a language; amounts through the country plugin where it knows the
    locale (``fr_BE``, ``de_BE``), else CLDR through babel."""
    locale = f"{language}_{country.upper()}"

    def amount(value: object) -> str:
        number = Decimal(str(value))
        try:
            text = plugin_format(amount=number, locale=locale)
        except PartageError:
            text = None
        if isinstance(text, str):
            return text
        return format_currency(number, currency, locale=language)

    def day(value: date | None) -> str:
        return "" if value is None else format_date(value, "medium", locale=language)

    return Words(language, catalog(language).gettext, amount, day)


def number(value: object, language: str) -> str:
    """A plain decimal number in the language's notation."""
    return format_decimal(Decimal(str(value)), locale=language)


#: Words that reach the templates as data rather than as literals: roles, entity
#: kinds, quote statuses, the core's expense categories.
DATA_WORDS = (
    N_("member"),
    N_("adviser"),
    N_("office_manager"),
    N_("administrator"),
    N_("ethics_committee"),
    N_("franchisor"),
    N_("quick_job"),
    N_("project"),
    N_("freelance"),
    N_("maker"),
    N_("business"),
    N_("long_term_employment"),
    N_("sent"),
    N_("accepted"),
    N_("refused"),
    N_("expired"),
    N_("superseded"),
    N_("travel"),
    N_("supplies"),
    N_("equipment"),
    N_("meals"),
    N_("phone"),
    N_("training"),
)
