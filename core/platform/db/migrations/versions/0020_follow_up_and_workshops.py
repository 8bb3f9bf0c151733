"""members' follow-up records and the offices' workshops

Office staff keep a follow-up record per member (notes, appointments, documents), each
item shown to the member or not, the office's setting giving the default; offices hold
workshops and training sessions, with the members registered and whether they came.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 22:40:00.000000
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
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("follow_up_visible", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "follow_up_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("visible_to_member", sa.Boolean(), nullable=False),
        sa.Column("written_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("written_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_follow_up_item_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_follow_up_item_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_item")),
    )
    with op.batch_alter_table("follow_up_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_follow_up_item_member_id"), ["member_id"], unique=False
        )
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_workshop_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop")),
        sa.UniqueConstraint("code", name=op.f("uq_workshop_code")),
    )
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workshop_office_id"), ["office_id"], unique=False)
    op.create_table(
        "workshop_seat",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_by", sa.String(length=200), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_workshop_seat_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"], ["workshop.id"], name=op.f("fk_workshop_seat_workshop_id_workshop")
        ),
        sa.PrimaryKeyConstraint("workshop_id", "member_id", name=op.f("pk_workshop_seat")),
    )


def downgrade() -> None:
    op.drop_table("workshop_seat")
    with op.batch_alter_table("workshop", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workshop_office_id"))
    op.drop_table("workshop")
    with op.batch_alter_table("follow_up_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_item_member_id"))
    op.drop_table("follow_up_item")
    with op.batch_alter_table("office", schema=None) as batch_op:
        batch_op.drop_column("follow_up_visible")
