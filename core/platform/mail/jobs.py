"""The job queue that delivers the outbox: huey.

huey was chosen because one library covers both of Partage's databases: its SQLite
storage for the embedded default (a queue file beside the database) and its PostgreSQL
storage (``PostgresHuey``, psycopg 3) in the instance's own database; procrastinate
needs PostgreSQL and SAQ needs Redis. The queue only carries the order "deliver what is
due": the messages themselves, their attempts and their next due time live in the
outbox tables, so a lost or emptied queue loses no message — the periodic sweep (every
minute) finds whatever is due. A message committed by an act wakes a worker at once
(:meth:`MailQueue.watch`).

Workers run in ``partage mail worker`` (huey's consumer, several threads), or inside
``partage serve`` and the demo when ``[email] worker_in_process`` is on.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from huey import Huey, MemoryHuey, PostgresHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from partage.core.platform.mail.outbox import WROTE, Delivery, deliver_due
from partage.core.platform.mail.sending import Sender, sender_for
from partage.core.platform.mail.settings import EmailSettings

NAME = "partage-mail"
#: The prefix of the queue's own tables in a PostgreSQL database.
TABLE_PREFIX = "partage_queue"

log = logging.getLogger(__name__)


def storage_for(database_url: str, *, immediate: bool = False) -> Huey:
    """The huey queue of an instance's database: a SQLite file beside a SQLite
    database (``partage.db`` -> ``partage.db-queue``), tables prefixed
    :data:`TABLE_PREFIX` in a PostgreSQL one, in memory for an in-memory database.
    ``immediate`` runs each job as it is enqueued (tests)."""
    url = make_url(database_url)
    if immediate or (url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")):
        return MemoryHuey(NAME, immediate=immediate, utc=True)
    if url.get_backend_name() == "sqlite":
        return SqliteHuey(NAME, filename=f"{Path(url.database or 'partage.db')}-queue", utc=True)
    dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresHuey(NAME, dsn=dsn, table_prefix=TABLE_PREFIX, utc=True)


class _Embedded(Consumer):
    """huey's consumer run inside another program (the web server): the program keeps
    its own signal handlers."""

    def _set_signal_handlers(self) -> None:
        return None


class MailQueue:
    """The outbox's jobs on one huey queue.

    Attributes:
        huey: the queue.
        deliver: the job that delivers what is due (call it to enqueue a run).
    """

    def __init__(
        self,
        huey: Huey,
        sessions: sessionmaker[Session],
        settings: EmailSettings,
        sender: Sender | None = None,
    ) -> None:
        self.huey = huey
        self.sessions = sessions
        self.settings = settings
        self.sender = sender or sender_for(settings)
        self.deliver = huey.task(name="partage.mail.deliver")(self.run_once)
        huey.periodic_task(crontab(minute="*"), name="partage.mail.sweep")(self.run_once)
        self._consumer: Consumer | None = None

    def run_once(self) -> Delivery:
        """Deliver what is due now (the body of both jobs)."""
        done = deliver_due(self.sessions, self.settings, self.sender)
        if done.sent or done.failed:
            log.info("outbox: %s sent, %s failed", done.sent, done.failed)
        return done

    def watch(self) -> None:
        """Wake a worker each time a transaction that wrote a message commits."""

        def committed(session: Session) -> None:
            if session.info.pop(WROTE, False):
                self.deliver()

        def rolled_back(session: Session, *_: Any) -> None:
            session.info.pop(WROTE, None)

        event.listen(self.sessions, "after_commit", committed)
        event.listen(self.sessions, "after_soft_rollback", rolled_back)

    def consumer(self, workers: int = 2) -> Consumer:
        """huey's consumer for ``partage mail worker`` (its signals: Ctrl-C stops it)."""
        return self.huey.create_consumer(workers=workers, worker_type="thread", periodic=True)

    def start_in_process(self) -> None:
        """Run one worker thread and the scheduler inside this process."""
        self._consumer = _Embedded(self.huey, workers=1, worker_type="thread", periodic=True)
        self._consumer.start()

    def stop_in_process(self) -> None:
        """Stop the worker started by :meth:`start_in_process`, letting a job finish."""
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None
