"""The ``[email]`` settings, typed: how messages leave the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

#: The ways a message may leave: a mail server, a folder of ``.eml`` files, the console.
BACKENDS = ("smtp", "file", "console")
#: How the connection to the mail server is secured: STARTTLS after connecting, TLS
#: from the start (``ssl``, port 465), or not at all (a server on the same host).
SECURITIES = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class EmailSettings:
    """How messages are sent (``[email]`` in the settings).

    Attributes:
        backend: one of :data:`BACKENDS`.
        sender: the From address.
        host, port: the mail server (``smtp``).
        security: one of :data:`SECURITIES`.
        username, password: the server's credentials (empty: none); give the password
            in ``PARTAGE_EMAIL__PASSWORD`` rather than a file.
        timeout_seconds: how long a connection may wait on the server.
        folder: where the ``file`` backend writes one ``.eml`` file per message.
        max_attempts: attempts before a message is given up (it stays listed).
        first_retry_seconds: the wait after a first failure; each further failure
            doubles it, up to :data:`LONGEST_WAIT`.
        worker_in_process: whether ``partage serve`` (and the demo) runs the queue's
            worker in its own process; otherwise ``partage mail worker`` runs it.
        password_reset_minutes: how long an emailed password-reset link stays valid.
        invitation_days: how long the link inviting a new member to choose their
            password stays valid.
    """

    backend: str = "console"
    sender: str = "partage@localhost"
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password: str = ""
    timeout_seconds: int = 30
    folder: str = "outbox-mail"
    max_attempts: int = 10
    first_retry_seconds: int = 60
    worker_in_process: bool = True
    password_reset_minutes: int = 60
    invitation_days: int = 14

    def retry_after(self, attempts: int) -> timedelta:
        """The wait before the next attempt, after ``attempts`` failed ones."""
        seconds = self.first_retry_seconds * 2 ** min(max(attempts - 1, 0), 20)
        return min(timedelta(seconds=seconds), LONGEST_WAIT)


#: The longest wait between two attempts.
LONGEST_WAIT = timedelta(hours=6)
