"""Run the action server on loopback, answering only Rasa: `python -m actions.serve --port 5055`.

Rasa SDK's own `rasa run actions` listens on every interface, has no authentication, and its
error replies echo the tracker. Here the server binds to 127.0.0.1 (ACTION_SERVER_HOST to change)
and refuses every webhook call without ACTION_SERVER_TOKEN; Rasa sends it from endpoints.yml
(`action_endpoint.token`). Without the token set the server does not start at all, so a
forgotten secret never means an open server.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from sanic import response
from sanic.request import Request


def require_token(secret: str):  # type: ignore[no-untyped-def]
    async def check(request: Request):  # type: ignore[no-untyped-def]
        if request.path == "/health":
            return None
        given = request.args.get("token") or ""
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return response.json({"error": "forbidden"}, status=403)
        return None

    return check


MISSING_TOKEN = (
    "The action server does not start: ACTION_SERVER_TOKEN is not set. Give it a long random "
    "secret and write the same one into Rasa's endpoints.yml (scripts/write_endpoints.py reads "
    "ACTION_SERVER_TOKEN; docs/deployment.md). scripts/run.sh makes one in "
    "build/action-server-token."
)


def action_server_token() -> str:
    """The shared secret; SystemExit with a clear message when it is missing."""
    secret = os.environ.get("ACTION_SERVER_TOKEN", "")
    if not secret.strip():
        raise SystemExit(MISSING_TOKEN)
    return secret


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions", help="package with the custom actions")
    args = parser.parse_args()
    secret = action_server_token()  # before loading the actions: fail fast
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = create_app(args.actions, cors_origins=None)
    app.register_middleware(require_token(secret), "request")
    host = os.environ.get("ACTION_SERVER_HOST", "127.0.0.1")
    app.run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
