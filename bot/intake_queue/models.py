"""Tables of the intake queue (SQLAlchemy 1.4 Core). Alembic migrations create them.

The full record is kept as JSON text exactly as validated against the schema; the columns beside
it are the ones caseworkers filter and sort on.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

initiatives = Table(
    "iop_initiatives",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(32), nullable=False, unique=True),
    Column("year", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("intake_key", String(64), nullable=False, unique=True),
    Column("kommun_id", String(64), nullable=False),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("organisation_name", String(255), nullable=False),
    Column("status", String(40), nullable=False, index=True),
    Column("assigned_to", String(120)),
    Column("submitted_at", DateTime(timezone=True), nullable=False, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("record", Text, nullable=False),
    Column("transcript", Text, nullable=False),
    UniqueConstraint("year", "sequence", name="uq_iop_initiatives_year_sequence"),
)

status_history = Table(
    "iop_status_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "initiative_id",
        Integer,
        ForeignKey("iop_initiatives.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("from_status", String(40)),
    Column("to_status", String(40), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("note", Text),
)
