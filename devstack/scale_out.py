"""The scale-out set-up on one machine, over loopback: Redis as Rasa's lock store, two Rasa
servers each with its own action server, nginx in front of the Rasa servers with sticky sessions,
and the web gateway talking to nginx; all against a given PostgreSQL database.

scripts/scale_out.py runs it from one command; tests/e2e/test_scale_out.py and
scripts/load_test.py use `scale_out_stack()`. Needs Debian's nginx and redis-server
(`bash scripts/ensure_scale_out.sh`). Every process listens on 127.0.0.1 only.

Why pairs: each Rasa server calls its own action server. Actions keep no state between calls
(everything is in the tracker and the database), so any pair can serve any conversation, and a
pair is one unit to add, restart or lose; nginx has one balancing decision to make and a
side-effecting action call is never retried by a proxy.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from devstack.endpoints import write_endpoints
from devstack.paths import PROJECT_ROOT
from devstack.servers import MODEL, ActionServer, RasaServer, Server, Stack, WebGateway

if TYPE_CHECKING:
    import redis

NGINX = Path("/usr/sbin/nginx")
REDIS_SERVER = Path("/usr/bin/redis-server")
NGINX_TEMPLATE = PROJECT_ROOT / "deploy" / "nginx" / "iop-lotsen-scale-out.conf.template"
REDIS_DB = 1  # Rasa's default lock store database
RASA_SERVERS = 2
RASA_STARTUP_TIMEOUT = 480  # two Rasa servers loading side by side on a busy two-core machine


def _missing_binary(path: Path, package: str) -> None:
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: run `bash scripts/ensure_scale_out.sh` (installs Debian's "
            f"'{package}' without starting its service)."
        )


class RedisServer(Server):
    """A private Redis for Rasa's lock store: loopback, a password, nothing written to disk
    (a lock outlives no restart worth keeping: Rasa's tickets expire by themselves)."""

    name = "redis"
    startup_timeout = 30

    def __init__(self, workdir: Path) -> None:
        super().__init__(workdir, {})
        self.password = secrets.token_urlsafe(24)
        self.dir = workdir / "redis"
        # A redis:// URL (with the password) instead of Server's http:// one.
        self.url = f"redis://:{self.password}@127.0.0.1:{self.port}/{REDIS_DB}"

    def command(self) -> list[str]:
        _missing_binary(REDIS_SERVER, "redis-server")
        self.dir.mkdir(parents=True, exist_ok=True)
        config = self.dir / "redis.conf"
        config.write_text(
            "\n".join(
                [
                    "bind 127.0.0.1",
                    f"port {self.port}",
                    "protected-mode yes",
                    f"requirepass {self.password}",  # in a file: never on a command line
                    'save ""',
                    "appendonly no",
                    f"dir {self.dir}",
                    "daemonize no",
                    'logfile ""',
                    "",
                ]
            ),
            encoding="utf-8",
        )
        config.chmod(0o600)
        return [str(REDIS_SERVER), str(config)]

    def client(self) -> redis.Redis:
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=5)

    def wait_up(self) -> None:
        import redis

        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited early:\n{self.log.read_text()[-3000:]}")
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.2)
        raise RuntimeError(f"Redis not up after {self.startup_timeout} s")


class NginxServer(Server):
    """nginx with its own prefix and configuration (deploy/nginx/…template), in the foreground."""

    name = "nginx"
    health_path = "/iop-nginx-health"
    startup_timeout = 30

    def __init__(self, workdir: Path, upstreams: list[str]) -> None:
        super().__init__(workdir, {})
        self.upstreams = upstreams
        self.prefix = workdir / "nginx"
        self.access_log = self.prefix / "access.log"

    def config(self) -> str:
        servers = "\n".join(
            f"        server {address} max_fails=1 fail_timeout=10s;" for address in self.upstreams
        )
        # As root, nginx's workers drop to an unprivileged user; they need no file of ours (bodies
        # stay in memory, logs are opened by the master).
        user = "user nobody nogroup;" if os.geteuid() == 0 else ""
        return (
            NGINX_TEMPLATE.read_text(encoding="utf-8")
            .replace("@USER@", user)
            .replace("@PREFIX@", str(self.prefix))
            .replace("@PORT@", str(self.port))
            .replace("@RASA_SERVERS@", servers)
        )

    def command(self) -> list[str]:
        _missing_binary(NGINX, "nginx")
        self.prefix.mkdir(parents=True, exist_ok=True)
        conf = self.prefix / "nginx.conf"
        conf.write_text(self.config(), encoding="utf-8")
        return [str(NGINX), "-p", str(self.prefix), "-c", str(conf), "-e", "stderr"]


ACCESS_LINE = re.compile(
    r"route=(?P<route>\S+) method=(?P<method>\S+) status=(?P<status>\d+) "
    r'upstream="(?P<upstream>[^"]*)" upstream_status="(?P<upstream_status>[^"]*)"'
)


