"""documents and exchanges: invoice files, employment declarations, payment batches,
bank statements and the reconciliation queue

Issued files never change: triggers refuse UPDATE and DELETE (and TRUNCATE on
PostgreSQL) on invoice files, declaration files and payment batches, as on posted
journal entries.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.platform.db.base import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMMUTABLE = ("invoice_file", "declaration_file", "payment_batch")
MESSAGE = "issued documents are immutable; issue a credit note or a new declaration"


def _create_immutability_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION partage_refuse_document_change() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% on %: {MESSAGE}', TG_OP, "
            "TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; END $$"
        )
        for table in IMMUTABLE:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION partage_refuse_document_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION partage_refuse_document_change()"
            )
    else:
        for table in IMMUTABLE:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{operation} on {table}: {MESSAGE}'); END"
                )


def _drop_immutability_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in IMMUTABLE:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS partage_refuse_document_change()")
    else:
        for table in IMMUTABLE:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")


def upgrade() -> None:
    op.create_table(
        "bank_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("statement_id", sa.String(length=80), nullable=False),
        sa.Column("account_iban", sa.String(length=34), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("transactions", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_statement")),
        sa.UniqueConstraint("key", name=op.f("uq_bank_statement_key")),
    )
    op.create_table(
        "declaration_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_declaration_file")),
        sa.UniqueConstraint("kind", "subject", name=op.f("uq_declaration_file_kind")),
    )
    op.create_table(
        "payment_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=35), nullable=False),
        sa.Column("execution_on", sa.Date(), nullable=False),
        sa.Column("debtor_iban", sa.String(length=34), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_batch")),
        sa.UniqueConstraint("reference", name=op.f("uq_payment_batch_reference")),
    )
    op.create_table(
        "payment_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("payee_name", sa.String(length=200), nullable=False),
        sa.Column("iban", sa.String(length=34), nullable=False),
        sa.Column("bic", sa.String(length=11), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("end_to_end_id", sa.String(length=35), nullable=False),
        sa.Column("remittance", sa.String(length=140), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_order_positive_amount")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["payment_batch.id"], name=op.f("fk_payment_order_batch_id_payment_batch")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_payment_order_entity_id_entity")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_order")),
        sa.UniqueConstraint("end_to_end_id", name=op.f("uq_payment_order_end_to_end_id")),
        sa.UniqueConstraint("kind", "subject_id", name=op.f("uq_payment_order_kind")),
    )
    with op.batch_alter_table("payment_order", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_order_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_payment_order_entity_id"), ["entity_id"], unique=False)

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
    op.create_table(
        "bank_transaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=160), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("credit", sa.Boolean(), nullable=False),
        sa.Column("booked_on", sa.Date(), nullable=False),
        sa.Column("value_on", sa.Date(), nullable=False),
        sa.Column("counterparty_name", sa.String(length=140), nullable=True),
        sa.Column("counterparty_iban", sa.String(length=34), nullable=True),
        sa.Column("structured_reference", sa.String(length=35), nullable=True),
        sa.Column("remittance", sa.Text(), nullable=True),
        sa.Column("end_to_end_id", sa.String(length=35), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("rule", sa.String(length=32), nullable=True),
        sa.Column("invoice_id", sa.Integer(), nullable=True),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_bank_transaction_invoice_id_invoice")
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["payment_order.id"],
            name=op.f("fk_bank_transaction_order_id_payment_order"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_bank_transaction_payment_id_payment")
        ),
        sa.ForeignKeyConstraint(
            ["statement_id"],
            ["bank_statement.id"],
            name=op.f("fk_bank_transaction_statement_id_bank_statement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bank_transaction")),
        sa.UniqueConstraint("key", name=op.f("uq_bank_transaction_key")),
    )
    with op.batch_alter_table("bank_transaction", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_bank_transaction_statement_id"), ["statement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_bank_transaction_status"), ["status"], unique=False)

    op.create_table(
        "invoice_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("format", sa.String(length=32), nullable=False),
        sa.Column("media_type", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["invoice_id"], ["invoice.id"], name=op.f("fk_invoice_file_invoice_id_invoice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_file")),
        sa.UniqueConstraint("invoice_id", "format", name=op.f("uq_invoice_file_invoice_id")),
    )
    with op.batch_alter_table("invoice_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_invoice_file_invoice_id"), ["invoice_id"], unique=False
        )

    _create_immutability_triggers()


def downgrade() -> None:
    _drop_immutability_triggers()
    with op.batch_alter_table("invoice_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_invoice_file_invoice_id"))

    op.drop_table("invoice_file")
    with op.batch_alter_table("bank_transaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bank_transaction_status"))
        batch_op.drop_index(batch_op.f("ix_bank_transaction_statement_id"))

    op.drop_table("bank_transaction")
    with op.batch_alter_table("payment_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_order_entity_id"))
        batch_op.drop_index(batch_op.f("ix_payment_order_batch_id"))

    op.drop_table("payee_account")
    op.drop_table("payment_order")
    op.drop_table("payment_batch")
    op.drop_table("declaration_file")
    op.drop_table("bank_statement")
