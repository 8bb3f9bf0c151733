"""The audit log: who changed money or people, when, what and why.

Services call :func:`record` inside the transaction of the change itself, so that the
change and its trace commit or roll back together.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from partage.core.platform.db.models import AuditRecord


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditRecord:
    """Append one audit record to the current transaction."""
    entry = AuditRecord(actor=actor, action=action, subject=subject, reason=reason, data=data or {})
    session.add(entry)
    return entry
