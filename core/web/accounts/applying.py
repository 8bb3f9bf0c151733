"""Becoming a member on the web: the public application form, the link verifying the
applicant's address, their application's page (where it stands, the appeal), and the
ethics committee's decision; with the API calls doing the same.

Nobody needs a login to apply (:mod:`partage.core.members.applying`): each submission
counts as an attempt of ``apply:<address>`` from the client's address in the login
throttle (:mod:`partage.core.access.throttle`), so the form cannot flood anyone's
mailbox, and nothing is reviewed before the applicant follows the link mailed to them.
Whenever a step admits the applicant — the link of an application no one reviews, or
the committee's decision — their login is made and the invitation to choose its
password mailed in the same transaction (:mod:`partage.core.access.enrolment`).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED
from msgspec import Struct
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access import enrolment, throttle
from partage.core.access.models import Role
from partage.core.access.resets import ResetMail
from partage.core.access.roles import Principal, require
from partage.core.access.throttle import Throttled
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.contract.errors import N_, PartageError, Word
from partage.core.members import applying, review
from partage.core.members.membership import PersonDetails, subscribe_more
from partage.core.members.models import Application, Office
from partage.core.platform.db.engine import transaction
from partage.core.platform.registry import installed, sector_names
from partage.core.web import i18n
from partage.core.web.accounts.signin import client_address
from partage.core.web.deps import AUTHENTICATED, Me, SiteDep
from partage.core.web.pages import (
    Form,
    Page,
    PathStr,
    UrlForm,
    guarded,
    refusal,
    see,
    viewer,
)
from partage.core.web.schemas import Request as Body
from partage.core.web.site import Site

#: Who decides on applications.
DECIDERS = (Role.ETHICS_COMMITTEE, Role.ADMINISTRATOR)
#: The throttle's name for submissions from an address: kept apart from logins.
PREFIX = "apply:"


def _words(site: Site, language: str | None) -> tuple[str, Any]:
    chosen = i18n.choose(None, language, "", site.languages)
    return chosen, i18n.catalog(chosen).gettext


def verification_composer(site: Site) -> applying.Composer:
    """Writes the message verifying an applicant's address, in their language."""

    def compose(application: Application, link: str) -> applying.ApplicantMail:
        language, _ = _words(site, application.person.get("language"))
        name = site.look().name
        subject = _("Your application to %(site)s: confirm your email address") % {"site": name}
        body = "\n\n".join(
            (
                _("Hello %(name)s,") % {"name": application.person.get("first_name", "")},
                _(
                    "We received your application %(code)s. Follow this link to confirm "
                    "your email address: nobody reads the application before you do. The "
                    "same link shows you where it stands later."
                )
                % {"code": application.code},
                link,
                _("If you did not apply, ignore this message."),
            )
        )
        return applying.ApplicantMail(subject, body + "\n", language)

    return compose


def invitation_composer(site: Site) -> Any:
    """Writes the invitation of a newly admitted member, in their language."""
    days = site.email.invitation_days

    def compose(user: Any, link: str, reads: str | None) -> ResetMail:
        language, _ = _words(site, reads)
        name = site.look().name
        subject = _("Welcome to %(site)s: choose your password") % {"site": name}
        body = "\n\n".join(
            (
                _("Hello %(name)s,") % {"name": user.display_name},
                _(
                    "You are now a member. Your login is %(login)s. Follow this link to "
                    "choose its password (it works once, within %(days)s days):"
                )
                % {"login": user.username, "days": days},
                link,
            )
        )
        return ResetMail(subject, body + "\n", language)

    return compose


def invite(
    site: Site, session: Session, application: Application, base_url: str, actor: str
) -> None:
    """The login and invitation of the member an application step admitted, if any."""
    base = base_url.rstrip("/")
    enrolment.invite_if_admitted(
        session,
        site.hasher,
        application,
        link=lambda token: f"{base}/reset-password?{urlencode({'token': token})}",
        compose=invitation_composer(site),
        lifetime=timedelta(days=site.email.invitation_days),
        actor=actor,
    )


class ReviewAnswerIn(Body):
    """The answer to one of the sector's review questions."""

    code: str
    answer: str


class ApplyIn(Body):
    """An application, as the public form or the API sends it."""

    first_name: str
    last_name: str
    national_id: str
    iban: str
    address: str
    email: str
    language: str
    office: str
    trade: str
    activity: str
    clients: str
    charter_accepted: bool
    sector: str | None = None
    answers: list[ReviewAnswerIn] = msgspec.field(default_factory=list)
    share_class: str = "A"


