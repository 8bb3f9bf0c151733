"""client directory: structured addresses and company numbers of parties, and each
entity's own list of the clients it works with

Rows registered before keep their one-text ``address``, still read where they have no
structured one.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-08 01:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("party") as batch:
        batch.add_column(sa.Column("company_number", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column("street", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("postcode", sa.String(length=16), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("town", sa.String(length=100), nullable=False, server_default="")
        )
        batch.create_index(op.f("ix_party_company_number"), ["company_number"])
    op.create_table(
        "entity_client",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"], ["entity.id"], name=op.f("fk_entity_client_entity_id_entity")
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["party.id"], name=op.f("fk_entity_client_party_id_party")
        ),
        sa.PrimaryKeyConstraint("entity_id", "party_id", name=op.f("pk_entity_client")),
    )


def downgrade() -> None:
    op.drop_table("entity_client")
    with op.batch_alter_table("party") as batch:
        batch.drop_index(op.f("ix_party_company_number"))
        batch.drop_column("town")
        batch.drop_column("postcode")
        batch.drop_column("street")
        batch.drop_column("company_number")
