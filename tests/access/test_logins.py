"""A login's life as the services run it: the password policy (NIST SP 800-63B-4),
disabling, enabling, revoking and resetting, changing one's own password, the TOTP
second factor, the office access that comes from the office's roster alone, and the
audit trail of each step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from partage.core.access import factors, logins
from partage.core.access.passwords import check_password, common_passwords
from partage.core.access.roles import Forbidden, principal_of, reachable_entity, reachable_office
from partage.core.acts.cooperative import InvalidAct, NotFound
from partage.core.members import offices
from partage.core.members.models import Member, Person
from partage.core.platform.db.engine import make_engine, transaction
from partage.core.platform.db.models import AuditRecord
from partage.core.web.site import Site
from tests.engine_support import WEB_PASSWORD, web_site


@pytest.fixture
def site(sqlite_url: str) -> Iterator[Site]:
    engine = make_engine(sqlite_url)
    built = web_site(engine)
    assert isinstance(built, Site)
    yield built
    engine.dispose()


def opened(site: Site, username: str) -> str:
    with transaction(site.sessions) as session:
        user = logins.login_named(session, username)
        return logins.open_session(session, user, timedelta(hours=1)).token


def alive(site: Site, token: str) -> bool:
    with site.sessions() as session:
        return logins.user_of_token(session, token) is not None


def trail(session: Session, action: str) -> list[AuditRecord]:
    return list(session.scalars(select(AuditRecord).where(AuditRecord.action == action)))


@pytest.mark.parametrize(
    ("password", "factor", "rule"),
    [
        ("fourteen chars", False, "at least 15"),
        ("seven c", True, "at least 8"),
        ("adviser's passphrase here", False, "login's name"),
        ("ADVISERadviser-2026!", True, "login's name"),
        ("1q2w3e4r5t6y7u8i9o0p", False, "common passwords"),
        ("Password1", True, "common passwords"),
        ("x" * 201, False, "at most 200"),
    ],
)
def test_a_password_the_policy_refuses_names_the_rule(
    password: str, factor: bool, rule: str
) -> None:
    with pytest.raises(InvalidAct, match=rule) as refused:
        check_password(password, "adviser", second_factor=factor)
    assert refused.value.field == "password"


def test_long_passwords_of_any_characters_pass_without_composition_rules() -> None:
    assert len(common_passwords()) > 19_000
    for password in ("correct horse battery", "tout en minuscules ici", "ñandú 🦤 à l'aube!"):
        check_password(password, "adviser", second_factor=False)
    check_password("8 chars!", "adviser", second_factor=True)


def test_disabling_ends_every_session_at_once_and_enabling_lets_the_password_in(
    site: Site,
) -> None:
    first, second = opened(site, "bob"), opened(site, "bob")
    with transaction(site.sessions) as session:
        assert logins.disable(session, "bob", actor="user:admin", origin="192.0.2.1") == 2
    assert not alive(site, first) and not alive(site, second)
    with site.sessions() as session:
        assert logins.authenticate(session, site.hasher, "bob", WEB_PASSWORD) is None
        with pytest.raises(InvalidAct, match="already disabled"):
            logins.disable(session, "bob", actor="user:admin")
    with transaction(site.sessions) as session:
        logins.enable(session, "bob", actor="user:admin", origin="192.0.2.1")
    with transaction(site.sessions) as session:
        assert logins.authenticate(session, site.hasher, "bob", WEB_PASSWORD) is not None
        done = trail(session, "login.disable")[0]
        assert (done.actor, done.subject, done.origin) == ("user:admin", "login:bob", "192.0.2.1")
        assert done.data == {"sessions_ended": 2}
        assert len(trail(session, "login.enable")) == 1
        with pytest.raises(InvalidAct, match="last enabled administrator"):
            logins.disable(session, "admin", actor="user:admin")
        with pytest.raises(NotFound):
            logins.revoke(session, "nobody", actor="user:admin")


def test_revoking_ends_the_sessions_and_a_reset_password_replaces_the_old(site: Site) -> None:
    token = opened(site, "cyd")
    with transaction(site.sessions) as session:
        assert logins.revoke(session, "cyd", actor="os:root", origin="cli@host") == 1
    assert not alive(site, token)
    token = opened(site, "cyd")
    with transaction(site.sessions) as session:
        new = logins.reset_password(session, site.hasher, "cyd", actor="os:root")
    assert len(new) == 20 and not alive(site, token)
    with transaction(site.sessions) as session:
        assert logins.authenticate(session, site.hasher, "cyd", WEB_PASSWORD) is None
        assert logins.authenticate(session, site.hasher, "cyd", new) is not None
        assert [r.data for r in trail(session, "login.reset_password")] == [
            {"sessions_ended": 1, "second_factor_cleared": False}
        ]
        assert new not in str([r.data for r in session.scalars(select(AuditRecord))])


def test_changing_ones_password_asks_the_old_one_and_ends_the_other_sessions(
    site: Site,
) -> None:
    here, elsewhere = opened(site, "ada"), opened(site, "ada")
    with site.sessions() as session:
        ada = logins.login_named(session, "ada").id
    with transaction(site.sessions) as session:
        with pytest.raises(InvalidAct) as wrong:
            logins.change_password(session, site.hasher, ada, "not it", "a much longer phrase")
        assert wrong.value.field == "old_password"
        with pytest.raises(InvalidAct, match="at least 15"):
            logins.change_password(session, site.hasher, ada, WEB_PASSWORD, "too short")
    with transaction(site.sessions) as session:
        ended = logins.change_password(
            session, site.hasher, ada, WEB_PASSWORD, "a much longer phrase", keep=here
        )
    assert ended == 1 and alive(site, here) and not alive(site, elsewhere)
    with site.sessions() as session:
        assert logins.authenticate(session, site.hasher, "ada", "a much longer phrase")
        assert trail(session, "login.change_password")[0].actor == "user:ada"


def test_a_second_factor_is_enrolled_with_its_first_code_and_no_code_serves_twice(
    site: Site,
) -> None:
    offered = factors.new_enrolment("adviser", "Testland")
    enrolled_at = datetime.now(UTC)
    assert offered.uri.startswith("otpauth://totp/") and offered.qr_svg.startswith("data:image/svg")
    totp = pyotp.TOTP(offered.secret)
    with site.sessions() as session:
        adviser = logins.login_named(session, "adviser").id
        ada = logins.login_named(session, "ada").id
    with transaction(site.sessions) as session:
        with pytest.raises(InvalidAct) as wrong:
            logins.enrol_second_factor(
                session,
                site.hasher,
                adviser,
                password=WEB_PASSWORD,
                secret=offered.secret,
                code="000000" if totp.now() != "000000" else "111111",
            )
        assert wrong.value.field == "code"
        with pytest.raises(InvalidAct, match="role member"):
            logins.enrol_second_factor(
                session,
                site.hasher,
                ada,
                password=WEB_PASSWORD,
                secret=offered.secret,
                code=totp.now(),
            )
    with transaction(site.sessions) as session:
        logins.enrol_second_factor(
            session,
            site.hasher,
            adviser,
            password=WEB_PASSWORD,
            secret=offered.secret,
            code=totp.at(enrolled_at),
            origin="198.51.100.4",
        )
    later = enrolled_at + timedelta(seconds=30)
    with transaction(site.sessions) as session:
        user = logins.login_named(session, "adviser")
        assert principal_of(session, user).second_factor
        assert not logins.second_factor_passes(user, None)
        assert not logins.second_factor_passes(user, totp.at(enrolled_at))  # enrolment's
        assert logins.second_factor_passes(user, totp.at(later))
        assert not logins.second_factor_passes(user, totp.at(later))  # replayed
        assert trail(session, "login.enrol_second_factor")[0].origin == "198.51.100.4"
        assert offered.secret not in str(trail(session, "login.enrol_second_factor")[0].data)
        # With a second factor, 8 characters are enough.
        logins.change_password(session, site.hasher, user.id, WEB_PASSWORD, "8 chars!")
    with transaction(site.sessions) as session:
        logins.reset_password(
            session, site.hasher, "adviser", actor="user:admin", clear_second_factor=True
        )
        assert logins.login_named(session, "adviser").totp_secret is None


def test_removing_an_adviser_from_the_office_removes_their_logins_access(site: Site) -> None:
    with site.sessions() as session:
        me = principal_of(session, logins.login_named(session, "adviser"))
        assert (me.office_code, reachable_entity(session, me, "E000001").code) == (
            "cap",
            "E000001",
        )
        assert "adviser" in offices.list_offices(session)[0].advisers
        with pytest.raises(InvalidAct, match="works in office cap"):
            offices.add_adviser(session, "sea", "adviser", actor="t")
    with transaction(site.sessions) as session:
        offices.remove_adviser(session, "cap", "adviser", actor="os:root")
    with site.sessions() as session:
        me = principal_of(session, logins.login_named(session, "adviser"))
        assert me.office_id is None
        with pytest.raises(NotFound):
            reachable_entity(session, me, "E000001")
        with pytest.raises(Forbidden):
            reachable_office(session, me, "cap")
        assert [v.office for v in logins.list_logins(session, "advis")] == [None]
    with transaction(site.sessions) as session:
        offices.add_adviser(session, "sea", "adviser", actor="os:root")
    with site.sessions() as session:
        me = principal_of(session, logins.login_named(session, "adviser"))
        assert reachable_entity(session, me, "E000003").code == "E000003"
        with pytest.raises(NotFound):
            reachable_entity(session, me, "E000001")


def test_a_member_login_without_a_name_greets_the_member_by_theirs(site: Site) -> None:
    with transaction(site.sessions) as session:
        user = logins.create_user(
            session,
            site.hasher,
            username="second-login",
            password="a long enough passphrase for tests",
            role="member",
            member=1,
            actor="t",
        )
        person = session.get(Person, session.get(Member, user.member_id).person_id)
        assert user.display_name == f"{person.first_name} {person.last_name}"
        assert user.display_name != "second-login"
