"""Who the country is: identity, brand, public holidays and how amounts are written.

Holidays come from the ``holidays`` library when it knows the country's calendar,
formatting from CLDR through babel, so amounts read as people of each locale write them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

import holidays
from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from partage.core.contract import Brand, CountryIdentity, PartageError

CODE = "{{ cookiecutter.country_code }}"
CURRENCY = "{{ cookiecutter.currency }}"
{%- set languages = cookiecutter.languages.replace(" ", "").split(",") | reject("equalto", "") | list %}
LANGUAGES = ({{ languages | map("tojson") | join(", ") }}{% if languages | length == 1 %},{% endif %})
LEGAL_NAME = "{{ cookiecutter.franchisee_legal_name }}"
LEGAL_FORM = "{{ cookiecutter.legal_form }}"
#: Whether the ``holidays`` library knows this country's public holidays.
HOLIDAYS_KNOWN = CODE.upper() in holidays.list_supported_countries()

IDENTITY = CountryIdentity(
    code=CODE,
    name="{{ cookiecutter.country_name }}",
    currency=CURRENCY,
    default_locale="{{ cookiecutter.default_locale }}",
    languages=LANGUAGES,
    legal_form=LEGAL_FORM,
)

# The usual mentions of a VAT invoice and of a company's documents; check them against
# the national invoicing and company law, and cite the articles.
BRAND = Brand(
    name="{{ cookiecutter.brand_name }}",
    primary_colour="{{ cookiecutter.primary_colour }}",
    secondary_colour="{{ cookiecutter.secondary_colour }}",
    logo="data/logo.svg",
    invoice_legal_mentions=(
        f"{LEGAL_NAME}, {LEGAL_FORM}: registered office and company number",
        "Date of issue and sequential invoice number",
        "Name, address and VAT number of the supplier and of a taxable client",
        "Date of the supply when it differs from the date of issue",
        "Quantity and nature of the goods or services supplied",
        "Taxable amount per rate, the rate and the VAT amount",
        "Exemption or reverse-charge mention with its legal basis",
    ),
)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """The country's public holidays of ``year``, as the ``holidays`` library knows them."""
    return frozenset(holidays.country_holidays(CODE.upper(), years=year))


def format_amount(amount: Decimal, locale: str) -> str:
    """``amount`` in the country's currency, as people of ``locale`` write it."""
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError, TypeError):
        raise PartageError("locale", "not a locale CLDR knows", value=repr(locale)) from None
    return format_currency(amount, CURRENCY, locale=locale)