@dataclass(frozen=True)
class Proxied:
    """One request nginx passed on: its route name, status and the Rasa servers it tried."""

    route: str
    status: int
    tried: tuple[str, ...]  # in order; the last one answered

    @property
    def served_by(self) -> str:
        return self.tried[-1] if self.tried else ""


def read_access_log(path: Path) -> list[Proxied]:
    """nginx's access log (see the template's log_format) as records."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = ACCESS_LINE.search(line)
        if match:
            # "$upstream_addr" is "a, b" when nginx went on to the next server; "-" for none.
            parts = re.split(r"\s*[,:]\s+", match["upstream"])
            tried = tuple(p for p in parts if p and p != "-")
            records.append(Proxied(match["route"], int(match["status"]), tried))
    return records


@dataclass
class ScaleOut:
    """The running set-up; `url` is the web gateway, `rasa_url` nginx in front of Rasa."""

    workdir: Path
    database_url: str
    redis: RedisServer
    actions: list[ActionServer]
    rasa: list[RasaServer]
    nginx: NginxServer
    gateway: WebGateway

    @property
    def url(self) -> str:
        return self.gateway.url

    @property
    def rasa_url(self) -> str:
        return self.nginx.url

    @property
    def redis_url(self) -> str:
        return self.redis.url

    @property
    def rasa_token(self) -> str:
        return self.rasa[0].token

    @property
    def rasa_pids(self) -> list[int]:
        return [s.process.pid for s in self.rasa if s.process is not None]

    @property
    def action_pids(self) -> list[int]:
        return [s.process.pid for s in self.actions if s.process is not None]

    @property
    def gateway_pid(self) -> int | None:
        return self.gateway.process.pid if self.gateway.process else None

    @property
    def access_log(self) -> Path:
        return self.nginx.access_log

    def upstream(self, rasa: RasaServer) -> str:
        """How nginx names this Rasa server in its access log."""
        return f"127.0.0.1:{rasa.port}"

    def proxied(self) -> list[Proxied]:
        return read_access_log(self.access_log)


def _start_side_by_side(servers: Sequence[Server], exits: ExitStack) -> None:
    """Launch all, then wait for all: two Rasa servers load their model at the same time."""
    for server in servers:
        exits.callback(server.stop)
        server.launch()
    for server in servers:
        server.wait_up()


def _rasa_servers(
    workdir: Path, database_url: str, redis: RedisServer, actions: Sequence[ActionServer]
) -> list[RasaServer]:
    """One Rasa server per action server, all sharing Redis and one API token."""
    token = secrets.token_urlsafe(24)  # one API token: the gateway may reach any server
    rasa: list[RasaServer] = []
    for number, action in enumerate(actions, start=1):
        # Owner-only: database and Redis passwords, the action server's token.
        endpoints = write_endpoints(
            workdir,
            action.url,
            database_url,
            action.token,
            redis_url=redis.url,
            name=f"endpoints-rasa{number}.yml",
        )
        server = RasaServer(workdir, endpoints, token)
        server.env["RASA_TELEMETRY_ENABLED"] = "false"
        server.startup_timeout = RASA_STARTUP_TIMEOUT
        rasa.append(server)
    return rasa


@contextmanager
def scale_out_stack(
    workdir: Path,
    database_url: str,
    profile: str | None = None,
    gateway_port: int | None = None,
) -> Iterator[ScaleOut]:
    """Start the whole scale-out set-up against `database_url` (PostgreSQL) and stop it after."""
    from bot.intake_queue import migrate
    from bot.intake_queue.database import make_engine

    if not MODEL.exists():
        raise RuntimeError(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    workdir.mkdir(parents=True, exist_ok=True)
    # Schema first, once: the action servers and the gateway would otherwise all migrate a fresh
    # database at the same moment (production runs `iop-handlaggare db upgrade` the same way).
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    engine.dispose()

    with ExitStack() as exits:
        redis = RedisServer(workdir)
        exits.callback(redis.stop)
        redis.start()

        actions = [ActionServer(workdir, database_url, profile) for _ in range(RASA_SERVERS)]
        _start_side_by_side(actions, exits)

        rasa = _rasa_servers(workdir, database_url, redis, actions)
        _start_side_by_side(rasa, exits)

        nginx = NginxServer(workdir, [f"127.0.0.1:{s.port}" for s in rasa])
        exits.callback(nginx.stop)
        nginx.start()

        # The gateway sees one Rasa service: nginx, with the servers' shared token.
        service = Stack(
            nginx.url, actions[0].url, rasa[0].endpoints, database_url, actions[0], rasa[0]
        )
        gateway = WebGateway(workdir, service, profile)
        # The gateway's first-come-first-served limit is per Rasa server (bot/web/settings.py).
        gateway.env["IOP_RASA_CONCURRENCY"] = str(2 * RASA_SERVERS)
        if gateway_port:
            gateway.port, gateway.url = gateway_port, f"http://127.0.0.1:{gateway_port}"
        exits.callback(gateway.stop)
        gateway.start()

        yield ScaleOut(workdir, database_url, redis, actions, rasa, nginx, gateway)
