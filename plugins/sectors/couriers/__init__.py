"""Couriers: bike couriers working for meal-delivery and other work platforms.

Registered under ``partage.sectors`` as ``couriers``. The rules come from the agreement
the cooperative signed with the delivery platforms in 2016, kept in its charter:

- a shift is paid for at least the minimum hours from the first delivery on, whatever
  was worked (``data/parameters/shift/minimum_paid_hours.toml``). Couriers are hired
  per shift: an hourly contract of one day (``start == end``) is a shift, and
  :func:`partage_paid_hours` raises its hours to the minimum;
- the courier's own bike is a work tool: its repairs are professional expenses the
  entity reimburses (expense category ``bike_repair``);
- the platform is the client: quotes and invoices of a courier entity go to a party
  registered as a platform, so that the platform, not the courier, carries the order.

Applications from couriers go to the ethics committee: platform work is where the
cooperative checks the applicant's autonomy and the clients' practices.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from partage.core.contract import (
    N_,
    ActContext,
    ActKind,
    EmploymentContract,
    ExpenseCategory,
    Parameters,
    Period,
    Refusal,
    ReviewQuestion,
    hookimpl,
)

#: The sector's name on pages (its plugin name ``couriers`` is its code).
SECTOR_NAME = N_("Couriers")

#: The trade's rules come from the cooperative's own agreement with the platforms,
#: not from one country's law: any instance's office may enable it.
SECTOR_COUNTRY = "any"

PARTAGE_HOOK_API = "2.0"
SECTOR = "couriers"
PARAMETERS = Parameters(Path(__file__).parent / "data" / "parameters")

BIKE_REPAIR = ExpenseCategory("bike_repair", N_("Bike repair and upkeep"), reimbursable=True)
SOLD_TO_CLIENT = frozenset({ActKind.QUOTE, ActKind.INVOICE})
QUESTIONS = (
    ReviewQuestion("platforms", N_("Which delivery platforms will you ride for?")),
    ReviewQuestion(
        "equipment", N_("Do you ride your own bike? Which equipment (bag, phone) do you bring?")
    ),
    ReviewQuestion("hours", N_("How many hours a week do you intend to ride, and when?")),
)


def minimum_shift_hours(contract: EmploymentContract) -> Decimal | None:
    """The minimum hours paid for the contract's shift, ``None`` when not a shift or
    before the agreement."""
    if contract.end is None or contract.end != contract.start:
        return None
    value = PARAMETERS.since("shift.minimum_paid_hours", contract.start)
    return None if value is None else Decimal(str(value.value))


@hookimpl
def partage_paid_hours(contract: EmploymentContract, period: Period) -> Decimal | None:
    minimum = minimum_shift_hours(contract)
    hours = contract.hours
    if minimum is None or hours is None or hours <= 0 or hours >= minimum:
        return None
    return minimum


@hookimpl
def partage_expense_categories() -> Sequence[ExpenseCategory]:
    return [BIKE_REPAIR]


@hookimpl
def partage_validate_act(act: ActContext) -> Refusal | None:
    if act.kind not in SOLD_TO_CLIENT or act.counterpart is None or act.counterpart.platform:
        return None
    return Refusal.of(
        SECTOR,
        N_(
            "a courier's work is sold to the delivery platform: client {client} "
            "({client_name}) is not registered as a platform"
        ),
        client=act.counterpart.code,
        client_name=act.counterpart.name,
    )


@hookimpl
def partage_review_required() -> bool:
    return True


@hookimpl
def partage_review_questions() -> Sequence[ReviewQuestion]:
    return QUESTIONS