def submit(site: Site, data: ApplyIn, address: str, base_url: str) -> str:
    """Record an application and mail its verification link; answers its code.
    Raises :class:`Throttled` when this address applies too often."""
    base = base_url.rstrip("/")
    with site.sessions() as session:
        seconds = throttle.wait(session, PREFIX + data.email.strip().lower(), address)
    if seconds:
        raise Throttled(seconds)
    with transaction(site.sessions) as session:
        seconds, _attempt = throttle.admit(session, PREFIX + data.email.strip().lower(), address)
    if seconds:
        raise Throttled(seconds)
    person = PersonDetails(
        first_name=data.first_name,
        last_name=data.last_name,
        national_id=data.national_id,
        iban=data.iban,
        address=data.address,
        email=data.email,
        language=data.language,
    )
    with transaction(site.sessions) as session:
        application = applying.apply_online(
            session,
            site.coop,
            person,
            office=data.office,
            trade=data.trade,
            activity=data.activity,
            clients=data.clients,
            charter_accepted=data.charter_accepted,
            on=site.today(),
            link=lambda key: f"{base}/apply/verify?{urlencode({'key': key})}",
            compose=verification_composer(site),
            origin=address,
            sector=data.sector or None,
            answers={a.code: a.answer for a in data.answers},
            share_class=data.share_class,
        )
        return application.code


def verify(site: Site, key: str, base_url: str) -> Application:
    with transaction(site.sessions) as session:
        application = applying.verify(session, site.coop, key, on=site.today())
        invite(site, session, application, base_url, applying.APPLICANT)
        session.expunge(application)
    return application


def decide(
    site: Site, code: str, decision: str, reasons: str, me: Principal, base_url: str
) -> Application:
    """Record a decision on an application in review (the committee) or in appeal (the
    body the statutes name: a decision of the board or the general assembly is recorded
    by an administrator)."""
    require(me, *DECIDERS, what=N_("decide on membership applications"))
    actor = f"user:{me.username}"
    body = site.coop.instance.appeal_body
    with transaction(site.sessions) as session:
        found = review.application_by_code(session, code)
        if found.status == review.Status.APPEALED.value and body != "ethics_committee":
            require(
                me,
                Role.ADMINISTRATOR,
                what=Word(N_("record the {body}'s decision on an appeal"), body=Word(body)),
            )
        application = review.decide(
            session,
            site.coop,
            code,
            decision=decision,
            reasons=reasons,
            on=site.today(),
            actor=actor,
        )
        invite(site, session, application, base_url, actor)
        session.expunge(application)
    return application


class ApplicationStateOut(Struct, kw_only=True):
    code: str
    status: str


class ApplicationDecisionIn(Body):
    decision: str
    reasons: str


class ApplicationVerifyIn(Body):
    key: str


class ApplicationAppealIn(Body):
    key: str
    grounds: str


class MembershipController(Controller):
    """Applying to become a member (anyone), and the committee's decisions."""

    path = "/membership"
    tags = ("membership",)

    @post(
        "/applications",
        operation_id="apply",
        security=[],
        sync_to_thread=True,
        status_code=HTTP_202_ACCEPTED,
    )
    def apply(
        self, request: Request[Any, Any, Any], site: SiteDep, data: JSONBody[ApplyIn]
    ) -> ApplicationStateOut:
        """Apply to become a member, without a login: the application waits,
        ``unverified``, until the applicant follows the link mailed to ``email``.
        Applying too often from one address answers 429."""
        code = submit(site, data, client_address(request), str(request.base_url))
        return ApplicationStateOut(code=code, status=review.Status.UNVERIFIED.value)

    @post(
        "/applications/verify",
        operation_id="verify_application",
        security=[],
        sync_to_thread=True,
        status_code=200,
    )
    def verify_application(
        self, request: Request[Any, Any, Any], site: SiteDep, data: JSONBody[ApplicationVerifyIn]
    ) -> ApplicationStateOut:
        """Verify the applicant's address with the key of the mailed link: the
        application is admitted at once or goes to the ethics committee."""
        found = verify(site, data.key, str(request.base_url))
        return ApplicationStateOut(code=found.code, status=found.status)

    @post(
        "/applications/appeal",
        operation_id="appeal_application",
        security=[],
        sync_to_thread=True,
        status_code=200,
    )
    def appeal_application(
        self, site: SiteDep, data: JSONBody[ApplicationAppealIn]
    ) -> ApplicationStateOut:
        """A refused applicant appeals, once, with the key of their link."""
        with transaction(site.sessions) as session:
            found = applying.appeal_by_key(session, data.key, grounds=data.grounds, on=site.today())
            return ApplicationStateOut(code=found.code, status=found.status)

    @post(
        "/applications/{code:str}/decision",
        operation_id="decide_application",
        dependencies=AUTHENTICATED,
        sync_to_thread=True,
        status_code=200,
    )
    def decide_application(
        self,
        request: Request[Any, Any, Any],
        site: SiteDep,
        principal: Me,
        code: PathStr,
        data: JSONBody[ApplicationDecisionIn],
    ) -> ApplicationStateOut:
        """The ethics committee admits (``admit``) or refuses (``refuse``) an
        application in review or in appeal, with its reasons; admitting makes the
        member, subscribes their shares and mails them the invitation to their login."""
        require(principal, *DECIDERS, what=N_("decide on membership applications"))
        found = decide(site, code, data.decision, data.reasons, principal, str(request.base_url))
        return ApplicationStateOut(code=found.code, status=found.status)


