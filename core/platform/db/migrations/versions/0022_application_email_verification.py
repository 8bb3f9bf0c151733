"""application email verification and share payments due: an online application waits
for its email address to be verified before anyone reviews it; the shares of an admitted
applicant wait for their transfer

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 23:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "share_payment_due",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("due_since", sa.Date(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_by", sa.String(length=200), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_share_payment_due_positive_quantity")),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_share_payment_due_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_payment_due")),
        sa.UniqueConstraint("reference", name=op.f("uq_share_payment_due_reference")),
    )
    with op.batch_alter_table("share_payment_due", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_share_payment_due_member_id"), ["member_id"], unique=False
        )
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("verified_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_application_key_sha256"), ["key_sha256"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("share_payment_due", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_payment_due_member_id"))
    op.drop_table("share_payment_due")
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_key_sha256"))
        batch_op.drop_column("verified_at")
        batch_op.drop_column("key_sha256")
