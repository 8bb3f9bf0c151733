"""The membership review: applications, the ethics committee's decisions with reasons,
one appeal, direct admission for trades with no review — every step audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select

from partage.core.acts.cooperative import ClosedRecord, InvalidAct, NotFound
from partage.core.members import offices, review
from partage.core.members.models import Application, Member
from partage.core.platform.db.models import AuditRecord
from tests.builders import person
from tests.engine_support import World, build_world, with_sectors
from tests.sector_support import DAY

COURIER_ANSWERS = {
    "platforms": "Deliveries Ltd",
    "equipment": "My own bike, a bag and a phone",
    "hours": "About 15 hours a week, evenings",
}
ARTIST_ANSWERS = {
    "discipline": "Illustration",
    "works": "A children's book for a Ghent publisher",
    "certificate": "None yet",
    "copyright": "Yes, on the book's illustrations",
}
LATER = date(2026, 7, 20)


@pytest.fixture
def world(engine: Engine) -> World:
    return with_sectors(build_world(engine), "couriers", "artists_be", "construction")


def apply(world: World, n: int = 1, **changes: object) -> Application:
    given: dict[str, object] = {
        "office": "cap",
        "trade": "bike courier",
        "activity": "Meal deliveries by bike",
        "clients": "Delivery platforms",
        "sector": "couriers",
        "answers": COURIER_ANSWERS,
        "on": DAY,
    } | changes
    with world.act() as s:
        return review.submit_application(s, world.coop, person(n), actor="applicant", **given)  # type: ignore[arg-type]


def decide(world: World, decision: str, reasons: str = "Checked", on: date = LATER) -> Application:
    with world.act() as s:
        return review.decide(
            s, world.coop, "A000001", decision=decision, reasons=reasons, on=on, actor="committee"
        )


def appeal(world: World, on: date = date(2026, 7, 25)) -> Application:
    with world.act() as s:
        return review.appeal(
            s, "A000001", grounds="I ride my own bike and choose my hours", on=on, actor="applicant"
        )


def trail(world: World) -> list[tuple[str, str]]:
    with world.act() as s:
        return [
            (r.action, r.reason)
            for r in s.scalars(
                select(AuditRecord)
                .where(AuditRecord.subject == "application:A000001")
                .order_by(AuditRecord.id)
            )
        ]


def members(world: World) -> int:
    with world.act() as s:
        return len(s.scalars(select(Member)).all())


def test_a_trade_that_needs_review_goes_to_the_committee(world: World) -> None:
    application = apply(world)
    assert (application.code, application.status, application.member_id) == (
        "A000001",
        "in_review",
        None,
    )
    assert [a["code"] for a in application.answers] == ["platforms", "equipment", "hours"]
    assert members(world) == 0
    assert trail(world) == [
        ("application.submit", "bike courier at office cap"),
        ("application.to_committee", "the couriers sector reviews new members"),
    ]


def test_the_committee_admits_with_reasons_and_the_member_is_admitted(world: World) -> None:
    apply(world)
    admitted = decide(world, "admit", "Autonomous: own bike, several platforms")
    assert admitted.status == "admitted" and admitted.member_id is not None
    with world.act() as s:
        member = s.get(Member, admitted.member_id)
        assert member is not None and (member.number, member.admitted_on) == (1, LATER)
        [decision] = review.decisions(s, "A000001")
        assert (decision.stage, decision.decision, decision.reasons) == (
            "review",
            "admit",
            "Autonomous: own bike, several platforms",
        )
    assert [action for action, _ in trail(world)][-2:] == [
        "application.admit",
        "application.admitted",
    ]


def test_a_refusal_may_be_appealed_once(world: World) -> None:
    apply(world)
    assert decide(world, "refuse", "One platform sets all the terms").status == "refused"
    assert appeal(world).status == "appealed"
    final = decide(world, "refuse", "Still one platform only", on=date(2026, 8, 3))
    assert final.status == "refused_on_appeal" and members(world) == 0
    with pytest.raises(ClosedRecord, match="a refused applicant may appeal once"):
        appeal(world, date(2026, 8, 10))
    assert [action for action, _ in trail(world)] == [
        "application.submit",
        "application.to_committee",
        "application.refuse",
        "application.appeal",
        "application.refuse",
    ]


def test_an_appeal_can_end_in_admission(world: World) -> None:
    apply(world)
    decide(world, "refuse", "Unclear clients")
    appeal(world)
    admitted = decide(world, "admit", "Two platforms named on appeal", on=date(2026, 8, 3))
    assert admitted.status == "admitted" and members(world) == 1
    with world.act() as s:
        assert [(d.stage, d.decision) for d in review.decisions(s, "A000001")] == [
            ("review", "refuse"),
            ("appeal", "admit"),
        ]


def test_a_trade_with_no_review_is_admitted_directly(world: World) -> None:
    artist = apply(
        world, sector="artists_be", trade="illustrator", answers=ARTIST_ANSWERS, activity="Books"
    )
    assert artist.status == "admitted" and artist.member_id is not None
    assert [action for action, _ in trail(world)] == [
        "application.submit",
        "application.admitted",
    ]
    other = apply(world, 2, sector=None, trade="translator", answers={}, activity="Translations")
    assert other.status == "admitted" and members(world) == 2


def test_an_office_may_require_the_review_for_a_sector_it_enables(world: World) -> None:
    with world.act() as s:
        offices.enable_sector(
            s,
            "cap",
            "artists_be",
            installed=["artists_be"],
            actor="admin",
            enabled_from=date(2026, 1, 1),
            review_required=True,
            today=date(2026, 1, 1),
        )
    artist = apply(world, sector="artists_be", trade="illustrator", answers=ARTIST_ANSWERS)
    assert artist.status == "in_review"
    assert trail(world)[-1] == (
        "application.to_committee",
        "the office reviews applications in the artists_be sector",
    )


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        (
            {"sector": "bakers"},
            InvalidAct,
            r"sector: 'bakers' is not an installed sector plugin \(artists_be, construction, couriers\)",
        ),
        ({"office": "nowhere"}, NotFound, "office 'nowhere'"),
        (
            {"answers": {"platforms": "X"}},
            InvalidAct,
            r"answers: the review question\(s\) equipment, hours need an answer",
        ),
        (
            {"answers": COURIER_ANSWERS | {"salary": "high"}},
            InvalidAct,
            "answers: salary is not a question of this sector",
        ),
        ({"activity": " "}, InvalidAct, "activity: is required"),
        ({"clients": ""}, InvalidAct, "clients: is required"),
        ({"share_class": "Z"}, InvalidAct, "share_class: 'Z' must be one of A, B"),
        ({"shares": 0}, InvalidAct, "shares: 0 is below the minimum"),
    ],
)
def test_bad_applications_are_refused_and_write_nothing(
    world: World, changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        apply(world, **changes)
    with world.act() as s:
        assert s.scalars(select(Application)).all() == []
        assert (
            s.scalars(select(AuditRecord).where(AuditRecord.action.like("application.%"))).all()
            == []
        )


def test_a_person_applies_once_at_a_time_and_a_member_not_again(world: World) -> None:
    apply(world)
    with pytest.raises(InvalidAct, match="application A000001 of this person is in_review"):
        apply(world)
    decide(world, "admit")
    with pytest.raises(InvalidAct, match="is already a member"):
        apply(world)


def test_bad_decisions_are_refused(world: World) -> None:
    apply(world)
    with pytest.raises(InvalidAct, match="reasons: is required"):
        decide(world, "refuse", "  ")
    with pytest.raises(InvalidAct, match="decision: 'maybe' must be one of admit, refuse"):
        decide(world, "maybe")
    with pytest.raises(InvalidAct, match="before the application reached the committee"):
        decide(world, "admit", on=date(2026, 7, 1))
    with pytest.raises(ClosedRecord, match="only a refusal is appealed"):
        appeal(world)
    decide(world, "admit")
    with pytest.raises(ClosedRecord, match="is admitted, not awaiting a decision"):
        decide(world, "refuse")
    with pytest.raises(NotFound, match="application 'A000009'"), world.act() as s:
        review.appeal(s, "A000009", grounds="x", on=LATER, actor="a")
