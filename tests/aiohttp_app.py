"""A throw-away aiohttp app on a free loopback port, for tests that need a real HTTP peer."""

from __future__ import annotations

from aiohttp import web

from devstack.ports import free_port


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    """Start the app; the caller cleans up with `await runner.cleanup()`."""
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"
