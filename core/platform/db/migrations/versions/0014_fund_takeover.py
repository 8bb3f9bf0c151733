"""receivables the guarantee fund took over, and what a hire reserves

An invoice records the day the salary guarantee fund took it over (its coverage lapsed
or its client is late beyond the guarantee's rules); a contract records what its hire
reserved of the entity's funds for the contract's legal commitment.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-07 16:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taken_over_on", sa.Date(), nullable=True))
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reserved", sa.BigInteger(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_column("reserved")
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_column("taken_over_on")
