"""simulation journal: the committed steps of a simulated month

``partage demo`` lives a month in hundreds of transactions; a run killed half-way
leaves some committed. Each step (an act, or a read the month's plan is drawn from) is
now journalled, so the next run finishes the month without doing an act twice.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 20:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "simulation_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulation_step")),
        sa.UniqueConstraint("month", "step", name=op.f("uq_simulation_step_month")),
    )
    with op.batch_alter_table("simulation_step", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_simulation_step_month"), ["month"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("simulation_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_simulation_step_month"))
    op.drop_table("simulation_step")
