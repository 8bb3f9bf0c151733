"""refunds of supplier credit notes matched on bank statements

A bank transaction may now be the refund a supplier pays back of its credit note:
``credit_note_id`` names that credit note (a ``purchase`` row of kind ``credit_note``),
as ``invoice_id`` names the invoice a client's payment settled.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.contract.errors import DatabaseError

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bank_transaction", schema=None) as batch_op:
        batch_op.add_column(sa.Column("credit_note_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_bank_transaction_credit_note_id_purchase"),
            "purchase",
            ["credit_note_id"],
            ["id"],
        )


def downgrade() -> None:
    refunds = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM bank_transaction WHERE credit_note_id IS NOT NULL")
    )
    if refunds:
        raise DatabaseError(
            "bank_transaction",
            f"{refunds} bank transactions are supplier refunds; below "
            "revision 0008 they would be matched to nothing",
        )
    with op.batch_alter_table("bank_transaction", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_bank_transaction_credit_note_id_purchase"), type_="foreignkey"
        )
        batch_op.drop_column("credit_note_id")
