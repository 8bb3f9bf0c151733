"""privacy: who registered a party, and when a person's or party's data were erased

A member sees the parties they registered and those their entities dealt with through
a validated act; the party now says which member registered it. Persons, parties and
applications gain the moment their personal data were erased on request (GDPR art. 17): the rows
stay, pseudonymised, for the records the law keeps.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 19:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.add_column(sa.Column("registered_by_member_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("erased_at", UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_party_registered_by_member_id_member"),
            "member",
            ["registered_by_member_id"],
            ["id"],
        )
    for table in ("person", "application"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("erased_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in ("application", "person"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("erased_at")
    with op.batch_alter_table("party", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_party_registered_by_member_id_member"), type_="foreignkey"
        )
        batch_op.drop_column("erased_at")
        batch_op.drop_column("registered_by_member_id")
