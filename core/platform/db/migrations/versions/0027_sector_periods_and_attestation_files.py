"""sector periods and attestation files: an entity works in a sector from a day (and
until a day), and an attestation keeps the file it was uploaded with

Rows already there keep no bound: their sector applies to every act, as before.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-08 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entity_sector") as batch:
        batch.add_column(sa.Column("since", sa.Date(), nullable=True))
        batch.add_column(sa.Column("until", sa.Date(), nullable=True))
    with op.batch_alter_table("attestation") as batch:
        batch.add_column(sa.Column("filename", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("media_type", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("content", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_attestation_valid_until"), ["valid_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attestation") as batch:
        batch.drop_index(batch.f("ix_attestation_valid_until"))
        batch.drop_column("sha256")
        batch.drop_column("content")
        batch.drop_column("media_type")
        batch.drop_column("filename")
    with op.batch_alter_table("entity_sector") as batch:
        batch.drop_column("until")
        batch.drop_column("since")
