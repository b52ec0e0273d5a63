"""The test PostgreSQL server is real, writable with SQLAlchemy, and hands out clean databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.postgres import fresh_database


@pytest.fixture(scope="module")
def postgres_url(postgres_server: str) -> Iterator[str]:
    yield fresh_database(postgres_server, "iop_server_check")


def test_server_is_postgresql(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(text("SELECT version()")).scalar_one()
    finally:
        engine.dispose()
    assert version.startswith("PostgreSQL ")


def test_table_round_trip(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE initiative (id serial PRIMARY KEY, name text)"))
            conn.execute(text("INSERT INTO initiative (name) VALUES (:name)"), {"name": "Läxhjälp"})
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, name FROM initiative")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "Läxhjälp")]


def test_fresh_database_is_empty_and_separate(postgres_url: str) -> None:
    main = create_engine(postgres_url)
    try:
        with main.begin() as conn:
            conn.execute(text("CREATE TABLE only_in_main (id int)"))
        assert "only_in_main" in inspect(main).get_table_names()
    finally:
        main.dispose()
    url = fresh_database(postgres_url, "iop_fresh")
    assert url.endswith("/iop_fresh") and url != postgres_url
    fresh = create_engine(url)
    try:
        with fresh.connect() as conn:
            assert conn.execute(text("SELECT current_database()")).scalar_one() == "iop_fresh"
        assert inspect(fresh).get_table_names() == []
    finally:
        fresh.dispose()
