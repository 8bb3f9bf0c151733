"""Slowing down password guessing without letting a stranger lock anyone out.

Every attempt to log in is recorded (:class:`~partage.core.access.models.LoginAttempt`).
Before a password is even hashed, the attempt must wait out two delays, each growing
with the failures behind it:

- **per account and address**: after :data:`PAIR_FREE` failures for one username from
  one address (since that pair's last success), each further attempt from there waits
  twice as long as the one before: 1 s, 2 s, 4 s... up to :data:`LONGEST`;
- **per address**: after :data:`ADDRESS_FREE` failures from one address within
  :data:`ADDRESS_WINDOW`, whatever the usernames, the same doubling applies to every
  attempt from that address (a guesser trying many accounts).

The owner of an account, logging in from their own address, is never held back by a
stranger's failures elsewhere: no delay is ever kept per account alone. An
administrator sees who is being slowed down (:func:`throttled`) and can lift a delay
(:func:`lift`), which is audited, as is each delay imposed (:func:`failed`). These are
the cooperative's security settings, not law.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from partage.core.access.models import LoginAttempt
from partage.core.contract.errors import PartageError
from partage.core.platform import audit
from partage.core.platform.db.base import utcnow

PAIR_FREE = 5
ADDRESS_FREE = 30
PAIR_WINDOW = timedelta(hours=24)
ADDRESS_WINDOW = timedelta(hours=1)
LONGEST = timedelta(minutes=15)


class Throttled(PartageError):
    """Too many failed attempts: the next one must wait (answered 429).

    Attributes:
        retry_after: whole seconds to wait.
    """

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "username",
            f"too many failed attempts from this address: try again in {retry_after} s",
        )
        self.retry_after = retry_after


def _delay(failures: int, free: int) -> timedelta:
    if failures < free:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures - free, 20)), LONGEST)


def _seconds(span: timedelta) -> int:
    """A wait in whole seconds, rounded up; never negative."""
    return max(0, int(-(-span.total_seconds() // 1)))


def _failures(session: Session, *where: object, since: datetime) -> tuple[int, datetime | None]:
    count, last = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.lifted_at.is_(None),
            LoginAttempt.at > since,
            *where,  # type: ignore[arg-type]
        )
    ).one()
    return int(count), last


def _pair(session: Session, name: str, address: str, now: datetime) -> tuple[int, datetime | None]:
    """Failures of one account from one address since its last success (or the window)."""
    last_success = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == name,
            LoginAttempt.address == address,
            LoginAttempt.succeeded.is_(True),
        )
    )
    since = max(filter(None, (last_success, now - PAIR_WINDOW)))
    return _failures(
        session, LoginAttempt.username == name, LoginAttempt.address == address, since=since
    )


def wait(session: Session, username: str, address: str, now: datetime | None = None) -> int:
    """Whole seconds the next attempt for ``username`` from ``address`` must wait."""
    now = now or utcnow()
    pair, pair_last = _pair(session, username.strip().lower()[:64], address, now)
    spread, spread_last = _failures(
        session, LoginAttempt.address == address, since=now - ADDRESS_WINDOW
    )
    until = [
        last + _delay(count, free)
        for count, last, free in ((pair, pair_last, PAIR_FREE), (spread, spread_last, ADDRESS_FREE))
        if last is not None and count >= free
    ]
    return _seconds(max((u - now for u in until), default=timedelta(0)))


def admit(session: Session, username: str, address: str) -> tuple[int, int | None]:
    """Let an attempt in, or not: ``(seconds to wait, None)`` when it must wait, else
    ``(0, the attempt's id)``. The attempt is kept as failed from the start and marked
    a success only once the password matched (:func:`succeeded`), so that attempts
    arriving together all count each other: a burst cannot slip in before the first of
    it has been judged."""
    seconds = wait(session, username, address)
    if seconds:
        return seconds, None
    attempt = LoginAttempt(
        username=username.strip().lower()[:64], address=address[:64], succeeded=False
    )
    session.add(attempt)
    session.flush()
    return 0, attempt.id


def failed(session: Session, username: str, address: str) -> int:
    """After a failed attempt (already counted): the wait it brings on the next one
    from ``address``, recorded in the audit log as ``login.throttled`` when there is one.

    Only attempts that were let in can fail, so a flood held back by its delay writes
    nothing: the log gets one record per delay imposed, not one per knock.
    """
    seconds = wait(session, username, address)
    if seconds:
        audit.record(
            session,
            actor="anonymous",
            action="login.throttled",
            subject=f"login:{username.strip().lower()[:64]}",
            data={"wait_seconds": seconds},
            origin=address,
        )
    return seconds


def succeeded(session: Session, attempt_id: int) -> None:
    """The attempt's password matched."""
    session.execute(
        update(LoginAttempt).where(LoginAttempt.id == attempt_id).values(succeeded=True)
    )


@dataclass(frozen=True)
class Slowed:
    """An address (and, for a per-account delay, a username) past its free failures:
    each further failure from there doubles its wait.

    Attributes:
        address, username: who (``username`` is ``None`` for the whole address).
        failures: the failures counted.
        last_failure: the latest of them.
        wait: seconds the next attempt must still wait now (0 once the delay ran out).
    """

    address: str
    username: str | None
    failures: int
    last_failure: datetime
    wait: int


def throttled(session: Session, now: datetime | None = None) -> list[Slowed]:
    """Account-address pairs and addresses past their free failures, most failures first."""
    now = now or utcnow()
    pairs = session.execute(
        select(LoginAttempt.address, LoginAttempt.username)
        .where(
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.lifted_at.is_(None),
            LoginAttempt.at > now - PAIR_WINDOW,
        )
        .group_by(LoginAttempt.address, LoginAttempt.username)
        .having(func.count() >= PAIR_FREE)
    ).all()
    found = []
    for address, username in pairs:
        count, last = _pair(session, username, address, now)
        if count >= PAIR_FREE and last is not None:
            left = wait(session, username, address, now)
            found.append(Slowed(address, username, count, last, left))
    addresses = session.execute(
        select(LoginAttempt.address, func.count(), func.max(LoginAttempt.at))
        .where(
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.lifted_at.is_(None),
            LoginAttempt.at > now - ADDRESS_WINDOW,
        )
        .group_by(LoginAttempt.address)
        .having(func.count() >= ADDRESS_FREE)
    ).all()
    for address, count, last in addresses:
        left = _seconds(last + _delay(count, ADDRESS_FREE) - now)
        found.append(Slowed(address, None, count, last, left))
    return sorted(found, key=lambda s: (-s.failures, s.address, s.username or ""))


def lift(session: Session, address: str, *, username: str | None = None, actor: str) -> int:
    """Forget the failures behind a delay (of one account from an address, or of the
    whole address); returns how many failures were lifted."""
    conditions = [
        LoginAttempt.address == address,
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.lifted_at.is_(None),
    ]
    if username is not None:
        conditions.append(LoginAttempt.username == username.strip().lower())
    lifted = session.execute(
        update(LoginAttempt).where(*conditions).values(lifted_at=utcnow())
    ).rowcount  # type: ignore[attr-defined]
    audit.record(
        session,
        actor=actor,
        action="login.lift_delay",
        subject=f"address:{address}",
        reason=f"{lifted} failed attempts" + (f" of {username}" if username else ""),
        data={"address": address, "username": username, "lifted": lifted},
    )
    return int(lifted)
