"""The real action server, Rasa server and web gateway on free loopback ports, as scripts/run.sh
starts them: for the end-to-end tests, the load test and the scale-out set-up."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from devstack.endpoints import write_endpoints
from devstack.paths import PROJECT_ROOT, VENV_BIN
from devstack.ports import free_port

# scripts/robustness.py points the end-to-end tests at other models trained from the same data.
MODEL = Path(os.environ.get("IOP_TEST_MODEL") or PROJECT_ROOT / "models" / "iop-lotsen.tar.gz")


def wait_until_up(
    url: str,
    process: subprocess.Popen,
    log: Path | None = None,
    timeout: float = 240,
    interval: float = 0.2,
) -> None:
    """Poll `url` until it answers 200; fail early (with the log's tail) if the process ends."""
    deadline = time.monotonic() + timeout
    tail = (lambda: f":\n{log.read_text()[-3000:]}") if log else (lambda: "")
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early{tail()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(interval)
    raise RuntimeError(f"{url} not up after {timeout} s{tail()}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the process group (the server and its workers), SIGKILL after 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def start(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start in the project directory, in its own process group, output to `log`."""
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
    database_url: str
    actions: ActionServer
    rasa: RasaServer

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
        """The bot's text messages (custom payloads such as checklist progress left out)."""
        return [m["text"] for m in self.say(sender, message) if "text" in m]


class Server:
    """One real server process on a fixed loopback port, which a test may stop and start again."""

    name = "server"
    health_path = "/"
    startup_timeout: float = 240

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log: Path = workdir / f"{self.name}.log"
        self.starts = 0

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> None:
        self.launch()
        self.wait_up()

    def launch(self) -> None:
        """Start the process without waiting, so slow servers (Rasa) can start side by side."""
        self.starts += 1
        self.log = self.workdir / f"{self.name}-{self.port}-{self.starts}.log"
        self.process = start(self.command(), self.log, self.env)

    def wait_up(self) -> None:
        assert self.process is not None, "launch() first"
        wait_until_up(f"{self.url}{self.health_path}", self.process, self.log, self.startup_timeout)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


class ActionServer(Server):
    """The real action server as scripts/run.sh starts it: loopback only, with a shared token,
    writing to the given database."""

    name = "actions"
    health_path = "/health"

    def __init__(self, workdir: Path, database_url: str, profile: str | None = None) -> None:
        self.token = secrets.token_urlsafe(24)
        env = {"DATABASE_URL": database_url, "ACTION_SERVER_TOKEN": self.token} | (
            {"IOP_PROFILE": profile} if profile else {}
        )
        super().__init__(workdir, env)

    def command(self) -> list[str]:
        return [str(VENV_BIN / "python"), "-m", "actions.serve", "--port", str(self.port)]


def sqlite_url(workdir: Path) -> str:
    return f"sqlite:///{workdir / 'iop-lotsen.db'}"


class RasaServer(Server):
    """The real Rasa server: trained model, REST channel, the given endpoints, and the HTTP API
    behind a token (as scripts/run.sh starts it) for the web gateway."""

    name = "rasa"

    def __init__(self, workdir: Path, endpoints: Path, token: str | None = None) -> None:
        super().__init__(workdir, {})
        self.endpoints = endpoints
        self.token = token or secrets.token_urlsafe(24)  # shared when several serve one gateway

    def command(self) -> list[str]:
        return [
            str(VENV_BIN / "python"),
            "-m",
            "bot.rasa_server",
            "run",
            "--model",
            str(MODEL),
            "--interface",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--endpoints",
            str(self.endpoints),
            "--credentials",
            "credentials.yml",
            "--enable-api",
            # "=" form: a random token may start with "-", which argparse would take for an option.
            f"--auth-token={self.token}",
        ]


class WebGateway(Server):
    """The real web gateway (widget socket, demo page, console) in front of a running stack."""

    name = "web"
    health_path = "/health"

    def __init__(self, workdir: Path, stack: Stack, profile: str | None = None) -> None:
        env = {
            "RASA_URL": stack.rasa_url,
            "RASA_TOKEN": stack.rasa.token,
            "DATABASE_URL": stack.database_url,
        } | ({"IOP_PROFILE": profile} if profile else {})
        super().__init__(workdir, env)

    def command(self) -> list[str]:
        return [str(VENV_BIN / "python"), "-m", "bot.web.serve", "--port", str(self.port)]


@contextmanager
def web_gateway(workdir: Path, stack: Stack, profile: str | None = None) -> Iterator[WebGateway]:
    gateway = WebGateway(workdir, stack, profile)
    try:
        gateway.start()
        yield gateway
    finally:
        gateway.stop()


@contextmanager
def rasa_stack(
    workdir: Path, profile: str | None = None, database_url: str | None = None
) -> Iterator[Stack]:
    """Action server plus Rasa server with the trained model, the REST channel and the
    SQL tracker store in the same database as the intake queue (SQLite unless given).

    Both are launched at once: Rasa loads its model while the action server starts (Rasa calls
    the action server only when a message arrives, after both answer their health checks)."""
    database_url = database_url or sqlite_url(workdir)
    actions = ActionServer(workdir, database_url, profile)
    endpoints = write_endpoints(workdir, actions.url, database_url, actions.token)
    rasa = RasaServer(workdir, endpoints)
    try:
        actions.launch()
        rasa.launch()
        actions.wait_up()
        rasa.wait_up()
        yield Stack(rasa.url, actions.url, endpoints, database_url, actions, rasa)
    finally:
        rasa.stop()
        actions.stop()
