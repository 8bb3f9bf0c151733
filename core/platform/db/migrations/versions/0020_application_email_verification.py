"""application email verification: an online application waits for its email address
to be verified before anyone reviews it

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 23:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("verified_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_application_key_sha256"), ["key_sha256"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("application", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_key_sha256"))
        batch_op.drop_column("verified_at")
        batch_op.drop_column("key_sha256")
