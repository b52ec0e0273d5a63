"""A throw-away PostgreSQL server for tests and scripts: a real server, never a mock or SQLite
stand-in.

Binaries come from the Debian packages (`bash scripts/ensure_postgres.sh` installs them). Each
run gets its own cluster on a free loopback port, so the machine's default cluster is untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql

from devstack.ports import free_port

PG_ROOT = Path("/usr/lib/postgresql")
USER = "iop"
DATABASE = "iop_test"
URL_ENV = "IOP_TEST_POSTGRES_URL"


def postgres_bin() -> Path:
    """The newest server's bin dir; fails loudly so a missing server is never skipped."""
    versions = sorted(
        (p.parent for p in PG_ROOT.glob("*/bin/initdb")),
        key=lambda bin_dir: [int(part) for part in bin_dir.parent.name.split(".")],
    )
    if not versions:
        raise RuntimeError(
            f"No PostgreSQL server binaries under {PG_ROOT}/*/bin: "
            "run `bash scripts/ensure_postgres.sh` (installs the Debian 'postgresql' package)."
        )
    return versions[-1]


def _run(cmd: list[str], as_postgres: bool) -> subprocess.CompletedProcess[str]:
    """initdb and postgres refuse to run as root, so root runs them as the `postgres` user."""
    if as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def _url(port: int, database: str) -> str:
    return f"postgresql+psycopg2://{USER}@127.0.0.1:{port}/{database}"


def create_database(url: str, name: str) -> None:
    """CREATE DATABASE cannot run in a transaction, hence a plain autocommit connection."""
    dsn = url.replace("postgresql+psycopg2://", "postgresql://", 1)
    base, _, _ = dsn.rpartition("/")
    conn = psycopg2.connect(f"{base}/postgres")
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def fresh_database(url: str, name: str) -> str:
    """A new empty database on the same server, so each test module starts from a clean slate."""
    create_database(url, name)
    return url.rpartition("/")[0] + f"/{name}"


def _initdb(bin_dir: Path, data: Path, as_postgres: bool) -> None:
    base = [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8"]
    result = _run([*base, "--locale=C.UTF-8"], as_postgres)
    if result.returncode != 0:  # C.UTF-8 locale missing on this machine: fall back to plain C.
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir()
        if as_postgres:
            shutil.chown(data, "postgres", "postgres")
        result = _run([*base, "--no-locale"], as_postgres)
    if result.returncode != 0:
        raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")


@contextmanager
def running_postgres(workdir: Path) -> Iterator[str]:
    """Start a private cluster, yield the URL of its empty `iop_test` database, stop and delete it.

    The cluster lives in its own temp dir, not in `workdir`: pytest's tmp dirs may be mode 700
    and root-owned, which the `postgres` user cannot enter. The server log is kept in `workdir`.
    """
    if os.environ.get(URL_ENV):
        yield os.environ[URL_ENV]
        return
    bin_dir = postgres_bin()
    as_postgres = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="iop-pg-"))
    root.chmod(0o755)
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    for path in (data, sockets):
        path.mkdir()
    log.touch()
    if as_postgres:
        for path in (data, sockets, log):
            shutil.chown(path, "postgres", "postgres")
    port = free_port()
    pg_ctl = str(bin_dir / "pg_ctl")
    try:
        _initdb(bin_dir, data, as_postgres)
        options = (
            f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )
        cmd = [pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start"]
        result = _run(cmd, as_postgres)
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-3000:]
            raise RuntimeError(
                f"PostgreSQL did not start on port {port}:\n{result.stderr}\n"
                f"server log (kept in {workdir}):\n{tail}"
            )
        url = _url(port, DATABASE)
        create_database(url, DATABASE)
        yield url
    finally:
        if (data / "postmaster.pid").exists():  # also after a start that timed out
            # Immediate: the cluster is deleted next, so no checkpoint is worth waiting for.
            _run([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"], as_postgres)
        if workdir.is_dir():
            shutil.copyfile(log, workdir / "postgres.log")
        shutil.rmtree(root, ignore_errors=True)
