"""Construction: building and renovation works, a trade with a legal liability filter.

Registered under ``partage.sectors`` as ``construction``. A contractor answers for the
stability and watertightness of its works for ten years, and Belgian law makes that
liability's insurance compulsory (``data/parameters/insurance/required_attestation.toml``).
The cooperative carries the liability of its members' entities, so an entity of this
trade may quote, invoice, buy, hire or take internal orders only while an attestation
of that insurance (insurer, policy number, period) is on file for it and covers the
act's date; otherwise the act is refused with the reason
``no valid insurance attestation for construction on <date>``.

Credit notes and payslips are never refused: a refund owed to a client and a salary
owed to a worker are paid whatever the insurance.

Applications in construction go to the ethics committee.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from partage.core.contract import (
    N_,
    ActContext,
    ActKind,
    AttestationKind,
    Parameters,
    Refusal,
    ReviewQuestion,
    hookimpl,
)

#: The sector's name on pages (its plugin name ``construction`` is its code).
SECTOR_NAME = N_("Construction")

#: Ten-year liability insurance is compulsory for builders in Belgium (law of 31 May
#: 2017) and in France (code des assurances, art. L241-1): any instance may enable it,
#: and the dated parameter says from when the attestation is asked.
SECTOR_COUNTRY = "any"

PARTAGE_HOOK_API = "2.0"
SECTOR = "construction"
PARAMETERS = Parameters(Path(__file__).parent / "data" / "parameters")

TEN_YEAR_LIABILITY = AttestationKind(
    "ten_year_liability",
    N_("Ten-year liability insurance"),
    "entity",
)
NEVER_REFUSED = frozenset({ActKind.CREDIT_NOTE, ActKind.PAYSLIP})
QUESTIONS = (
    ReviewQuestion(
        "works",
        N_("Which works will you carry out (structure, roofing, finishing...), and on what?"),
    ),
    ReviewQuestion(
        "qualification", N_("Which qualification or access to the profession do you hold?")
    ),
    ReviewQuestion("insurer", N_("Which insurer will cover your ten-year liability?")),
)


@hookimpl
def partage_validate_act(act: ActContext) -> Refusal | None:
    if act.kind in NEVER_REFUSED:
        return None
    required = PARAMETERS.since("insurance.required_attestation", act.on)
    if required is None:
        return None
    covered = any(
        a.kind == required.value and a.holder == f"entity:{act.entity}" and a.covers(act.on)
        for a in act.attestations
    )
    if covered:
        return None
    return Refusal.of(
        SECTOR, N_("no valid insurance attestation for construction on {on}"), on=act.on
    )


@hookimpl
def partage_attestation_kinds() -> Sequence[AttestationKind]:
    return [TEN_YEAR_LIABILITY]


@hookimpl
def partage_review_required() -> bool:
    return True


@hookimpl
def partage_review_questions() -> Sequence[ReviewQuestion]:
    return QUESTIONS
