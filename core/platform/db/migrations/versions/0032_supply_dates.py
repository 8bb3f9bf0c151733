"""supply dates: the day goods were delivered or services rendered, when it differs
from the invoice's date

Belgium (AR n°1 art. 5 §1) and France (CGI ann. II art. 242 nonies A I), after
Directive 2006/112/EC art. 226 7°, require the date of supply on an invoice whenever
it differs from the date of issue; existing invoices keep none (their supply was on
their date).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-08 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invoice") as batch:
        batch.add_column(sa.Column("supplied_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("invoice") as batch:
        batch.drop_column("supplied_on")
