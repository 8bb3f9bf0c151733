"""Logins of the demo instance: one per role, so a visitor can see every view.

``partage demo`` creates them on a database it simulated (it refuses any other), the
first time it serves the application. They share one documented password because the
demo's people are fictitious and the server listens on the loopback address only; a
real instance creates its logins with ``partage login add``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.logins import create_user
from partage.core.access.models import Role, WebUser
from partage.core.members.models import EntityHolder, Member, Office
from partage.core.web.site import Site

DEMO_PASSWORD = "partage-demo-logins"


@dataclass(frozen=True)
class DemoLogin:
    """A demo login as printed: its name, role and what it reaches."""

    username: str
    role: Role
    scope: str


#: The demo staff's names, shown beside their role at the top of each page.
STAFF_NAMES = {
    Role.ADVISER: "Claire Dubois",
    Role.OFFICE_MANAGER: "Marc Janssens",
    Role.ADMINISTRATOR: "Sofie Peeters",
    Role.ETHICS_COMMITTEE: "Yves Lambert",
    Role.FRANCHISOR: "Anna Schmitz",
}


def ensure_demo_logins(session: Session, site: Site) -> list[DemoLogin]:
    """Create the missing demo logins and return all of them.

    The member login is the first member holding an entity; the office roles act for
    the first office. A login already present is left as it is.
    """
    member = session.scalar(
        select(Member.number)
        .join(EntityHolder, EntityHolder.member_id == Member.id)
        .order_by(Member.number)
        .limit(1)
    )
    office = session.scalar(select(Office.code).order_by(Office.id).limit(1))
    wanted = [
        DemoLogin("demo-member", Role.MEMBER, f"member {member}"),
        DemoLogin("demo-adviser", Role.ADVISER, f"office {office}"),
        DemoLogin("demo-manager", Role.OFFICE_MANAGER, f"office {office}"),
        DemoLogin("demo-admin", Role.ADMINISTRATOR, "the instance"),
        DemoLogin("demo-ethics", Role.ETHICS_COMMITTEE, "membership applications"),
        DemoLogin("demo-franchisor", Role.FRANCHISOR, "network reports"),
    ]
    existing = set(session.scalars(select(WebUser.username)))
    for login in wanted:
        if login.username in existing or (login.role == Role.MEMBER and member is None):
            continue
        create_user(
            session,
            site.hasher,
            username=login.username,
            password=DEMO_PASSWORD,
            role=login.role.value,
            member=member if login.role == Role.MEMBER else None,
            office=office if login.role in (Role.ADVISER, Role.OFFICE_MANAGER) else None,
            # a member is greeted by their own name; staff by a person's name, which
            # reads the same in every language (a role's English word would not)
            display_name=STAFF_NAMES.get(login.role, ""),
            actor="demo",
        )
    present = set(session.scalars(select(WebUser.username)))
    return [login for login in wanted if login.username in present]
