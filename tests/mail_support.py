"""A real local SMTP server (aiosmtpd) for tests: it keeps what it receives, can be
stopped (the mail server is down) and started again on the same port."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

from aiosmtpd.controller import Controller

from partage.core.platform.mail.settings import EmailSettings


def free_port() -> int:
    """A TCP port nobody listens on now, on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """aiosmtpd's handler: every message received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(cast("EmailMessage", parsed))
        return "250 Message accepted for delivery"


class SmtpServer:
    """An SMTP server on 127.0.0.1 and a port of its own, for one test."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self, **options: Any) -> EmailSettings:
        """``[email]`` settings that send to this server (no TLS: it is local)."""
        values: dict[str, Any] = {
            "backend": "smtp",
            "host": "127.0.0.1",
            "port": self.port,
            "security": "none",
            "sender": "cooperative@example.org",
            "timeout_seconds": 5,
        }
        values.update(options)
        return EmailSettings(**values)
