"""Tables of the intake queue (SQLAlchemy 1.4 Core). Alembic migrations create them.

The full record is kept as JSON text exactly as validated against the schema; the columns beside
it are the ones caseworkers filter and sort on.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
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
    # Beside the record, never in it: the record is the initiative as received (migration 0005).
    # Upphandlingsenhetens yttrande on the "marknad" criterion: the text, who gave it, which day.
    Column("procurement_opinion", Text),
    Column("procurement_opinion_by", String(120)),
    Column("procurement_opinion_on", Date),
    # The nämnder and bolag the initiative concerns: a JSON list of names (free text).
    Column("concerned_bodies", Text),
    # A signed paper/PDF copy of the value declaration has arrived: which day, recorded by whom.
    Column("declaration_copy_received_on", Date),
    Column("declaration_copy_received_by", String(120)),
    UniqueConstraint("year", "sequence", name="uq_iop_initiatives_year_sequence"),
)


def _initiative_id(nullable: bool) -> Column[int]:
    """The initiative a row is about: indexed, and deleted with it (retention, erasure)."""
    return Column(
        "initiative_id",
        Integer,
        ForeignKey("iop_initiatives.id", ondelete="CASCADE"),
        nullable=nullable,
        index=True,
    )


status_history = Table(
    "iop_status_history",
    metadata,
    Column("id", Integer, primary_key=True),
    _initiative_id(nullable=False),
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

# E-mail waiting to be sent (migration 0006): written in the same transaction as the case it is
# about, delivered by bot/mail/sender.py. status: pending → sending (claimed) → sent | failed.
outbox = Table(
    "iop_outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    _initiative_id(nullable=True),
    Column("reference", String(32), nullable=False, index=True),
    Column("purpose", String(20), nullable=False),  # registrator | kvittens
    Column("recipient", String(320), nullable=False),
    Column("reply_to", String(320)),
    Column("subject", String(255), nullable=False),
    Column("body", Text, nullable=False),
    # The record as mailed (JSON), from which the JSON and PDF attachments are made; none: no
    # attachments. Cleared once sent: the case itself keeps the record.
    Column("attachment_record", Text),
    Column("message_id", String(255), nullable=False, unique=True),
    Column("status", String(12), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False, index=True),
    Column("claim_token", String(64)),
    Column("claimed_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
)
