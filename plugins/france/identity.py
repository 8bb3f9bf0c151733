"""Who the French plugin is: identity, brand, invoice mentions, holidays, formatting.

The cooperative is a coopérative d'activité et d'emploi (CAE, loi n° 2014-856 du
31 juillet 2014 relative à l'économie sociale et solidaire, art. 47), constituted as a
SCIC (or SCOP) société anonyme. The invoice mentions are those a French invoice must
carry between professionals (CGI art. 242 nonies A of annexe II; Code de commerce
art. L441-9 and D441-5; art. R123-237 for the company's identification). Holidays
(``holidays``) and formatting (babel) are imported by the functions that use them, so
that registering the plugin loads neither.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from partage.core.contract import Brand, CountryIdentity

LANGUAGES = ("fr",)
CURRENCY = "EUR"

IDENTITY = CountryIdentity(
    code="fr",
    name="France",
    currency=CURRENCY,
    default_locale="fr_FR",
    languages=LANGUAGES,
    legal_form=(
        "SCIC SA à capital variable, coopérative d'activité et d'emploi "
        "(loi n° 2014-856 du 31 juillet 2014, art. 47)"
    ),
)

# What every invoice of the cooperative prints besides the line items, each with the
# rule that requires it. Placeholders in braces are filled by document rendering from the
# instance's configuration.
INVOICE_LEGAL_MENTIONS: tuple[str, ...] = (
    "{legal_name}, société coopérative d'intérêt collectif anonyme à capital variable, "
    "coopérative d'activité et d'emploi — siège : {address} "
    "(CGI ann. II art. 242 nonies A 1° à 3°; Code de commerce art. R123-237)",
    "SIREN {siren} — RCS {rcs_city} — SIRET de l'établissement {siret} "
    "(Code de commerce art. R123-237; CGI ann. II art. 242 nonies A 1°)",
    "N° de TVA intracommunautaire : {vat_number} (CGI ann. II art. 242 nonies A 4°)",
    "Capital variable — capital minimum {capital_minimum} (Code de commerce art. R123-237 3°; "
    "loi n° 47-1775 du 10 septembre 1947, art. 7)",
    "Date d'échéance du paiement : {due_date} — pas d'escompte pour paiement anticipé "
    "(Code de commerce art. L441-9 I al. 4)",
    "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles le jour suivant "
    "la date d'échéance, sans rappel (Code de commerce art. L441-10 II et L441-9 I)",
    "Indemnité forfaitaire pour frais de recouvrement due au créancier en cas de retard de "
    "paiement : 40 € (Code de commerce art. L441-10 II et D441-5)",
)

BRAND = Brand(
    name="Partage France",
    primary_colour="#1b4f72",
    secondary_colour="#f5b041",
    logo="data/logo.svg",
    invoice_legal_mentions=INVOICE_LEGAL_MENTIONS,
)


def public_holidays(year: int) -> frozenset[date]:
    """The eleven national public holidays of metropolitan France (Code du travail L3133-1).

    Alsace-Moselle's two extra days are local law and are not national holidays.
    """
    import holidays

    return frozenset(holidays.country_holidays("FR", years=year))


def format_amount(amount: Decimal, locale: str) -> str:
    """An amount in euros as French readers expect it (``1 234,56 €``)."""
    from babel.numbers import format_currency

    return format_currency(amount, CURRENCY, locale=locale)


def format_day(day: date, locale: str = "fr_FR") -> str:
    """A date in the long French form (``14 juillet 2026``)."""
    from babel.dates import format_date

    return format_date(day, format="long", locale=locale)
