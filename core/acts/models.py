"""Tables of the acts' kernel: the counters that number documents and records."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from partage.core.platform.db.base import Base


class Counter(Base):
    """The last number given in a series (invoices per series and year, members...).

    Incremented by one atomic upsert inside the act's transaction: the row stays locked
    until commit, so numbers are unique under concurrency, and a rolled-back act gives
    its number back, so they are gapless.
    """

    __tablename__ = "counter"

    series: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)
