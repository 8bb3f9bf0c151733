"""offices: advisers, dated sector enabling, entity sectors, attestations, membership review

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 06:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _date_enabled_rows() -> None:
    """Give rows enabled before this revision the day they were enabled as their first
    act date (done in Python: SQLite and PostgreSQL cast timestamps differently)."""
    office_sector = sa.table(
        "office_sector",
        sa.column("id", sa.Integer()),
        sa.column("enabled_at", UTCDateTime()),
        sa.column("disabled_at", UTCDateTime()),
        sa.column("enabled_from", sa.Date()),
        sa.column("disabled_from", sa.Date()),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(office_sector.c.id, office_sector.c.enabled_at, office_sector.c.disabled_at)
    ).all()
    for row_id, enabled_at, disabled_at in rows:
        bind.execute(
            office_sector.update()
            .where(office_sector.c.id == row_id)
            .values(
                enabled_from=enabled_at.date(),
                disabled_from=disabled_at.date() if disabled_at else None,
            )
        )


def upgrade() -> None:
    op.add_column("office_sector", sa.Column("enabled_from", sa.Date(), nullable=True))
    op.add_column("office_sector", sa.Column("disabled_from", sa.Date(), nullable=True))
    op.add_column(
        "office_sector",
        sa.Column("review_required", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    _date_enabled_rows()
    with op.batch_alter_table("office_sector") as batch:
        batch.alter_column("enabled_from", existing_type=sa.Date(), nullable=False)
    op.add_column(
        "party", sa.Column("platform", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.create_table(
        "office_adviser",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("since", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_office_adviser_office_id_office")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_office_adviser_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_office_adviser")),
        sa.UniqueConstraint("office_id", "user_name", name=op.f("uq_office_adviser_office_id")),
    )
    op.create_index(
        op.f("ix_office_adviser_office_id"), "office_adviser", ["office_id"], unique=False
    )
    op.create_table(
        "entity_sector",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=64), nullable=False),
        sa.Column("added_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_entity_sector_entity_id_entity")
        ),
        sa.PrimaryKeyConstraint("entity_id", "sector", name=op.f("pk_entity_sector")),
    )
    op.create_table(
        "attestation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("recorded_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "(entity_id IS NULL) <> (person_id IS NULL)",
            name=op.f("ck_attestation_entity_or_person"),
        ),
        sa.CheckConstraint("valid_until >= valid_from", name=op.f("ck_attestation_valid_period")),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_attestation_entity_id_entity")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_attestation_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attestation")),
    )
    op.create_index(op.f("ix_attestation_entity_id"), "attestation", ["entity_id"], unique=False)
    op.create_index(op.f("ix_attestation_person_id"), "attestation", ["person_id"], unique=False)
    op.create_table(
        "application",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("person", sa.JSON(), nullable=False),
        sa.Column("share_class", sa.String(length=1), nullable=False),
        sa.Column("shares", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("sector", sa.String(length=64), nullable=True),
        sa.Column("trade", sa.String(length=200), nullable=False),
        sa.Column("activity", sa.Text(), nullable=False),
        sa.Column("clients", sa.Text(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("appeal_grounds", sa.Text(), nullable=True),
        sa.Column("appealed_on", sa.Date(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_application_member_id_member")
        ),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_application_office_id_office")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application")),
        sa.UniqueConstraint("code", name=op.f("uq_application_code")),
    )
    op.create_index(op.f("ix_application_office_id"), "application", ["office_id"], unique=False)
    op.create_index(op.f("ix_application_status"), "application", ["status"], unique=False)
    op.create_table(
        "application_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_application_decision_application_id_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_decision")),
        sa.UniqueConstraint(
            "application_id", "stage", name=op.f("uq_application_decision_application_id")
        ),
    )
    op.create_index(
        op.f("ix_application_decision_application_id"),
        "application_decision",
        ["application_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_application_decision_application_id"), table_name="application_decision")
    op.drop_table("application_decision")
    op.drop_index(op.f("ix_application_status"), table_name="application")
    op.drop_index(op.f("ix_application_office_id"), table_name="application")
    op.drop_table("application")
    op.drop_index(op.f("ix_attestation_person_id"), table_name="attestation")
    op.drop_index(op.f("ix_attestation_entity_id"), table_name="attestation")
    op.drop_table("attestation")
    op.drop_table("entity_sector")
    op.drop_index(op.f("ix_office_adviser_office_id"), table_name="office_adviser")
    op.drop_table("office_adviser")
    with op.batch_alter_table("party") as batch:
        batch.drop_column("platform")
    with op.batch_alter_table("office_sector") as batch:
        batch.drop_column("review_required")
        batch.drop_column("disabled_from")
        batch.drop_column("enabled_from")
