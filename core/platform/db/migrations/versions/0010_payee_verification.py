"""supplier bank accounts verified by staff, with their history

``payee_account`` was one row per supplier, set by whoever came first (often the first
e-invoice uploaded). It becomes the history of a supplier's accounts: each row is
``pending`` (named by a document, waiting for staff), ``verified`` (the one payments go
to; at most one per supplier), ``rejected`` or ``replaced``, with who proposed it and
who decided. ``purchase.payee_iban`` keeps the account each supplier document asked to
be paid into.

The accounts on file were never checked by anyone: they become ``pending`` (source
``recorded``), so that payment files pay their suppliers once staff have confirmed
them; whoever recorded one (read from the audit log) may not confirm it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 09:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from partage.core.contract.errors import DatabaseError
from partage.core.platform.db.base import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Who recorded an account before this revision, when the audit log does not say.
UNKNOWN = "before payee verification"


def _history_table() -> None:
    op.create_table(
        "payee_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposers", sa.JSON(), nullable=False),
        sa.Column("proposed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_payee_account_party_id_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payee_account")),
    )
    with op.batch_alter_table("payee_account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payee_account_party_id"), ["party_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payee_account_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_payee_account_verified",
            ["party_id"],
            unique=True,
            sqlite_where=sa.text("status = 'verified'"),
            postgresql_where=sa.text("status = 'verified'"),
        )
        batch_op.create_index(
            "uq_payee_account_pending",
            ["party_id", "iban"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )


def _recorders(bind: sa.Connection) -> dict[str, str]:
    """Who last recorded each party's account, by subject (``party:C000004``)."""
    rows = bind.execute(
        sa.text(
            "SELECT subject, actor FROM audit_log WHERE action = 'payee_account.set' ORDER BY id"
        )
    )
    return {subject: actor for subject, actor in rows}


def upgrade() -> None:
    bind = op.get_bind()
    old = bind.execute(
        sa.text(
            "SELECT a.party_id, p.code, a.iban, a.bic, a.updated_at "
            "FROM payee_account a JOIN party p ON p.id = a.party_id ORDER BY a.party_id"
        )
    ).all()
    recorders = _recorders(bind) if old else {}
    op.drop_table("payee_account")
    _history_table()
    table = sa.table(
        "payee_account",
        sa.column("party_id", sa.Integer()),
        sa.column("iban", sa.String()),
        sa.column("bic", sa.String()),
        sa.column("status", sa.String()),
        sa.column("source", sa.String()),
        sa.column("proposed_by", sa.String()),
        sa.column("proposers", sa.JSON()),
        sa.column("proposed_at", UTCDateTime(timezone=True)),
        sa.column("document", sa.String()),
    )
    now = datetime.now(UTC)
    if old:
        op.bulk_insert(
            table,
            [
                {
                    "party_id": party_id,
                    "iban": iban,
                    "bic": bic,
                    "status": "pending",
                    "source": "recorded",
                    "proposed_by": recorders.get(f"party:{code}", UNKNOWN),
                    "proposers": [recorders.get(f"party:{code}", UNKNOWN)],
                    "proposed_at": _aware(updated_at) or now,
                    "document": None,
                }
                for party_id, code, iban, bic, updated_at in old
            ],
        )
    op.add_column("purchase", sa.Column("payee_iban", sa.String(length=34), nullable=True))


def _aware(value: object) -> datetime | None:
    """A stored timestamp as an aware datetime (SQLite hands back text or naive)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def downgrade() -> None:
    bind = op.get_bind()
    kept = bind.execute(
        sa.text(
            "SELECT party_id, iban, bic, coalesce(decided_at, proposed_at) "
            "FROM payee_account WHERE status = 'verified' ORDER BY party_id"
        )
    ).all()
    history = bind.scalar(sa.text("SELECT count(*) FROM payee_account WHERE status <> 'verified'"))
    if history:
        raise DatabaseError(
            "payee_account",
            f"{history} supplier accounts are pending, rejected or replaced; below "
            "revision 0010 there is one account per supplier and no record of who vouched",
        )
    # A plain ALTER TABLE (SQLite 3.35 and later drop a column in place): a batch
    # operation would copy the purchase table, which other tables' keys point at.
    op.drop_column("purchase", "payee_iban")
    op.drop_table("payee_account")
    op.create_table(
        "payee_account",
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_payee_account_party_id_party")
        ),
        sa.PrimaryKeyConstraint("party_id", name=op.f("pk_payee_account")),
    )
    if kept:
        op.bulk_insert(
            sa.table(
                "payee_account",
                sa.column("party_id", sa.Integer()),
                sa.column("iban", sa.String()),
                sa.column("bic", sa.String()),
                sa.column("updated_at", UTCDateTime(timezone=True)),
            ),
            [
                {"party_id": p, "iban": i, "bic": b, "updated_at": _aware(at) or datetime.now(UTC)}
                for p, i, b, at in kept
            ],
        )
