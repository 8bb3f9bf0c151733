"""Rows written once and never changed: issued documents, declarations, payment files.

A record the law (or a counterpart) may already hold a copy of is stored once and then
refused any change by an ORM event; a correction is a new record (a credit note, a new
declaration), never an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from partage.core.contract.errors import PartageError

IMMUTABLE_MESSAGE = "issued documents are immutable; issue a credit note or a new declaration"

Row = TypeVar("Row")


def store_once(session: Session, row: Row, stored: Callable[[], Row | None]) -> tuple[Row, bool]:
    """Insert a document ``row`` unless another transaction stored the same one first.

    Two first requests of one document (a double click, two advisers) both find nothing
    stored and both produce it; the table's unique key lets one insert through and
    makes the other wait, then fail. The loser's insert is undone in a savepoint and the
    winner's row, now committed, is returned instead, so that both callers get the same
    bytes. Returns the row kept and whether this call inserted it.
    """
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        found = stored()
        if found is None:
            raise
        return found, False
    return row, True


class ImmutableDocument(PartageError):
    """An issued document was about to be changed or deleted."""


def refuse_change(_mapper: object, _connection: object, target: object) -> None:
    raise ImmutableDocument(
        type(target).__name__, IMMUTABLE_MESSAGE, value=getattr(target, "id", "?")
    )