# --- pages -------------------------------------------------------------------------


def _form_context(page: Page) -> dict[str, Any]:
    coop = page.site.coop
    with page.site.sessions() as session:
        offices = list(session.execute(select(Office.code, Office.name).order_by(Office.name)))
    sectors = installed(coop.plugins)
    return {
        "offices": offices,
        "sectors": [(s, review.review_questions(coop, s)) for s in sectors],
        "sector_names": sector_names(coop.plugins),
        "classes": [c.code for c in coop.instance.share_classes],
    }


def enter(site: Site, data: ApplyIn, me: Principal, base_url: str) -> Application:
    """Staff enter an application for a person they met: no address to verify, it is
    admitted at once or goes to the committee; admitting mails the invitation."""
    require(
        me, Role.ADVISER, Role.OFFICE_MANAGER, Role.ADMINISTRATOR, what=N_("enter applications")
    )
    if not data.charter_accepted:
        raise InvalidAct("charter", N_("the values charter must be accepted to apply"))
    minimum = {c.code: c.minimum for c in site.coop.instance.share_classes}.get(data.share_class, 1)
    person = PersonDetails(
        data.first_name,
        data.last_name,
        data.national_id,
        data.iban,
        data.address,
        data.email,
        data.language,
    )
    actor = f"user:{me.username}"
    with transaction(site.sessions) as session:
        application = review.submit_application(
            session,
            site.coop,
            person,
            office=data.office,
            trade=data.trade,
            activity=data.activity,
            clients=data.clients,
            on=site.today(),
            actor=actor,
            sector=data.sector or None,
            answers={a.code: a.answer for a in data.answers},
            share_class=data.share_class,
            shares=minimum,
        )
        invite(site, session, application, base_url, actor)
        session.expunge(application)
    return application


@get("/apply", sync_to_thread=True)
def apply_form(request: Request[Any, Any, Any]) -> Response[Any]:
    page = Page(request, viewer(request))
    return page.render("apply.html", form={}, **_form_context(page))


def _apply_in(form: Form, language: str) -> ApplyIn:
    def text(name: str) -> str:
        return str(form.get(name, ""))[:2000]

    sector = text("sector") or None
    answers = [
        ReviewAnswerIn(code=k.removeprefix(f"answer.{sector}."), answer=str(v)[:2000])
        for k, v in form.items()
        if sector and k.startswith(f"answer.{sector}.")
    ]
    return ApplyIn(
        first_name=text("first_name"),
        last_name=text("last_name"),
        national_id=text("national_id"),
        iban=text("iban"),
        address=text("address"),
        email=text("email"),
        language=text("language") or language,
        office=text("office"),
        trade=text("trade"),
        activity=text("activity"),
        clients=text("clients"),
        charter_accepted=form.get("charter") == "yes",
        sector=sector,
        answers=answers,
        share_class=text("share_class") or "A",
    )


