"""contract offers waiting for the worker's consent

An entity's holder hires only themselves; a contract for another member is an offer
(``contract_offer``) with the contract's terms, which that member accepts or refuses
from their own login (or staff for them, ``on_behalf``). Nothing is declared to the
State nor reserved of the entity's funds until it is accepted; the contract it makes is
``contract_id``.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from partage.core.contract.errors import DatabaseError
from partage.core.platform.db.base import DecimalText, UTCDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contract_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("worker_category", sa.String(length=32), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("monthly_gross", sa.BigInteger(), nullable=True),
        sa.Column("hourly_rate", sa.BigInteger(), nullable=True),
        sa.Column("part_time", DecimalText(), nullable=False),
        sa.Column("tax_situation", sa.String(length=32), nullable=False),
        sa.Column("dependent_children", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("offered_by", sa.String(length=200), nullable=False),
        sa.Column("offered_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("on_behalf", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_contract_offer_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_contract_offer_entity_id_entity")
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_contract_offer_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract_offer")),
        sa.UniqueConstraint("code", name=op.f("uq_contract_offer_code")),
    )
    with op.batch_alter_table("contract_offer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contract_offer_entity_id"), ["entity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contract_offer_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contract_offer_status"), ["status"], unique=False)


def downgrade() -> None:
    waiting = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM contract_offer WHERE status = 'pending'")
    )
    if waiting:
        raise DatabaseError(
            "contract_offer",
            f"{waiting} contract offers wait for a worker's answer; below revision 0011 "
            "they would be lost",
        )
    op.drop_table("contract_offer")
