"""Run the action server on loopback, answering only Rasa: `python -m actions.serve --port 5055`.

Rasa SDK's own `rasa run actions` listens on every interface, has no authentication, and its
error replies echo the tracker. Here the server binds to 127.0.0.1 (ACTION_SERVER_HOST to change)
and, when ACTION_SERVER_TOKEN is set, refuses every webhook call without that token; Rasa sends
it from endpoints.yml (`action_endpoint.token`).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions", help="package with the custom actions")
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = create_app(args.actions, cors_origins=None)
    secret = os.environ.get("ACTION_SERVER_TOKEN", "")
    if secret:
        app.register_middleware(require_token(secret), "request")
    host = os.environ.get("ACTION_SERVER_HOST", "127.0.0.1")
    app.run(host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
