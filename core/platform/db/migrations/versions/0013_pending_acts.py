"""acts that wait for staff validation before they count

A member's declaration alone — cash received, a supplier's credit note without its
invoice in the books, an expense receipt whose VAT no rate explains — is written but
not posted: ``pending_act`` holds it until staff of the entity's office (another login
than the one who entered it) validate it, which posts it, or refuse it. Acts recorded
before this revision were posted already and stay as they are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 17:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("rule", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.Column("entered_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_pending_act_entity_id_entity")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_act")),
        sa.UniqueConstraint("kind", "subject_id", name=op.f("uq_pending_act_kind")),
    )
    with op.batch_alter_table("pending_act", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_act_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pending_act_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_act", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_act_status"))
        batch_op.drop_index(batch_op.f("ix_pending_act_entity_id"))
    op.drop_table("pending_act")
