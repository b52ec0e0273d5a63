"""Run the web gateway: `python -m bot.web.serve` (settings from the environment, see README)."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.web.app import create_app
from bot.web.settings import GatewaySettings, SettingsError


class PathOnlyAccessLogger(AbstractAccessLogger):
    """Method, path, status and time: no query string (tokens) and no body (message text)."""

    def log(self, request, response, time):  # type: ignore[no-untyped-def]
        self.logger.info("%s %s %s %.3fs", request.method, request.path, response.status, time)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", help="address to listen on (default IOP_WEB_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default IOP_WEB_PORT or 8080)")
    args = parser.parse_args()
    try:
        settings = GatewaySettings.from_environment()
    except SettingsError as error:
        # Refuse to start rather than run open: the message says which setting and what to write.
        raise SystemExit(f"The web gateway does not start: {error}") from None
    # Log requests without query strings or bodies: no message text ever reaches the log.
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    web.run_app(
        create_app(settings),
        host=args.host or settings.host,
        port=args.port or settings.port,
        access_log_class=PathOnlyAccessLogger,
        print=lambda line: logging.getLogger("bot.web").info(line),
    )


if __name__ == "__main__":
    main()
