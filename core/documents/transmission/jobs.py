"""The transmission's jobs, on the same huey queue as the email outbox.

As with the outbox, the queue only carries the order "deliver what is due": the
deliveries, their attempts and their next due time live in the database, so a lost
queue loses nothing — the sweep every minute finds whatever is due, and a delivery
queued by an act wakes a worker at once (:meth:`TransmissionJobs.watch`). Every
quarter of an hour a second job asks the providers where sent documents stand and
fetches the supplier documents waiting.
"""

from __future__ import annotations

import logging
from typing import Any

from huey import Huey, crontab
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from partage.core.documents.transmission.channels import Channel, channel_for
from partage.core.documents.transmission.service import (
    QUEUED,
    Run,
    deliver_due,
    fetch_received,
    refresh_statuses,
)
from partage.core.platform.einvoicing_settings import EInvoicingSettings

log = logging.getLogger(__name__)


def channels_of(settings: EInvoicingSettings) -> dict[str, Channel]:
    """The adapters of the configured providers, by network."""
    found = {}
    for network in ("peppol", "platform"):
        channel = channel_for(settings.provider(network), settings.timeout_seconds)
        if channel is not None:
            found[network] = channel
    return found


class TransmissionJobs:
    """The transmission's jobs on one huey queue.

    Attributes:
        deliver: the job that hands due deliveries over (call it to enqueue a run).
        follow: the job that refreshes statuses and fetches received documents.
    """

    def __init__(
        self,
        huey: Huey,
        sessions: sessionmaker[Session],
        settings: EInvoicingSettings,
        channels: dict[str, Channel] | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.channels = channels if channels is not None else channels_of(settings)
        self.deliver = huey.task(name="partage.einvoice.deliver")(self.run_once)
        huey.periodic_task(crontab(minute="*"), name="partage.einvoice.sweep")(self.run_once)
        self.follow = huey.periodic_task(crontab(minute="*/15"), name="partage.einvoice.follow")(
            self.follow_once
        )

    def run_once(self) -> Run:
        """Hand what is due to the providers (the body of the deliver and sweep jobs)."""
        if not self.channels:
            return Run()
        done = deliver_due(self.sessions, self.settings, self.channels)
        if done.sent or done.retried or done.rejected or done.failed:
            log.info("einvoice: %s", done)
        return done

    def follow_once(self) -> tuple[int, int]:
        """Refresh the sent documents' statuses and fetch the received ones."""
        if not self.channels:
            return 0, 0
        return refresh_statuses(self.sessions, self.channels), fetch_received(
            self.sessions, self.channels
        )

    def watch(self) -> None:
        """Wake a worker each time a transaction that queued a delivery commits."""

        def committed(session: Session) -> None:
            if session.info.pop(QUEUED, False):
                self.deliver()

        def rolled_back(session: Session, *_: Any) -> None:
            session.info.pop(QUEUED, None)

        event.listen(self.sessions, "after_commit", committed)
        event.listen(self.sessions, "after_soft_rollback", rolled_back)
