"""Where the intake queue lives: one setting, DATABASE_URL, shared with Rasa's tracker store.

SQLite is the embedded default (a file under var/); PostgreSQL in production, e.g.
DATABASE_URL=postgresql+psycopg2://iop:secret@db.kommun.se/iop_lotsen.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url

DATABASE_URL_ENV = "DATABASE_URL"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "iop-lotsen.db"


def database_url() -> str:
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def make_engine(url: str | None = None) -> Engine:
    """An engine that behaves the same on SQLite and PostgreSQL for our use."""
    url = url or database_url()
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, future=True, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:  # type: ignore[no-untyped-def]
            # WAL lets the Rasa server and the action server use the file at the same time.
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def describe(url: str) -> str:
    """The URL without its password, for messages to an operator."""
    return make_url(url).render_as_string(hide_password=True)


def tracker_store_config(url: str) -> dict[str, object]:
    """Rasa's SQLTrackerStore settings for the same database, so transcripts survive restarts."""
    parsed = make_url(url)
    config: dict[str, object] = {"type": "SQL", "dialect": parsed.drivername}
    if parsed.get_backend_name() == "sqlite":
        config["db"] = parsed.database
        return config
    config.update(
        {
            "url": parsed.host or "localhost",
            "port": parsed.port or 5432,
            "db": parsed.database,
            "username": parsed.username,
            "password": parsed.password,
        }
    )
    return {k: v for k, v in config.items() if v is not None}
