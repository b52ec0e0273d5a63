"""What the `site` fixture (conftest.py) gives a test: the whole service as a kommun runs it,
with live chat open around the clock and one caseworker account."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from devstack.paths import PROJECT_ROOT
from devstack.servers import Stack

ALWAYS_OPEN = str(PROJECT_ROOT / "tests" / "fixtures" / "mora_chat_always_open.yml")
CASEWORKER_PASSWORD = "ett-långt-lösenord-för-test"


@dataclass
class Site:
    """The whole service as a kommun runs it: gateway, Rasa, action server, database."""

    stack: Stack
    url: str
    engine: Engine
