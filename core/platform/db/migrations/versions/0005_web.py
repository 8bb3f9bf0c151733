"""web: logins and their sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "role <> 'member' OR member_id IS NOT NULL",
            name=op.f("ck_web_user_member_has_member"),
        ),
        sa.CheckConstraint(
            "role NOT IN ('adviser', 'office_manager') OR office_id IS NOT NULL",
            name=op.f("ck_web_user_office_role_has_office"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_web_user_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_web_user_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_user")),
        sa.UniqueConstraint("username", name=op.f("uq_web_user_username")),
    )
    op.create_index(op.f("ix_web_user_member_id"), "web_user", ["member_id"], unique=False)
    op.create_index(op.f("ix_web_user_office_id"), "web_user", ["office_id"], unique=False)
    op.create_table(
        "web_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["web_user.id"], name=op.f("fk_web_session_user_id_web_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_web_session_token_sha256")),
    )
    op.create_index(op.f("ix_web_session_expires_at"), "web_session", ["expires_at"], unique=False)
    op.create_index(op.f("ix_web_session_user_id"), "web_session", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_web_session_user_id"), table_name="web_session")
    op.drop_index(op.f("ix_web_session_expires_at"), table_name="web_session")
    op.drop_table("web_session")
    op.drop_index(op.f("ix_web_user_office_id"), table_name="web_user")
    op.drop_index(op.f("ix_web_user_member_id"), table_name="web_user")
    op.drop_table("web_user")
