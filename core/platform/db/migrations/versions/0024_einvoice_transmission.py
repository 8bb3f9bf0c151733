"""einvoice transmission: each invoice's deliveries over Peppol, an approved platform or
email, with their events; supplier documents received through those networks; files
attached to outgoing emails (an invoice's PDF)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08 01:37:43.680077
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "einvoice_received",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=100), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=2000), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        sa.Column("reviewed_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_einvoice_received")),
        sa.UniqueConstraint("provider", "external_id", name=op.f("uq_einvoice_received_provider")),
    )
    with op.batch_alter_table("einvoice_received", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_einvoice_received_status"), ["status"], unique=False)

    op.create_table(
        "email_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["email_outbox.id"],
            name=op.f("fk_email_attachment_message_id_email_outbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_attachment")),
    )
    with op.batch_alter_table("email_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_attachment_message_id"), ["message_id"], unique=False
        )

    op.create_table(
        "einvoice_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=100), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_einvoice_delivery_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["email_outbox.id"],
            name=op.f("fk_einvoice_delivery_outbox_message_id_email_outbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_einvoice_delivery")),
        sa.UniqueConstraint("invoice_id", "kind", name=op.f("uq_einvoice_delivery_invoice_id")),
    )
    with op.batch_alter_table("einvoice_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_einvoice_delivery_external_id"), ["external_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_einvoice_delivery_invoice_id"), ["invoice_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_einvoice_delivery_next_attempt_at"), ["next_attempt_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_einvoice_delivery_status"), ["status"], unique=False)

    op.create_table(
        "einvoice_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["einvoice_delivery.id"],
            name=op.f("fk_einvoice_event_delivery_id_einvoice_delivery"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_einvoice_event")),
    )
    with op.batch_alter_table("einvoice_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_einvoice_event_delivery_id"), ["delivery_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("einvoice_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_einvoice_event_delivery_id"))

    op.drop_table("einvoice_event")
    with op.batch_alter_table("einvoice_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_einvoice_delivery_status"))
        batch_op.drop_index(batch_op.f("ix_einvoice_delivery_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_einvoice_delivery_invoice_id"))
        batch_op.drop_index(batch_op.f("ix_einvoice_delivery_external_id"))

    op.drop_table("einvoice_delivery")
    with op.batch_alter_table("email_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_attachment_message_id"))

    op.drop_table("email_attachment")
    with op.batch_alter_table("einvoice_received", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_einvoice_received_status"))

    op.drop_table("einvoice_received")
