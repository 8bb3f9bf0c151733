"""Copyright income: 15 % withholding after flat-rate costs by yearly bracket.

Income from the cession or licence of copyright is movable income (CIR 92, art. 17,
§ 1er, 5°) up to a yearly ceiling. Flat-rate costs are deducted by bracket of the
author's yearly copyright income (art. 37 CIR 92 and art. 3 AR/CIR 92: 50 % of the first
bracket, 25 % of the second, nothing beyond), and 15 % is withheld on what remains
(art. 171 and 269 CIR 92). ``earlier_this_year`` places this cession in the brackets:
a cession of 5,000 after 18,000 already received in 2024 gets 50 % on its first 1,480
and 25 % on the rest.

Above the yearly ceiling the income is professional income in the author's tax
return; the debtor still withholds 15 % and the legal mention says so. The indexed
amounts are known up to the day in ``copyright/covered_through.toml``; a later cession
is refused until that year's amounts are added (the 2026 reform is announced, not law).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from partage.core.contract import N_, CopyrightTaxation, ParameterError, PayrollError, round_money
from partage.plugins.belgium.law import CURRENCY, PARAMETERS


def taxation(amount: Decimal, on: date, earlier_this_year: Decimal) -> CopyrightTaxation:
    """Tax one cession of ``amount`` received on ``on`` after ``earlier_this_year``."""
    if amount < 0:
        raise PayrollError("amount", N_("{amount} must not be negative"), amount=amount)
    if earlier_this_year < 0:
        raise PayrollError(
            "earlier_this_year",
            N_("{earlier_this_year} must not be negative"),
            earlier_this_year=earlier_this_year,
        )
    covered = date.fromisoformat(PARAMETERS.text("copyright.covered_through", on))
    if on > covered:
        raise ParameterError(
            "copyright",
            N_(
                "no indexed flat-rate cost brackets for {on}; the parameters "
                "cover cessions up to {covered} (add the amounts of income "
                "year {on_year})"
            ),
            on=on,
            covered=covered,
            on_year=on.year,
        )
    scale = PARAMETERS.scale("copyright.flat_rate_costs", on)
    before, after = earlier_this_year, earlier_this_year + amount
    costs = round_money(scale.marginal(after) - scale.marginal(before), CURRENCY)
    taxable = amount - costs
    rate = PARAMETERS.value("copyright.withholding_rate", on)
    withholding = round_money(taxable * rate, CURRENCY)
    ceiling = PARAMETERS.value("copyright.ceiling", on)
    mention = (
        "Revenus de droits d'auteur - précompte mobilier de 15 % retenu après frais "
        "forfaitaires (art. 17, § 1er, 5°, 37 et 269 CIR 92)"
    )
    if after > ceiling:
        mention += (
            f"; la part des revenus de l'année au-delà de {ceiling} EUR est un revenu "
            "professionnel (art. 17, § 1er, 5° CIR 92)"
        )
    return CopyrightTaxation(
        amount=amount,
        flat_rate_costs=costs,
        taxable=taxable,
        withholding_rate=rate,
        withholding=withholding,
        net=amount - withholding,
        legal_mention=mention,
    )
