"""foreign supplier documents: ECB reference rates, and a purchase's original currency,
amounts and rate, and the foreign VAT it bears as a cost

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-08 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import DecimalText

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("rate", DecimalText(), nullable=False),
        sa.PrimaryKeyConstraint("currency", "on", name=op.f("pk_exchange_rate")),
    )
    with op.batch_alter_table("purchase") as batch:
        batch.add_column(sa.Column("currency", sa.String(length=3), nullable=True))
        batch.add_column(sa.Column("original_net", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("original_vat", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("exchange_rate", DecimalText(), nullable=True))
        batch.add_column(sa.Column("exchange_rate_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("foreign_vat", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("foreign_vat_country", sa.String(length=2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("purchase") as batch:
        for name in (
            "foreign_vat_country",
            "foreign_vat",
            "exchange_rate_on",
            "exchange_rate",
            "original_vat",
            "original_net",
            "currency",
        ):
            batch.drop_column(name)
    op.drop_table("exchange_rate")
