"""Case details beside the record: upphandlingsenhetens yttrande, berörda nämnder och bolag and
the arrival of a signed copy of the value declaration. The new statuses need no schema change
(status is a string column).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = (
    ("procurement_opinion", sa.Text),
    ("procurement_opinion_by", lambda: sa.String(120)),
    ("procurement_opinion_on", sa.Date),
    ("concerned_bodies", sa.Text),
    ("declaration_copy_received_on", sa.Date),
    ("declaration_copy_received_by", lambda: sa.String(120)),
)


def upgrade() -> None:
    with op.batch_alter_table("iop_initiatives") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("iop_initiatives") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
