"""The gateway's settings, from the environment, so a kommun's IT configures it without code."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from bot.intake_queue.database import database_url

LOOPBACK_PROXIES = ("127.0.0.0/8", "::1/128")  # nginx on the gateway's own host (deploy/nginx/)

MISSING_RASA_TOKEN = (
    "RASA_TOKEN is not set. The gateway talks to Rasa's HTTP API (read, pause and resume "
    "conversations), which must be started with --auth-token; give the gateway the same token "
    "in RASA_TOKEN (docs/deployment.md); scripts/run.sh makes one in build/rasa-token."
)


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable and what to write."""


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
    # Proxies whose X-Forwarded-Proto and X-Forwarded-For are believed (bot/web/proxies.py):
    # addresses or networks; loopback by default (nginx on the same host).
    trusted_proxies: tuple[str, ...] = LOOPBACK_PROXIES

    @classmethod
    def from_environment(cls) -> GatewaySettings:
        """Raises SettingsError for a malformed setting or a missing RASA_TOKEN."""
        origins = os.environ.get("IOP_ALLOWED_ORIGINS", "")
        token = os.environ.get("RASA_TOKEN") or None
        if token is None:
            raise SettingsError(MISSING_RASA_TOKEN)
        return cls(
            rasa_url=os.environ.get("RASA_URL", "http://127.0.0.1:5005"),
            rasa_token=token,
            database_url=database_url(),
            allowed_origins=tuple(o.strip().rstrip("/") for o in origins.split(",") if o.strip()),
            secure_cookies=os.environ.get("IOP_SECURE_COOKIES", "0") == "1",
            host=os.environ.get("IOP_WEB_HOST", "127.0.0.1"),
            port=int(os.environ.get("IOP_WEB_PORT", "8080")),
            rasa_concurrency=int(os.environ.get("IOP_RASA_CONCURRENCY", "2")),
            trusted_proxies=parse_trusted_proxies(os.environ.get("IOP_TRUSTED_PROXIES")),
        )


def parse_trusted_proxies(raw: str | None) -> tuple[str, ...]:
    """IOP_TRUSTED_PROXIES: comma-separated addresses or networks, e.g. `127.0.0.1, 10.0.4.0/24`.
    Unset or empty: loopback. A malformed entry stops the start: a typo must not silently
    distrust the proxy (every client would look like it) or trust the wrong one."""
    if raw is None or not raw.strip():
        return LOOPBACK_PROXIES
    entries = tuple(entry.strip() for entry in raw.split(",") if entry.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as error:
            raise SettingsError(
                f"IOP_TRUSTED_PROXIES: {entry!r} is not an IP address or network "
                "(write e.g. 127.0.0.1, ::1 or 10.0.4.0/24, separated by commas)."
            ) from error
    return entries
