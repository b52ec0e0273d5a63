"""A throw-away PostgreSQL server for tests: devstack/postgres.py (scripts use it too); the
session's server is the `postgres_server` fixture in tests/conftest.py. This module keeps the
names the tests import from here."""

from __future__ import annotations

from devstack.ports import free_port
from devstack.postgres import (
    DATABASE,
    URL_ENV,
    USER,
    create_database,
    fresh_database,
    postgres_bin,
    running_postgres,
)

__all__ = [
    "DATABASE",
    "URL_ENV",
    "USER",
    "create_database",
    "free_port",
    "fresh_database",
    "postgres_bin",
    "running_postgres",
]
