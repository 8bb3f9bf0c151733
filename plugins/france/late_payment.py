"""What a late payer owes in France beyond the invoice, read from the dated parameters
in ``data/parameters/retard_de_paiement``.

* A **professional** client: penalties from the day after the due date at the ECB's
  refinancing rate of the half-year plus 10 points, never below three times the legal
  interest rate (Code de commerce, art. L441-10, II), and the 40 EUR fixed
  compensation for recovery costs (art. L441-10, II and D441-5).
* A **consumer**: interest at the legal interest rate (Code monétaire et financier,
  art. L313-2) from the day after the first reminder, which puts the debtor on notice
  (Code civil, art. 1231-6), and no fixed compensation. The rate is
  the one "for all other cases", since the creditor — the cooperative — is not a
  natural person acting outside a profession; the rate for such persons' claims is kept
  in the parameters beside it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from partage.core.contract import LateCharges, LateClaim, daily_interest, hookimpl
from partage.plugins.france.law import LAW

PREFIX = "retard_de_paiement."
ECB_PLUS_TEN = PREFIX + "taux_bce_majore"
LEGAL = PREFIX + "taux_interet_legal_professionnels"
FLOOR = PREFIX + "multiple_interet_legal"


def business_rate(on: date) -> Decimal:
    """The penalty rate between professionals on ``on``: ECB + 10 points, or three times
    the legal rate when that is higher (art. L441-10, II)."""
    return max(LAW.value(ECB_PLUS_TEN, on), LAW.value(FLOOR, on) * LAW.value(LEGAL, on))


@hookimpl
def partage_late_payment_charges(claim: LateClaim) -> LateCharges | None:
    """Penalties and compensation on a late payment in France (see the module); ``None``
    before the parameters' first values."""
    start = claim.due_on + timedelta(days=1)
    if LAW.since(ECB_PLUS_TEN, start) is None or LAW.since(LEGAL, start) is None:
        return None
    if claim.business:
        interest, slices = daily_interest(
            claim.owed, claim.currency, start, claim.on, business_rate
        )
        fixed = LAW[PREFIX + "indemnite_forfaitaire"].at(claim.on)
        sources = [
            LAW[n].at(s.start).reference for s in slices for n in (ECB_PLUS_TEN, LEGAL, FLOOR)
        ]
        return LateCharges(
            interest,
            Decimal(str(fixed.value)),
            slices,
            tuple(dict.fromkeys([*sources, fixed.reference])),
            start,
        )
    if claim.first_reminder_on is None:
        return LateCharges(Decimal(0), Decimal(0), (), (), None)
    start = claim.first_reminder_on + timedelta(days=1)
    interest, slices = daily_interest(
        claim.owed, claim.currency, start, claim.on, lambda d: LAW.value(LEGAL, d)
    )
    references = tuple(dict.fromkeys(LAW[LEGAL].at(s.start).reference for s in slices))
    return LateCharges(interest, Decimal(0), slices, references, start)
