"""network reports received: the franchisor keeps each franchisee's report per period

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 22:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "network_report_received",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_code", sa.String(length=2), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("schema_version", sa.String(length=16), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_report_received")),
        sa.UniqueConstraint(
            "instance_code",
            "period_from",
            "period_to",
            name=op.f("uq_network_report_received_instance_code"),
        ),
    )
    with op.batch_alter_table("network_report_received", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_network_report_received_instance_code"),
            ["instance_code"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("network_report_received", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_network_report_received_instance_code"))
    op.drop_table("network_report_received")
