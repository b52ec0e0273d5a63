"""The gateway's settings, from the environment, so a kommun's IT configures it without code."""

from __future__ import annotations

import os
from dataclasses import dataclass

from bot.intake_queue.database import database_url


@dataclass(frozen=True)
class GatewaySettings:
    rasa_url: str
    rasa_token: str | None
    database_url: str
    allowed_origins: tuple[str, ...]  # the kommun pages that may embed the widget
    secure_cookies: bool  # behind HTTPS in production; plain HTTP on a developer's machine
    host: str = "127.0.0.1"
    port: int = 8080
    # User messages in Rasa at once (the rest wait their turn, first come first served): Rasa
    # interleaves what it is given on one event loop, so a long message shares the CPU with every
    # other one; a small number keeps the slow tail short (docs/benchmarks.md). 0: no limit.
    rasa_concurrency: int = 2

    @classmethod
    def from_environment(cls) -> GatewaySettings:
        origins = os.environ.get("IOP_ALLOWED_ORIGINS", "")
        return cls(
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            rasa_token=os.environ.get("RASA_TOKEN") or None,
            database_url=database_url(),
            allowed_origins=tuple(o.strip().rstrip("/") for o in origins.split(",") if o.strip()),
            secure_cookies=os.environ.get("IOP_SECURE_COOKIES", "0") == "1",
            host=os.environ.get("IOP_WEB_HOST", "127.0.0.1"),
            port=int(os.environ.get("IOP_WEB_PORT", "8080")),
            rasa_concurrency=int(os.environ.get("IOP_RASA_CONCURRENCY", "2")),
        )
