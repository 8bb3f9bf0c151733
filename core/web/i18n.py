"""The interface's languages: gettext catalogs read with babel, amounts and dates
written the way people of that language and country write them, and the engine's
refusals said in the reader's language.

The catalogs are plain ``.po`` files under ``locale/<lang>/LC_MESSAGES`` (the source
translators edit); they are compiled in memory when first used, so no binary file
is kept in the repository. One catalog holds the pages' words and the refusals of the
core and of the plugins. To add strings:

* in a template, ``{{ _("Available funds") }}``;
* in Python, a word shown as data (a status, a category, a field's name), ``N_("sent")``
  and the template translates the value it receives with ``_()``;
* a refusal, raised with an English template marked ``N_`` and its figures as keyword
  parameters (``raise InvalidAct("on", N_("an act is dated from {first} to {last}"),
  first=first, last=last)``; :mod:`partage.core.contract.errors` says which types are
  formatted how). :func:`say` translates it at display time; the command line and the
  logs keep the English sentence. A plugin imports ``N_`` from
  ``partage.core.contract.errors`` and does the same;

then, from the repository's root::

    pybabel extract -F core/web/babel.cfg -o /tmp/messages.pot core plugins
    pybabel update -i /tmp/messages.pot -d core/web/locale

and fill every empty ``msgstr`` of ``fr``, ``nl`` and ``de`` (keep each ``{name}`` of
the template). ``tests/web/test_web_ui.py`` fails while a marked string lacks a
translation, and ``tests/web/test_translated_pages.py`` while a French, Dutch or German
page shows an English sentence or a raw code.
"""

from __future__ import annotations

import io
import re
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

from partage.core.contract.errors import N_, Amount, PartageError, Word

__all__ = ["N_", "say", "words"]

LOCALE_DIR = Path(__file__).parent / "locale"
#: Languages the interface is translated into; English is the source language.
LANGUAGES = ("en", "fr", "nl", "de")
NAMES = {"en": "English", "fr": "Français", "nl": "Nederlands", "de": "Deutsch"}


@cache
def catalog(language: str) -> NullTranslations:
    """The compiled translations of a language. English needs none but for the words
    a country plugin writes in its own language (a Belgian contribution's French name):
    the English catalog holds only those."""
    source = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not source.is_file():
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

    gettext = catalog(language).gettext
    if language == "en":  # a code shown as a word loses its underscores

        def english(message: str) -> str:
            said = gettext(message)
            return said if said != message else english_words(message)

        return Words(language, english, amount, day)
    return Words(language, gettext, amount, day)


#: A word that reaches a template as a code (``office_manager``, ``long_term_employment``).
CODE_WORD = re.compile(r"[a-z]+(?:_[a-z]+)+")


def english_words(message: str) -> str:
    """A message on an English page: the source text itself, a code as words
    (``office manager``): the other languages' catalogs translate codes, English has none."""
    return message.replace("_", " ") if CODE_WORD.fullmatch(message) else message


#: A field's path: its last name, without the list positions (``lines[1].unit_price``).
FIELD_NAME = re.compile(r"(?:.*\.)?([a-z_]+)(?:\[\d+\])?$")


def field_label(field: str | None, language: str) -> str | None:
    """The name of the field a refusal concerns, in the language: the catalog's word for
    the whole path, else for its last name (``unit_price`` of ``lines[1].unit_price``),
    with the line's position; the path itself where the catalog has none."""
    if field is None:
        return None
    gettext = catalog(language).gettext
    if gettext(field) != field or language == "en":
        return gettext(field)
    found = FIELD_NAME.match(field)
    if found is None or gettext(found.group(1)) == found.group(1):
        return field
    position = re.search(r"\[(\d+)\]", field)
    label = gettext(found.group(1))
    return label if position is None else f"{label} ({position.group(1)})"


def say(exc: PartageError, shown: Words) -> str:
    """A refusal in the reader's language: its template through the catalog, each
    parameter written the language's way, after the field's name. English gives the
    engine's own message; a template the catalog lacks stays English, its figures
    written the language's way (the tests refuse such a template)."""
    language = shown.language
    if language == "en":
        return str(exc)
    template = shown.gettext(exc.template)
    params = {name: _shown(value, shown) for name, value in exc.params.items()}
    try:
        rule = template.format(**params) if params else template
    except (KeyError, IndexError, ValueError):  # a format spec (``{day:%Y-%m}``) wants the value
        try:
            rule = template.format(**exc.params)
        except (KeyError, IndexError, ValueError):
            return str(exc)
    label = field_label(exc.field, language)
    where = label if exc.value is None else f"{label} {exc.value}"
    joined = shown.gettext(N_("{field}: {rule}"))
    said = rule if where is None else joined.format(field=where, rule=rule)
    return said[:1].upper() + said[1:]  # a sentence on a page


def said(value: object, shown: Words) -> str:
    """A value a page shows in its language: a :class:`Word` through its template, a
    plain text as it is."""
    return str(_shown(value, shown)) if isinstance(value, Word) else str(value)


