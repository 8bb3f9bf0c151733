"""idempotency keys scoped to their entity and login; login attempts

A payment's key is now its entity's own (unique per entity, no longer across the
instance), so one entity's key never answers with another entity's payment. API
requests sent with an ``Idempotency-Key`` header keep their first answer in
``idempotent_request``, unique per login, entity and key. ``login_attempt`` keeps
every attempt to log in, which slows down guessing.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.contract.errors import DatabaseError
from partage.core.platform.db.base import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_payment_key"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_payment_entity_id"), ["entity_id", "key"])
    op.create_table(
        "idempotent_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["web_user.id"], name=op.f("fk_idempotent_request_user_id_web_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotent_request")),
        sa.UniqueConstraint("user_id", "scope", "key", name=op.f("uq_idempotent_request_user_id")),
    )

    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("lifted_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    for column in ("username", "address", "at"):
        op.create_index(op.f(f"ix_login_attempt_{column}"), "login_attempt", [column])


def downgrade() -> None:
    shared = op.get_bind().scalar(sa.text("SELECT count(*) - count(DISTINCT key) FROM payment"))
    if shared:
        raise DatabaseError(
            "payment",
            f"{shared} payment keys are used by more than one entity; below revision "
            "0009 a key must be unique across the instance",
        )
    op.drop_table("login_attempt")
    op.drop_table("idempotent_request")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_payment_entity_id"), type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_payment_key"), ["key"])
