"""Text the database can hold: no control characters, no longer than its column.

PostgreSQL refuses a NUL character in text and a value longer than its ``VARCHAR(n)``
with an error that would surface as a server error, while SQLite keeps either without
a word. Both get the same refusal here instead, before anything is written, naming the
table's column and the rule: every row the ORM is about to insert or update is checked
at flush. Tab, line feed and carriage return are text; the other control characters
(NUL included) are not.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from partage.core.contract.errors import N_, PartageError

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_RULE = N_("must not contain control characters (NUL and the like)")


class TextRefused(PartageError):
    """A text that no column may hold, or longer than its column."""


def check_text(field: str, value: str, length: int | None = None) -> str:
    """``value`` if it is text the database holds in a column of ``length``; else
    :class:`TextRefused` naming ``field``."""
    if CONTROL.search(value):
        raise TextRefused(field, CONTROL_RULE, value=repr(value[:60]))
    if length is not None and len(value) > length:
        raise TextRefused(
            field, N_("{count} characters, at most {most}"), count=len(value), most=length
        )
    return value


def check_row(row: Any) -> None:
    """Every text attribute of an ORM row against its column."""
    mapper = inspect(type(row))
    for attribute in mapper.column_attrs:
        column = attribute.columns[0]
        if not isinstance(column.type, String):
            continue
        value = getattr(row, attribute.key, None)
        if isinstance(value, str):
            check_text(f"{column.table.name}.{column.name}", value, column.type.length)


def check_flushed(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """The ``before_flush`` listener of every session of a run (see
    :func:`~partage.core.platform.db.engine.session_factory`)."""
    for row in (*session.new, *session.dirty):
        check_row(row)


def guard(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """``factory``, its sessions checking every row's text at flush."""
    event.listen(factory, "before_flush", check_flushed)
    return factory
