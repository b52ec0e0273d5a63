"""Intake queue: initiatives and their status history.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "iop_initiatives",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(32), nullable=False, unique=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("intake_key", sa.String(64), nullable=False, unique=True),
        sa.Column("kommun_id", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.String(255), nullable=False, index=True),
        sa.Column("organisation_name", sa.String(255), nullable=False),
        sa.Column("status", sa.String(40), nullable=False, index=True),
        sa.Column("assigned_to", sa.String(120)),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("transcript", sa.Text, nullable=False),
        sa.UniqueConstraint("year", "sequence", name="uq_iop_initiatives_year_sequence"),
    )
    op.create_table(
        "iop_status_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "initiative_id",
            sa.Integer,
            sa.ForeignKey("iop_initiatives.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("from_status", sa.String(40)),
        sa.Column("to_status", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("iop_status_history")
    op.drop_table("iop_initiatives")