@post("/apply", sync_to_thread=True)
def apply_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """Record the application and say a link is on its way; a refusal shows the form
    again, as filled, with the rule broken."""
    me = viewer(request)
    page = Page(request, me)
    given = _apply_in(data, page.language)
    try:
        if me is not None and me.is_staff:
            entered = enter(page.site, given, me, str(request.base_url))
            return page.render("apply_sent.html", code=entered.code, entered=entered.status)
        code = submit(page.site, given, client_address(request), str(request.base_url))
    except Throttled as slowed:
        answer = page.render(
            "apply.html",
            status=429,
            form=data,
            error=page.words.gettext("Too many requests: try again in %(seconds)s s.")
            % {"seconds": slowed.retry_after},
            **_form_context(page),
        )
        answer.headers["Retry-After"] = str(slowed.retry_after)
        return answer
    except PartageError as refused:
        return page.render(
            "apply.html",
            status=422,
            form=data,
            error=page.say(refused),
            field=refused.field,
            **_form_context(page),
        )
    return page.render("apply_sent.html", code=code, email=given.email)


def _status_page(page: Page, key: str, status: int = 200, **extra: object) -> Response[Any]:
    try:
        with page.site.sessions() as session:
            found = applying.by_key(session, key)
            decided = review.decisions(session, found.code)
            session.expunge_all()
    except PartageError:
        return page.render("application_status.html", status=400, invalid=True)
    return page.render(
        "application_status.html",
        appeal_body=page.site.coop.instance.appeal_body,
        status=status,
        application=found,
        decisions=decided,
        key=key,
        **extra,
    )


@get("/apply/verify", sync_to_thread=True)
def verify_page(request: Request[Any, Any, Any]) -> Response[Any]:
    """Following the mailed link verifies the address, then shows the application."""
    page = Page(request, None)
    key = str(request.query_params.get("key", ""))[:200]
    try:
        verify(page.site, key, str(request.base_url))
    except PartageError as refused:
        if refused.field == "key":
            return page.render("application_status.html", status=400, invalid=True)
        return refusal(page, refused)
    return see(f"/apply/status?{urlencode({'key': key})}")


@get("/apply/status", sync_to_thread=True)
def status_page(request: Request[Any, Any, Any]) -> Response[Any]:
    page = Page(request, None)
    return _status_page(page, str(request.query_params.get("key", ""))[:200])


@post("/apply/appeal", sync_to_thread=True)
def appeal_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """The refused applicant's appeal, once."""
    page = Page(request, None)
    key = str(data.get("key", ""))[:200]
    try:
        with transaction(page.site.sessions) as session:
            applying.appeal_by_key(
                session, key, grounds=str(data.get("grounds", ""))[:5000], on=page.site.today()
            )
    except PartageError as refused:
        return _status_page(page, key, status=422, error=page.say(refused))
    return see(f"/apply/status?{urlencode({'key': key})}")


@post("/applications/{code:str}/decision", sync_to_thread=True)
def decision_page(request: Request[Any, Any, Any], code: PathStr, data: UrlForm) -> Response[Any]:
    """The committee records its decision from the applications page."""

    def build(page: Page, me: Principal) -> Response[Any]:
        require(me, *DECIDERS, what=N_("decide on membership applications"))
        try:
            decide(
                page.site,
                code,
                str(data.get("decision", "")),
                str(data.get("reasons", ""))[:5000],
                me,
                str(request.base_url),
            )
        except PartageError as refused:
            return refusal(page, refused)
        return see(f"/applications#application-{code}")

    return guarded(request, build)


@post("/member/shares", sync_to_thread=True)
def subscribe_page(request: Request[Any, Any, Any], data: UrlForm) -> Response[Any]:
    """A member subscribes more shares from their member page; they wait for the
    transfer carrying the reference the page then shows."""

    def build(page: Page, me: Principal) -> Response[Any]:
        if me.member_number is None:
            raise NotFound("member", N_("this login has no member account"))
        raw = str(data.get("quantity", "")).strip()
        if not raw.isdigit() or len(raw) > 6:
            raise InvalidAct(
                "quantity",
                N_("{given} must be a positive whole number of shares"),
                given=repr(raw[:20]),
            )
        with transaction(page.site.sessions) as session:
            subscribe_more(
                session,
                page.site.coop,
                me.member_number,
                int(raw),
                on=page.site.today(),
                actor=f"user:{me.username}",
            )
        return see("/member#shares-due")

    return guarded(request, build)


PAGES = (
    apply_form,
    apply_page,
    verify_page,
    status_page,
    appeal_page,
    decision_page,
    subscribe_page,
)
