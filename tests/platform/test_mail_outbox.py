"""The email outbox, delivered through a real SMTP server (aiosmtpd) by jobs of the
queue (huey), on SQLite and PostgreSQL: a message committed with its act arrives; a
rolled-back act sends nothing; with the server down the message waits, each attempt is
recorded, and it arrives once the server is back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from huey import MemoryHuey, PostgresHuey, SqliteHuey
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from partage.core.platform.db import migrate
from partage.core.platform.db.base import utcnow
from partage.core.platform.db.engine import transaction
from partage.core.platform.mail import outbox
from partage.core.platform.mail.jobs import MailQueue, storage_for
from partage.core.platform.mail.models import OutboxAttempt, OutboxMessage
from partage.core.platform.mail.sending import sender_for
from partage.core.platform.mail.settings import EmailSettings
from tests.mail_support import SmtpServer


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    migrate.upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def _send(session: Session, to: str = "ana@example.org") -> OutboxMessage:
    return outbox.enqueue(
        session,
        kind="test",
        recipient=to,
        subject="Réinitialiser le mot de passe",
        body="Bonjour,\nvoici le lien.\n",
        language="fr",
    )


def _queue(
    database_url: str, sessions: sessionmaker[Session], settings: EmailSettings
) -> MailQueue:
    queue = MailQueue(storage_for(database_url, immediate=True), sessions, settings)
    queue.watch()
    return queue


def test_a_message_committed_with_its_act_is_delivered(
    database_url: str, sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    _queue(database_url, sessions, smtp.settings())
    with transaction(sessions) as session:
        _send(session)
    assert len(smtp.inbox.messages) == 1
    received = smtp.inbox.messages[0]
    assert received["To"] == "ana@example.org"
    assert received["From"] == "cooperative@example.org"
    assert received["Subject"] == "Réinitialiser le mot de passe"
    assert received["Content-Language"] == "fr"
    assert "voici le lien" in received.get_content()
    with sessions() as session:
        row = session.scalars(select(OutboxMessage)).one()
        assert row.sent_at is not None and row.next_attempt_at is None and row.attempts == 1
        assert [a.succeeded for a in outbox.attempts_of(session, row.id)] == [True]


def test_a_rolled_back_act_sends_nothing(
    database_url: str, sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    queue = _queue(database_url, sessions, smtp.settings())
    with pytest.raises(RuntimeError), transaction(sessions) as session:
        _send(session)
        raise RuntimeError("the act is refused")
    assert queue.run_once() == outbox.Delivery()
    with transaction(sessions) as session:  # a later act that writes no message
        session.execute(select(1))
    assert smtp.inbox.messages == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_with_the_server_down_a_message_waits_and_arrives_once_it_is_back(
    database_url: str, sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    settings = smtp.settings(first_retry_seconds=60)
    _queue(database_url, sessions, settings)
    smtp.stop()
    with transaction(sessions) as session:
        ident = _send(session).id
    sender = sender_for(settings)
    # not due again before its wait: nothing tried
    assert outbox.deliver_due(sessions, settings, sender) == outbox.Delivery()
    later = utcnow() + timedelta(seconds=61)
    assert outbox.deliver_due(sessions, settings, sender, now=later) == outbox.Delivery(failed=1)
    with sessions() as session:
        row = session.get(OutboxMessage, ident)
        assert row is not None and row.sent_at is None and row.attempts == 2
        assert row.next_attempt_at is not None
        assert row.next_attempt_at - later >= timedelta(seconds=119)  # the wait doubled
        tried = outbox.attempts_of(session, ident)
        assert [a.succeeded for a in tried] == [False, False]
        assert all("Connection" in a.error or "refused" in a.error for a in tried)
        assert [m.state for m in outbox.list_messages(session)] == ["pending"]
    smtp.start()
    assert smtp.inbox.messages == []
    much_later = utcnow() + timedelta(hours=1)
    done = outbox.deliver_due(sessions, settings, sender, now=much_later)
    assert done == outbox.Delivery(sent=1)
    assert [m["Subject"] for m in smtp.inbox.messages] == ["Réinitialiser le mot de passe"]
    with sessions() as session:
        assert [a.succeeded for a in outbox.attempts_of(session, ident)] == [False, False, True]
        assert outbox.list_messages(session, "sent")[0].attempts == 3
    # a sent message is never sent again
    assert outbox.deliver_due(sessions, settings, sender, now=much_later) == outbox.Delivery()


def test_a_message_is_given_up_after_the_most_attempts_allowed(
    sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    settings = smtp.settings(max_attempts=2)
    smtp.stop()
    with transaction(sessions) as session:
        ident = _send(session).id
    sender = sender_for(settings)
    assert outbox.deliver_due(sessions, settings, sender).failed == 1
    later = utcnow() + timedelta(days=1)
    assert outbox.deliver_due(sessions, settings, sender, now=later) == outbox.Delivery(
        failed=1, given_up=1
    )
    with sessions() as session:
        assert [m.id for m in outbox.list_messages(session, "failed")] == [ident]
        assert session.scalar(select(func.count()).select_from(OutboxAttempt)) == 2
    assert outbox.deliver_due(sessions, settings, sender, now=later + timedelta(days=9)) == (
        outbox.Delivery()
    )


def test_the_queue_lives_beside_the_instances_database(
    database_url: str, sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    """A job enqueued on the instance's queue storage (a SQLite file beside a SQLite
    database, tables in a PostgreSQL one) is taken by a worker and delivers."""
    huey = storage_for(database_url)
    assert isinstance(huey, SqliteHuey if database_url.startswith("sqlite") else PostgresHuey)
    queue = MailQueue(huey, sessions, smtp.settings())
    queue.watch()
    with transaction(sessions) as session:
        _send(session)
    assert smtp.inbox.messages == []  # waiting for a worker
    task = huey.dequeue()
    assert task is not None and task.name == "partage.mail.deliver"
    huey.execute(task)
    assert len(smtp.inbox.messages) == 1
    huey.storage.flush_all()


def test_an_in_process_worker_delivers_as_the_act_commits(
    sessions: sessionmaker[Session], smtp: SmtpServer, tmp_path: object
) -> None:
    queue = MailQueue(MemoryHuey("mail-test", utc=True), sessions, smtp.settings())
    queue.watch()
    queue.start_in_process()
    try:
        with transaction(sessions) as session:
            _send(session)
        deadline = utcnow() + timedelta(seconds=60)
        while not smtp.inbox.messages and utcnow() < deadline:
            import time

            time.sleep(0.05)
    finally:
        queue.stop_in_process()
    assert len(smtp.inbox.messages) == 1
