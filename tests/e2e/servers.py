"""Start the real action server and Rasa server on free loopback ports for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from tests.conftest import PROJECT_ROOT

VENV_BIN = Path(sys.executable).parent
MODEL = PROJECT_ROOT / "models" / "iop-lotsen.tar.gz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    raise RuntimeError(f"{url} not up after {timeout} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def start(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        args,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@dataclass
class Stack:
    rasa_url: str
    actions_url: str
    endpoints: Path

    def say(self, sender: str, message: str) -> list[dict]:
        """Send one user message over the REST channel and return the bot's messages."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=60,
        )
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, message: str) -> list[str]:
        return [m.get("text", "") for m in self.say(sender, message)]


@contextmanager
def action_server(workdir: Path, profile: str | None = None) -> Iterator[tuple[str, Path]]:
    """The real action server; yields its webhook URL and an endpoints file pointing at it."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    if profile:
        env["IOP_PROFILE"] = profile
    port = free_port()
    log = workdir / f"actions-{port}.log"
    process = start(
        [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)],
        log,
        env,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, log)
        endpoints = workdir / f"endpoints-{port}.yml"
        endpoints.write_text(f"action_endpoint:\n  url: http://127.0.0.1:{port}/webhook\n")
        yield f"http://127.0.0.1:{port}", endpoints
    finally:
        stop(process)


@contextmanager
def rasa_stack(workdir: Path, profile: str | None = None) -> Iterator[Stack]:
    """Action server plus Rasa server with the trained model and the REST channel."""
    with action_server(workdir, profile) as (actions_url, endpoints):
        port = free_port()
        log = workdir / f"rasa-{port}.log"
        process = start(
            [
                str(VENV_BIN / "rasa"),
                "run",
                "--model",
                str(MODEL),
                "--interface",
                "127.0.0.1",
                "--port",
                str(port),
                "--endpoints",
                str(endpoints),
                "--credentials",
                "credentials.yml",
            ],
            log,
            {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/", process, log)
            yield Stack(f"http://127.0.0.1:{port}", actions_url, endpoints)
        finally:
            stop(process)
