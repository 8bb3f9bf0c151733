"""document discounts and drafts: units and discounts on invoice lines, document
discounts, notes and the deposit or balance purpose of invoices, the same on quotes;
drafts of quotes and invoices, and whether an office validates them before they go out

A line's net is its quantity times its price less its discount (EN 16931 BT-131); a
document's discount is kept as given and read as document-level allowances per VAT
code. Existing lines are counted in units with no discount.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-08 02:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("submitted_by", sa.String(length=100), nullable=True),
        sa.Column("decided_by", sa.String(length=100), nullable=True),
        sa.Column("issued", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_document_draft_entity_id_entity")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_document_draft_party_id_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_draft")),
    )
    with op.batch_alter_table("document_draft") as batch:
        batch.create_index(batch.f("ix_document_draft_entity_id"), ["entity_id"], unique=False)
        batch.create_index(batch.f("ix_document_draft_status"), ["status"], unique=False)
    with op.batch_alter_table("office") as batch:
        batch.add_column(
            sa.Column(
                "validates_documents", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table("invoice_line") as batch:
        batch.add_column(sa.Column("unit", sa.String(16), nullable=False, server_default="unit"))
        batch.add_column(
            sa.Column("allowance", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("discount_percent", sa.String(40), nullable=True))
    for table in ("invoice", "quote"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("discount_percent", sa.String(40), nullable=True))
            batch.add_column(sa.Column("discount_amount", sa.BigInteger(), nullable=True))
            batch.add_column(sa.Column("notes", sa.Text(), nullable=True))
    with op.batch_alter_table("invoice") as batch:
        batch.add_column(sa.Column("purpose", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("office") as batch:
        batch.drop_column("validates_documents")
    op.drop_table("document_draft")
    with op.batch_alter_table("invoice") as batch:
        batch.drop_column("purpose")
    for table in ("quote", "invoice"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("notes")
            batch.drop_column("discount_amount")
            batch.drop_column("discount_percent")
    with op.batch_alter_table("invoice_line") as batch:
        batch.drop_column("discount_percent")
        batch.drop_column("allowance")
        batch.drop_column("unit")
