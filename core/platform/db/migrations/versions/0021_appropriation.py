"""appropriation: the general assembly's appropriation of a closed year's result

One row per fiscal year: its date, the decision's reference and the amounts it sent to
the legal reserve, the salary guarantee fund's reserve and the other reserves; the
entry posted from it is found by its act (``appropriation``, the year).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 22:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appropriation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(length=200), nullable=False),
        sa.Column("result", sa.BigInteger(), nullable=False),
        sa.Column("legal_reserve", sa.BigInteger(), nullable=False),
        sa.Column("guarantee_fund", sa.BigInteger(), nullable=False),
        sa.Column("other_reserves", sa.BigInteger(), nullable=False),
        sa.Column("carried_forward", sa.BigInteger(), nullable=False),
        sa.Column("fund_movements", sa.BigInteger(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appropriation")),
        sa.UniqueConstraint("fiscal_year", name=op.f("uq_appropriation_fiscal_year")),
    )


def downgrade() -> None:
    op.drop_table("appropriation")
