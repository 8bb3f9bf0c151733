"""an index on invoices' due date, for the guarantee fund's exposure

The fund's capacity rule sums the coverage every entity uses, from the invoices still
within the guarantee's days overdue: the index lets that sum read the invoices due in
that window, not every invoice ever issued.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_invoice_due_on"), ["due_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("invoice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_due_on"))
