"""The audit log: who changed money or people, when, what, why and from where.

Services call :func:`record` inside the transaction of the change itself, so that the
change and its trace commit or roll back together. The web and the API record the
client's address as the origin; the command line records who runs it
(:func:`cli_actor`) and on which host (:func:`cli_origin`), never a free text.
"""

from __future__ import annotations

import getpass
import os
import socket
from typing import Any

from sqlalchemy.orm import Session

from partage.core.platform.db.models import AuditRecord

#: The environment variable naming the command line's actor when the operating-system
#: user is shared (a service account): ``PARTAGE_ACTOR=jane`` records ``cli:jane``.
ACTOR_VARIABLE = "PARTAGE_ACTOR"


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    origin: str = "",
) -> AuditRecord:
    """Append one audit record to the current transaction."""
    entry = AuditRecord(
        actor=actor,
        action=action,
        subject=subject,
        reason=reason,
        data=data or {},
        origin=origin[:64],
    )
    session.add(entry)
    return entry


def cli_actor() -> str:
    """Who acts from the command line: the configured identity (``PARTAGE_ACTOR``),
    else the operating-system user running it."""
    configured = os.environ.get(ACTOR_VARIABLE, "").strip()
    if configured:
        return f"cli:{configured[:150]}"
    try:
        return f"os:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (a bare container)
        return f"os:uid-{os.getuid()}"


def cli_origin() -> str:
    """Where a command-line act comes from: ``cli@<host>``."""
    return f"cli@{socket.gethostname()}"[:64]
