"""Who Belgium is: identity, brand, public holidays and how amounts are written.

Holidays come from the ``holidays`` library (national holidays of Belgium, the same in
the three communities), formatting from CLDR through babel, so ``1234.5`` reads
``1 234,50 €`` in Brussels, ``€ 1.234,50`` in Ghent and ``1.234,50 €`` in Eupen. Both
libraries are imported by the functions that use them, so that registering the plugin
loads neither.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache

from partage.core.contract import Brand, CountryIdentity, PartageError

LOCALES = frozenset({"fr_BE", "nl_BE", "de_BE"})

IDENTITY = CountryIdentity(
    code="be",
    name="Belgium",
    currency="EUR",
    default_locale="fr_BE",
    languages=("fr", "nl", "de"),
    legal_form="SC (société coopérative / coöperatieve vennootschap)",
)

# What a Belgian invoice must show: Code de la TVA, art. 53, § 2 and AR n° 1 du
# 29 décembre 1992, art. 5, § 1er (date, sequential number, names, addresses and VAT
# numbers of both parties, description, tax point, base per rate, rate, VAT amount,
# exemption or reverse-charge mention), plus the company-law mentions of the Code des
# sociétés et des associations, art. 2:20 (legal form, seat, enterprise number, RPM).
BRAND = Brand(
    name="Partage",
    primary_colour="#1f4e79",
    secondary_colour="#f2a900",
    logo="data/logo.svg",
    invoice_legal_mentions=(
        "Date d'émission et numéro de facture séquentiel (AR n° 1 TVA, art. 5, § 1er, 1°)",
        "Nom, adresse et numéro de TVA BE du fournisseur (AR n° 1 TVA, art. 5, § 1er, 2°)",
        "Nom, adresse et numéro de TVA du client assujetti (AR n° 1, art. 5, § 1er, 3°-4°)",
        "Date de la livraison ou de la prestation si elle diffère (AR n° 1, art. 5, § 1er, 5°)",
        "Quantité et nature des biens ou services (AR n° 1 TVA, art. 5, § 1er, 6°)",
        "Base par taux, taux et montant de la TVA (AR n° 1 TVA, art. 5, § 1er, 7°-10°)",
        "Mention d'exemption ou d'autoliquidation et sa base légale (AR n° 1, art. 5, § 1er, 11°)",
        "SC, siège, numéro d'entreprise BCE, RPM et tribunal (Code des sociétés, art. 2:20)",
    ),
)


@cache
def public_holidays(year: int) -> frozenset[date]:
    """Belgian public holidays of ``year`` (loi du 4 janvier 1974, AR du 18 avril 1974)."""
    import holidays

    return frozenset(holidays.country_holidays("BE", years=year))


def format_amount(amount: Decimal, locale: str) -> str:
    """``amount`` in euros as people of ``locale`` write it; only the three Belgian locales."""
    from babel.numbers import format_currency

    if locale not in LOCALES:
        raise PartageError(
            "locale", f"Belgium formats for {', '.join(sorted(LOCALES))} only", value=repr(locale)
        )
    return format_currency(amount, "EUR", locale=locale)
