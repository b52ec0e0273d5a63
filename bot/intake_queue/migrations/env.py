"""Alembic environment: migrates only the intake queue's tables (Rasa owns its own)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from bot.intake_queue.database import database_url
from bot.intake_queue.models import metadata

config = context.config
VERSION_TABLE = "iop_alembic_version"


def _include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    return type_ != "table" or name.startswith("iop_")


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or database_url()
    engine = engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as connection:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        include_object=_include,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
