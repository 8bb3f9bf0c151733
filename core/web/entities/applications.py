"""Membership applications as the ethics committee reads them: the API's list and the
``/applications`` page.

The committee reviews applications and activities, never the entities' client records:
it reads what each applicant wrote — the trade, the intended activity and the clients
they intend to serve, as written — with the applicant's name, the office, the sector's
questions and answers and where the application stands; never the applicant's national
number, IBAN, address or e-mail, which it does not need to decide. Administrators read
the same. Every other role is refused (403).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Controller, Request, Response, get
from litestar.params import Parameter
from msgspec import Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access.models import Role
from partage.core.access.roles import Principal, require
from partage.core.contract.errors import N_
from partage.core.members.models import Application, ApplicationDecision, Office
from partage.core.platform.registry import sector_names
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep
from partage.core.web.pages import Page, guarded

#: The roles that read applications.
READERS = (Role.ETHICS_COMMITTEE, Role.ADMINISTRATOR)
#: The most applications one answer lists, the newest first.
MOST = 500
StatusFilter = Literal["in_review", "refused", "appealed", "admitted", "refused_on_appeal"]


class DecisionOut(Struct, kw_only=True):
    stage: str
    decision: str
    reasons: str
    decided_on: date


class ApplicationOut(Struct, kw_only=True):
    code: str
    applicant: str
    office: str
    sector: str | None
    trade: str
    activity: str
    clients: str
    answers: list[dict[str, str]]
    status: str
    submitted_on: date
    appeal_grounds: str | None
    decisions: list[DecisionOut]


def applications(session: Session, status: str | None = None) -> list[ApplicationOut]:
    """Applications, the newest first, with what the committee needs and no more."""
    query = (
        select(Application, Office.code)
        .join(Office, Office.id == Application.office_id)
        .order_by(Application.id.desc())
        .limit(MOST)
    )
    if status:
        query = query.where(Application.status == status)
    else:  # an application whose address is not verified is reviewed by nobody
        query = query.where(Application.status != "unverified")
    rows = session.execute(query).all()
    decided: dict[int, list[DecisionOut]] = {}
    for d in session.scalars(
        select(ApplicationDecision)
        .where(ApplicationDecision.application_id.in_([a.id for a, _ in rows]))
        .order_by(ApplicationDecision.id)
    ):
        decided.setdefault(d.application_id, []).append(
            DecisionOut(
                stage=d.stage, decision=d.decision, reasons=d.reasons, decided_on=d.decided_on
            )
        )
    return [
        ApplicationOut(
            code=a.code,
            applicant=" ".join(
                str(a.person.get(k, "")) for k in ("first_name", "last_name")
            ).strip(),
            office=office,
            sector=a.sector,
            trade=a.trade,
            activity=a.activity,
            clients=a.clients,
            answers=a.answers,
            status=a.status,
            submitted_on=a.submitted_on,
            appeal_grounds=a.appeal_grounds,
            decisions=decided.get(a.id, []),
        )
        for a, office in rows
    ]


class ApplicationsController(Controller):
    """Membership applications (the ethics committee, administrators)."""

    path = "/applications"
    tags = ("membership",)
    dependencies = AUTHENTICATED

    @get("/", operation_id="list_applications", sync_to_thread=True)
    def listing(
        self,
        site: SiteDep,
        principal: Me,
        status: Annotated[
            StatusFilter | None, Parameter(description="only the applications in this state")
        ] = None,
    ) -> list[ApplicationOut]:
        """Applications, the newest first (at most 500): the trade, the activity and the
        clients the applicant intends to serve as written, the sector's answers, the
        decisions; never the applicant's national number, IBAN, address or e-mail."""
        require(principal, *READERS, what=N_("read membership applications"))
        with site.sessions() as session:
            return applications(session, status)


@get("/applications", sync_to_thread=True)
def applications_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """The applications, as the committee reads them."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, *READERS, what=N_("read membership applications"))
        with page.site.sessions() as session:
            found = applications(session)
        return page.render(
            "applications.html",
            applications=found,
            sector_names=sector_names(page.site.coop.plugins),
        )

    return guarded(request, build)


PAGES = (applications_page,)
