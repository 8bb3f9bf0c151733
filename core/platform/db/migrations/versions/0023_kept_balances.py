"""kept balances: each book's debits and credits per account, month and kind of entry

Posting adds to them in the posting transaction (:mod:`partage.core.ledger.balances`);
the reports read them instead of every line. Built here from the lines already posted.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 00:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_balance",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_account_balance_account_id_account")
        ),
        sa.ForeignKeyConstraint(
            ["book_id"], ["book.id"], name=op.f("fk_account_balance_book_id_book")
        ),
        sa.PrimaryKeyConstraint(
            "book_id", "account_id", "month", "kind", "slot", name=op.f("pk_account_balance")
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        month = "CAST(date_trunc('month', date) AS DATE)"
    else:
        month = "date(date, 'start of month')"
    op.execute(
        "INSERT INTO account_balance (book_id, account_id, month, kind, slot, debit, credit) "
        f"SELECT book_id, account_id, {month}, kind, 0, SUM(debit), SUM(credit) "
        f"FROM journal_line GROUP BY book_id, account_id, {month}, kind"
    )


def downgrade() -> None:
    op.drop_table("account_balance")
