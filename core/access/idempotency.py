"""Requests sent again: the first answer, not a second act.

A client that did not get the answer to an act (a timeout, a dropped connection, a
double click) sends it again with the same ``Idempotency-Key``. The first request
*claims* the key in a transaction of its own before it runs; the answer it gets is
then *completed* on the claim, or the claim *released* when the act was refused (a
refusal writes nothing, so it may be tried again). A replay finds the claim: it
waits for the first request to finish and gets its answer back; with another method,
address or body it is refused, never answered with another request's answer.

Two replays at the same moment cannot both claim: the claim's unique key (login,
entity, key) lets one insert win. On PostgreSQL the loser's insert waits for the
winner's commit and then fails; SQLite serialises writing transactions. The loser
reads the claim and waits, so concurrent replays all get the first answer — never an
error of the database.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from partage.core.access.models import IdempotentRequest
from partage.core.contract.errors import N_, PartageError
from partage.core.platform.db.engine import transaction

#: How long a replay waits for the first request to finish before giving up.
WAIT_SECONDS = 30.0
POLL_SECONDS = 0.05


class KeyReused(PartageError):
    """The key was sent before with another request (answered 422)."""


class StillRunning(PartageError):
    """The first request with the key has not finished (answered 409)."""


@dataclass(frozen=True)
class Claim:
    """Whose key it is: the login, the entity it acts on (``""``: none) and the key."""

    user_id: int
    scope: str
    key: str


@dataclass(frozen=True)
class Answer:
    """An answer kept to be replayed."""

    status: int
    content_type: str
    body: bytes


def _where(claim: Claim) -> tuple[ColumnElement[bool], ...]:
    return (
        IdempotentRequest.user_id == claim.user_id,
        IdempotentRequest.scope == claim.scope,
        IdempotentRequest.key == claim.key,
    )


def _row(sessions: sessionmaker[Session], claim: Claim) -> IdempotentRequest | None:
    with sessions() as session:
        return session.scalars(select(IdempotentRequest).where(*_where(claim))).one_or_none()


def claim(
    sessions: sessionmaker[Session],
    claim: Claim,
    fingerprint: str,
    *,
    wait: float = WAIT_SECONDS,
) -> Answer | None:
    """Claim the key for this request: ``None`` when it is the first and must run, the
    first answer when it is a replay. Refuses a key sent with another request
    (:class:`KeyReused`) and gives up on a first request still running after ``wait``
    seconds (:class:`StillRunning`)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with transaction(sessions) as session:
                session.add(
                    IdempotentRequest(
                        user_id=claim.user_id,
                        scope=claim.scope,
                        key=claim.key,
                        fingerprint=fingerprint,
                    )
                )
            return None
        except IntegrityError:
            pass
        first = _row(sessions, claim)
        if first is not None:
            if first.fingerprint != fingerprint:
                raise KeyReused(
                    "Idempotency-Key",
                    N_(
                        "was sent before with another request (method, address or "
                        "body differ): use a new key for a new request"
                    ),
                    value=claim.key,
                )
            if first.status is not None:
                return Answer(first.status, first.content_type or "", first.body or b"")
        if time.monotonic() > deadline:
            raise StillRunning(
                "Idempotency-Key",
                N_(
                    "the first request with this key is still running after "
                    "{wait:.0f} s: send it again later"
                ),
                value=claim.key,
                wait=wait,
            )
        time.sleep(POLL_SECONDS)


def complete(sessions: sessionmaker[Session], claim: Claim, answer: Answer) -> None:
    """Keep the first request's answer for its replays."""
    with transaction(sessions) as session:
        session.execute(
            update(IdempotentRequest)
            .where(*_where(claim))
            .values(status=answer.status, content_type=answer.content_type, body=answer.body)
        )


def release(sessions: sessionmaker[Session], claim: Claim) -> None:
    """Give the key back: the request was refused or failed, and wrote nothing."""
    with transaction(sessions) as session:
        session.execute(delete(IdempotentRequest).where(*_where(claim)))
