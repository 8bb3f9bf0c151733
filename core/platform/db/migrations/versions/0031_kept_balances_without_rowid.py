"""kept balances clustered on their key on SQLite (a table WITHOUT ROWID)

Posting adds to a kept balance by its key, (book, account, month, kind, slot): stored
in the order of that key, an add is one search of one tree, where a table with row ids
searches the key's index, then the table. PostgreSQL keeps its table as it is.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-08 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "book_id, account_id, month, kind, slot, debit, credit"


def _remake(*, with_rowid: bool) -> None:
    """Make the SQLite table again, ``WITHOUT ROWID`` unless ``with_rowid``, rows kept."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.create_table(
        "account_balance_remade",
        sa.Column("book_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("debit", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name="fk_account_balance_account_id_account"
        ),
        sa.ForeignKeyConstraint(["book_id"], ["book.id"], name="fk_account_balance_book_id_book"),
        sa.PrimaryKeyConstraint(
            "book_id", "account_id", "month", "kind", "slot", name="pk_account_balance"
        ),
        sqlite_with_rowid=with_rowid,
    )
    op.execute(
        f"INSERT INTO account_balance_remade ({COLUMNS}) SELECT {COLUMNS} FROM account_balance"
    )
    op.drop_table("account_balance")
    op.rename_table("account_balance_remade", "account_balance")


def upgrade() -> None:
    _remake(with_rowid=False)


def downgrade() -> None:
    _remake(with_rowid=True)
