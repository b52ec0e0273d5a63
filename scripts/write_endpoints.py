"""Write the endpoints file Rasa runs with: the action server plus the tracker store in the same
database as the intake queue (DATABASE_URL, default the SQLite file under var/).

    python scripts/write_endpoints.py OUT.yml [--actions-url URL] [--database-url URL]

The action server's shared secret comes from ACTION_SERVER_TOKEN, never from the command line.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.intake_queue.database import database_url, tracker_store_config


def endpoints(actions_url: str, url: str, actions_token: str | None = None) -> dict[str, object]:
    action_endpoint: dict[str, str] = {"url": actions_url}
    if actions_token:
        action_endpoint["token"] = actions_token  # Rasa sends it as ?token=…
    return {"action_endpoint": action_endpoint, "tracker_store": tracker_store_config(url)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--actions-url", default="http://127.0.0.1:5055/webhook")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    token = os.environ.get("ACTION_SERVER_TOKEN")
    content = endpoints(args.actions_url, args.database_url or database_url(), token)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    args.out.chmod(0o600)  # it may hold a database password
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
