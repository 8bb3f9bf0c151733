"""logins' lifecycle: second factor, office access from the roster, audit origin

An adviser's or office manager's office was kept twice, on the login and on the
office's staff roster, and removing them from the roster left the login's access. The
roster is now the one source: each login's office is copied onto it, then the login's
column goes. Logins gain their TOTP second factor and the date their password was set;
audit records gain where the actor acted from.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-07 16:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO office_adviser (office_id, user_name, since) "
        "SELECT u.office_id, u.username, u.created_at FROM web_user u "
        "WHERE u.office_id IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM office_adviser a WHERE a.user_name = u.username)"
    )
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_web_user_office_role_has_office"), type_="check")
        batch_op.drop_index(batch_op.f("ix_web_user_office_id"))
        batch_op.drop_constraint(batch_op.f("fk_web_user_office_id_office"), type_="foreignkey")
        batch_op.drop_column("office_id")
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("password_changed_at", UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("origin", sa.String(length=64), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("origin")
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.drop_column("password_changed_at")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_secret")
        batch_op.add_column(sa.Column("office_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_web_user_office_id_office"), "office", ["office_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_web_user_office_id"), ["office_id"], unique=False)
    op.execute(
        "UPDATE web_user SET office_id = (SELECT MIN(a.office_id) FROM office_adviser a "
        "WHERE a.user_name = web_user.username) "
        "WHERE role IN ('adviser', 'office_manager')"
    )
    # As revision 0005 had it: an adviser or office manager on no office's roster stops
    # the downgrade here (put them on one, or delete the login, first).
    with op.batch_alter_table("web_user", schema=None) as batch_op:
        batch_op.create_check_constraint(
            batch_op.f("ck_web_user_office_role_has_office"),
            "role NOT IN ('adviser', 'office_manager') OR office_id IS NOT NULL",
        )