def _shown(value: object, shown: Words) -> object:
    """A refusal's parameter as a page writes it."""
    if isinstance(value, PartageError):  # a refusal another one wraps
        return say(value, shown)
    if isinstance(value, Amount):
        return shown.amount(value.value)
    if isinstance(value, Word):
        text = shown.gettext(value.template)
        if not value.params:
            return text
        return text.format(**{name: _shown(each, shown) for name, each in value.params.items()})
    if isinstance(value, tuple | list):
        return ", ".join(str(_shown(each, shown)) for each in value)
    if isinstance(value, bool):
        return value
    if isinstance(value, date):
        return shown.day(value)
    if isinstance(value, Decimal):
        return number(value, shown.language)
    return value


#: The fields refusals name most, as a page names them (``lines[1].unit_price`` is
#: named by its last part and its position). A refusal naming another field shows the
#: field's path: add its word here (or beside the refusal, marked ``N_``).
FIELD_WORDS = (
    N_("role"),
    N_("holders"),
    N_("office"),
    N_("entity"),
    N_("login"),
    N_("offer"),
    N_("on"),
    N_("due_on"),
    N_("supplied_on"),
    N_("amount"),
    N_("net"),
    N_("vat"),
    N_("currency"),
    N_("guarantee_fund"),
    N_("unit_price"),
    N_("quantity"),
    N_("description"),
    N_("client_name"),
    N_("country"),
    N_("category"),
    N_("receipt"),
    N_("month"),
    N_("hours"),
    N_("gross"),
    N_("start"),
    N_("end"),
    N_("reason"),
    N_("iban"),
    N_("bic"),
    N_("email"),
    N_("name"),
    N_("username"),
    N_("password"),
    N_("invoice"),
    N_("document"),
    N_("reminder"),
    N_("contract"),
    N_("party"),
    N_("quote"),
    N_("worker_category"),
    N_("vat_number"),
    N_("company_number"),
    N_("street"),
    N_("postcode"),
    N_("town"),
    N_("sector"),
    N_("allocations"),
    N_("answers"),
    N_("buyer"),
    N_("claim"),
    N_("client"),
    N_("code"),
    N_("credit_note"),
    N_("credits"),
    N_("date"),
    N_("decided_on"),
    N_("decision"),
    N_("dependent_children"),
    N_("direction"),
    N_("disabled_from"),
    N_("enabled_from"),
    N_("exemption"),
    N_("file"),
    N_("hourly_rate"),
    N_("issuer"),
    N_("kind"),
    N_("language"),
    N_("lines"),
    N_("member"),
    N_("method"),
    N_("monthly_gross"),
    N_("national_id"),
    N_("number"),
    N_("old_password"),
    N_("page"),
    N_("part_time"),
    N_("payer"),
    N_("payslips"),
    N_("pending"),
    N_("per_page"),
    N_("period"),
    N_("person"),
    N_("purchase"),
    N_("rate_code"),
    N_("second_factor"),
    N_("secret"),
    N_("sectors"),
    N_("share_class"),
    N_("shares"),
    N_("since"),
    N_("social_security_id"),
    N_("statement"),
    N_("subject"),
    N_("supplier"),
    N_("supplier_reference"),
    N_("supply"),
    N_("tax_situation"),
    N_("token"),
    N_("valid_days"),
    N_("valid_until"),
    N_("valid_from"),
    N_("attestation"),
    N_("vat_code"),
    N_("discount"),
    N_("percent"),
    N_("unit"),
    N_("deposit"),
    N_("draft"),
    N_("work"),
    N_("user_name"),
    N_("employer_cost"),
    N_("earlier_this_year"),
    N_("account"),
    N_("book"),
    N_("application"),
    N_("entry"),
    N_("year"),
    N_("from"),
    N_("act"),
    N_("confirm"),
    N_("body"),
    N_("place"),
    N_("starts_at"),
    N_("item"),
    N_("title"),
    N_("capacity"),
    N_("status"),
    N_("sort"),
    N_("legal_reserve"),
    N_("other_reserves"),
    N_("workshop"),
    N_("by"),
    N_("charter"),
    N_("key"),
    N_("approved_by"),
    N_("format"),
    N_("tender_reference"),
    N_("funder"),
    N_("sponsor"),
    N_("reference"),
    N_("receipt_base64"),
    N_("payment_reference"),
    N_("visible"),
    N_("separator"),
    N_("encoding"),
    N_("company_id"),
    N_("record"),
    N_("header"),
    N_("export"),
)


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
    N_("board"),
    N_("general_assembly"),
    N_("in_review"),
    N_("appealed"),
    # the statuses and kinds a refusal names (``the offer is {offer_status}``)
    N_("pending"),
    N_("withdrawn"),
    N_("normal"),
    N_("closing"),
    N_("opening"),
    N_("unverified"),
    N_("admitted"),
    N_("refused_on_appeal"),
    N_("validated"),
    N_("verified"),
    N_("rejected"),
    N_("replaced"),
)
