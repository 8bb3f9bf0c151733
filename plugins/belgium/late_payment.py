"""What a late payer owes in Belgium beyond the invoice, read from the dated parameters
in ``data/parameters/late_payment``.

* A **business** (commercial transaction): interest from the day after the due date at
  the half-year's rate the SPF Finances publishes (loi du 2 août 2002, art. 5), and the
  fixed 40 EUR compensation for recovery costs (art. 6), both due without a reminder.
* A **consumer** (Code de droit économique, Book XIX, art. XIX.2 to XIX.4, in force
  1 September 2023): the first reminder is free and grants a payment period of 14
  calendar days starting the day after it is e-mailed; only on a reminder sent after
  that period may interest (at the legal rate, from the period's end) and damages be
  claimed, the damages capped by bracket of the amount owed and overall.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from partage.core.contract import (
    LateCharges,
    LateClaim,
    daily_interest,
    hookimpl,
    minor_quantum,
)
from partage.plugins.belgium.law import PARAMETERS

PREFIX = "late_payment."


def consumer_damages(owed: Decimal, on: date) -> tuple[Decimal, tuple[str, ...]]:
    """The most a consumer owes as damages on ``owed`` (art. XIX.4, § 2): the bracket
    whose threshold ``owed`` exceeds last, its amount plus its rate of the excess,
    rounded half up to the cent, then capped."""
    scale = PARAMETERS.scale(PREFIX + "consumer_damages", on)
    bracket = [b for b in scale.brackets if b.threshold < owed or b.threshold == 0][-1]
    raw = (bracket.amount or Decimal(0)) + (bracket.rate or Decimal(0)) * (owed - bracket.threshold)
    cap = PARAMETERS[PREFIX + "consumer_damages_cap"].at(on)
    cent = minor_quantum("EUR")
    damages = min(raw, Decimal(str(cap.value))).quantize(cent, rounding=ROUND_HALF_UP)
    return damages, (scale.reference, cap.reference)


def consumer_charges_from(first_reminder_on: date, on: date) -> date:
    """The first day charges may be claimed of a consumer who received the free first
    reminder on ``first_reminder_on`` (art. XIX.2): the day after the payment period."""
    start = first_reminder_on + timedelta(
        days=int(PARAMETERS.value(PREFIX + "consumer_period_start", on))
    )
    days = int(PARAMETERS.value(PREFIX + "consumer_payment_period", on))
    return start + timedelta(days=days)


@hookimpl
def partage_late_payment_charges(claim: LateClaim) -> LateCharges | None:
    """Interest and compensation on a late payment in Belgium (see the module); ``None``
    before the parameters' first values."""
    if claim.business:
        name = PREFIX + "business_interest_rate"
        if PARAMETERS.since(name, claim.due_on + timedelta(days=1)) is None:
            return None
        start = claim.due_on + timedelta(days=1)
        interest, slices = daily_interest(
            claim.owed, claim.currency, start, claim.on, lambda d: PARAMETERS.value(name, d)
        )
        fixed = PARAMETERS[PREFIX + "business_compensation"].at(claim.on)
        references = tuple(
            dict.fromkeys(
                [PARAMETERS[name].at(s.start).reference for s in slices] + [fixed.reference]
            )
        )
        return LateCharges(interest, Decimal(str(fixed.value)), slices, references, start)
    if PARAMETERS.since(PREFIX + "consumer_damages", claim.on) is None:
        return None
    if claim.first_reminder_on is None:
        return LateCharges(Decimal(0), Decimal(0), (), (), None)
    begins = consumer_charges_from(claim.first_reminder_on, claim.on)
    if claim.on < begins:
        return LateCharges(Decimal(0), Decimal(0), (), (), None)
    name = PREFIX + "legal_interest_rate"
    interest, slices = daily_interest(
        claim.owed, claim.currency, begins, claim.on, lambda d: PARAMETERS.value(name, d)
    )
    damages, sources = consumer_damages(claim.owed, claim.on)
    period = PARAMETERS[PREFIX + "consumer_payment_period"].at(claim.on).reference
    references = tuple(
        dict.fromkeys([period, *[PARAMETERS[name].at(s.start).reference for s in slices], *sources])
    )
    return LateCharges(interest, damages, slices, references, begins)
