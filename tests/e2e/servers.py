"""The real servers for end-to-end tests: the stack lives in devstack/servers.py (scripts start
the same); this module keeps the names the tests import from here."""

from __future__ import annotations

from devstack.endpoints import write_endpoints
from devstack.paths import VENV_BIN
from devstack.ports import free_port
from devstack.servers import (
    MODEL,
    ActionServer,
    RasaServer,
    Server,
    Stack,
    WebGateway,
    rasa_stack,
    sqlite_url,
    start,
    stop,
    wait_until_up,
    web_gateway,
)

__all__ = [
    "MODEL",
    "VENV_BIN",
    "ActionServer",
    "RasaServer",
    "Server",
    "Stack",
    "WebGateway",
    "free_port",
    "rasa_stack",
    "sqlite_url",
    "start",
    "stop",
    "wait_until_up",
    "web_gateway",
    "write_endpoints",
]
