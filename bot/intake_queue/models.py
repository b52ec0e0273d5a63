"""Tables of the intake queue (SQLAlchemy 1.4 Core). Alembic migrations create them.

The full record is kept as JSON text exactly as validated against the schema; the columns beside
it are the ones caseworkers filter and sort on.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
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

caseworkers = Table(
    "iop_caseworkers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("display_name", String(120), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, server_default=true()),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

handoffs = Table(
    "iop_handoffs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", String(255), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # live | callback
    Column("status", String(20), nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("claimed_by", String(80)),
    Column("question", Text),
    Column("contact", Text, nullable=False),  # JSON: name, email, phone
    Column("collected", Text, nullable=False),  # JSON: what the bot had collected so far
    Column("transcript", Text, nullable=False),  # JSON: the conversation until the handoff
    Column("closed_reason", String(20)),  # resumed | closed | cancelled
)

console_sessions = Table(
    "iop_console_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 of the cookie value
    Column("username", String(80), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("available", Boolean, nullable=False, server_default=true()),  # takes live chats
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_seen", DateTime(timezone=True), nullable=False, index=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
)

# Who did what, when: caseworker actions in the console and CLI, erasures and retention runs.
# Holds references and ids, never the personal data itself, so it can outlive what it records.
audit_log = Table(
    "iop_audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("actor", String(120), nullable=False),
    Column("action", String(40), nullable=False, index=True),
    Column("subject", String(255), nullable=False),
    Column("detail", Text),
)
