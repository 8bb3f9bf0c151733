"""The month's applications to join, as an adviser enters them: one admitted at once
(a trade with no review), and, when the couriers' sector is installed (its trades go to
the ethics committee), one left with the committee, one refused with reasons and one
refused then appealed — so the committee's screen shows each state."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.demo.schedule import MonthSchedule
from partage.core.members import review
from partage.core.members.membership import PersonDetails
from partage.core.members.models import Application, Person
from partage.core.platform.registry import installed

#: The sector whose trades the committee reviews in the demo.
REVIEWED = "couriers"
COURIER_ANSWERS = {
    "platforms": "A meal delivery platform and two local restaurants",
    "equipment": "My own cargo bike, an insulated bag and a phone",
    "hours": "About 20 hours a week, evenings and weekends",
}
#: (trade, sector, what the committee does: ``None`` leaves it pending).
PLAN: tuple[tuple[str, str | None, str | None], ...] = (
    ("graphic designer", None, None),
    ("bike courier", REVIEWED, None),
    ("bike courier", REVIEWED, "refuse"),
    ("bike courier", REVIEWED, "appeal"),
)


def submit_applications(month: MonthSchedule) -> None:
    """Enter the month's applications and the committee's decisions on them."""
    coop, rng = month.coop, month.rng
    language = coop.instance.languages[0]
    with month.sessions() as session:
        taken = set(session.scalars(select(Person.national_id)))
        taken |= {str(a.person.get("national_id")) for a in session.scalars(select(Application))}
    sectors = set(installed(coop.plugins))
    office = coop.instance.offices[0].code
    for n, (trade, sector, outcome) in enumerate(PLAN):
        if sector is not None and sector not in sectors:
            continue
        while (number := month.samples.person_number(rng)) in taken:
            pass
        taken.add(number)
        on = month.day(4, 10)
        person = PersonDetails(
            first_name=("Nora", "Tom", "Lea", "Sam")[n],
            last_name=f"Applicant{month.first:%m}{n}",
            national_id=number,
            iban=month.samples.iban(rng),
            address=coop.instance.offices[0].address,
            email=f"applicant.{month.first:%Y%m}.{n}@example.org",
            language=language,
        )

        def apply(
            s: Session,
            p: PersonDetails = person,
            t: str = trade,
            sec: str | None = sector,
            o: str | None = outcome,
            d: date = on,
        ) -> str:
            made = review.submit_application(
                s,
                coop,
                p,
                office=office,
                trade=t,
                activity="Deliveries by bike" if sec else "Logos, posters and websites",
                clients="Restaurants and shops" if sec else "Small shops and associations",
                on=d,
                actor=month.actor,
                sector=sec,
                answers=COURIER_ANSWERS if sec else None,
            )
            if o is None:
                return made.code
            later = d + timedelta(days=2)
            review.decide(
                s,
                coop,
                made.code,
                decision="refuse",
                reasons="The platform sets the hours and the rates: not an autonomous activity",
                on=later,
                actor=month.actor,
            )
            if o == "appeal":
                review.appeal(
                    s,
                    made.code,
                    grounds="Half of my clients are restaurants I deal with directly",
                    on=later + timedelta(days=1),
                    actor=month.actor,
                )
            return made.code

        month.run("application.submit", apply)
