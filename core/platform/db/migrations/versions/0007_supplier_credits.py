"""supplier credit notes and the supplier's structured payment reference

A purchase row is now an invoice or a credit note of the supplier (``kind``, existing
rows are invoices); a credit note names the invoice it corrects (``credits_id``). The
supplier's number is unique per supplier and kind, since suppliers often number credit
notes in a series of their own. ``payment_reference`` keeps the structured reference
(EN 16931 BT-83) the supplier asks payments to carry.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.contract.errors import DatabaseError

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("purchase", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=16), server_default="invoice", nullable=False)
        )
        batch_op.add_column(sa.Column("credits_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("payment_reference", sa.String(length=35), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_purchase_party_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_purchase_party_id"), ["party_id", "kind", "supplier_reference"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_purchase_credits_id_purchase"), "purchase", ["credits_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_purchase_credits_id"), ["credits_id"], unique=False)


def downgrade() -> None:
    notes = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM purchase WHERE kind = 'credit_note'")
    )
    if notes:
        raise DatabaseError(
            "purchase",
            f"{notes} supplier credit notes would read as invoices below revision "
            "0007; downgrading would falsify the books",
        )
    with op.batch_alter_table("purchase", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_purchase_credits_id"))
        batch_op.drop_constraint(batch_op.f("fk_purchase_credits_id_purchase"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_purchase_party_id"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_purchase_party_id"), ["party_id", "supplier_reference"]
        )
        batch_op.drop_column("payment_reference")
        batch_op.drop_column("credits_id")
        batch_op.drop_column("kind")
