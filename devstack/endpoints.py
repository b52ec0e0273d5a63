"""Rasa's endpoints file: the action server (with its shared token), the tracker store in the
same database as the intake queue and, with several Rasa servers, Redis as the lock store.

`main()` is the command line of scripts/write_endpoints.py (scripts/run.sh, deployment);
`write_endpoints()` writes the same content for the servers that tests and scripts start.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

REDIS_KEY_PREFIX = "iop"  # lock keys are "iop:lock:<conversation>"; Rasa wants it alphanumeric

USAGE = """Write the endpoints file Rasa runs with: the action server plus the tracker store in the
same database as the intake queue (DATABASE_URL, default the SQLite file under var/).

The action server's shared secret comes from ACTION_SERVER_TOKEN, never from the command line;
without it nothing is written (the action server refuses to start without it too).
With several Rasa servers (docs/deployment.md), REDIS_URL or --redis-url adds Rasa's Redis lock
store, so that only one server at a time works on a conversation; put a password in REDIS_URL,
not on the command line.
"""


def redis_lock_store_config(redis_url: str) -> dict[str, object]:
    """Rasa 3.6's RedisLockStore settings (rasa/core/lock_store.py) from a redis:// URL."""
    parsed = urlsplit(redis_url)
    if parsed.scheme not in ("redis", "rediss") or not parsed.hostname:
        raise ValueError(f"Not a redis://HOST:PORT/DB URL: {parsed.scheme}://{parsed.hostname}")
    config: dict[str, object] = {
        "type": "redis",
        "url": parsed.hostname,
        "port": parsed.port or 6379,
        "db": int(parsed.path.lstrip("/") or 1),
        "key_prefix": REDIS_KEY_PREFIX,
    }
    if parsed.password:
        config["password"] = unquote(parsed.password)
    if parsed.scheme == "rediss":
        config["use_ssl"] = True
    return config


def endpoints(
    actions_url: str, url: str, actions_token: str | None = None, redis_url: str | None = None
) -> dict[str, object]:
    """The endpoints as a dict; `actions_url` is the action server's full webhook URL."""
    # Imported here: SQLAlchemy is slow to import, and most users of devstack need only ports.
    from bot.intake_queue.database import tracker_store_config

    action_endpoint: dict[str, str] = {"url": actions_url}
    if actions_token:
        action_endpoint["token"] = actions_token  # Rasa sends it as ?token=…
    content: dict[str, object] = {
        "action_endpoint": action_endpoint,
        "tracker_store": tracker_store_config(url),
    }
    if redis_url:
        content["lock_store"] = redis_lock_store_config(redis_url)
    return content


def save(path: Path, content: dict[str, object]) -> Path:
    """Write owner-only: the file may hold a database or Redis password and the action token."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    path.chmod(0o600)
    return path


def write_endpoints(
    workdir: Path,
    actions_url: str,
    database_url: str,
    actions_token: str | None = None,
    redis_url: str | None = None,
    name: str = "endpoints.yml",
) -> Path:
    """`workdir/name` for an action server at `actions_url` (its base URL, no /webhook);
    `redis_url` (Rasa's lock store) when several Rasa servers share the work."""
    content = endpoints(f"{actions_url}/webhook", database_url, actions_token, redis_url)
    return save(workdir / name, content)


def main() -> int:
    """`python scripts/write_endpoints.py OUT.yml [--actions-url URL] [--database-url URL]
    [--redis-url redis://HOST:PORT/DB]`; 2 without ACTION_SERVER_TOKEN."""
    about, details = USAGE.split("\n\n", 1)
    parser = argparse.ArgumentParser(description=about.replace("\n", " "), epilog=details)
    parser.add_argument("out", type=Path)
    parser.add_argument("--actions-url", default="http://127.0.0.1:5055/webhook")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL") or None,
        help="Redis lock store for several Rasa servers (default REDIS_URL; none: in-memory)",
    )
    args = parser.parse_args()
    token = os.environ.get("ACTION_SERVER_TOKEN")
    if not token or not token.strip():
        print(
            "ACTION_SERVER_TOKEN is not set: Rasa could not call the action server, which "
            "refuses calls without it. Set the same secret for both (docs/deployment.md).",
            file=sys.stderr,
        )
        return 2
    from bot.intake_queue.database import database_url

    url = args.database_url or database_url()
    save(args.out, endpoints(args.actions_url, url, token, args.redis_url))
    return 0
