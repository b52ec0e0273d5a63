"""Training time, start-up time and NLU quality of several Rasa configs, side by side, in one run.

Each config is trained from scratch (Rasa's cache off) on the project's data, then the Rasa server
is started with that model behind the real action server, and the script records how long it
took until the server answered a first message ("ready"). Intent quality is scored on all three
held-out sets. Prints a table and appends it to docs/benchmarks.md.

    .venv/bin/python scripts/training_benchmark.py                       # before vs now
    .venv/bin/python scripts/training_benchmark.py --config a.yml --config b.yml
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import requests
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.nlu_benchmark import BENCHMARKS, machine
from scripts.nlu_eval import PROJECT_ROOT, evaluate

VENV_BIN = Path(sys.executable).parent
# The configuration before issue 11 (kept so the comparison can be run again).
BEFORE = PROJECT_ROOT / "scripts" / "benchmark_configs" / "before-issue-11.yml"
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "RASA_MAX_CACHE_SIZE": "0"}


@dataclass(frozen=True)
class Row:
    name: str
    train_seconds: float
    train_cpu_seconds: float
    ready_seconds: float
    scores: dict[str, float]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def train(config: Path, out: Path, name: str) -> tuple[float, float]:
    """Train from scratch; (wall seconds, CPU seconds). CPU time barely changes when something
    else runs on the machine, so it compares configs fairly even then."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "train",
            "--config",
            str(config),
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--quiet",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        env={**os.environ, **QUIET_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _wait(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited early")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not up after {timeout} s")


def ready_seconds(model: Path, workdir: Path) -> float:
    """Seconds from starting the Rasa server until it answers a first message over REST."""
    from bot.intake_queue.database import tracker_store_config

    database = f"sqlite:///{workdir / 'ready.db'}"
    token = secrets.token_urlsafe(16)
    actions_port, rasa_port = free_port(), free_port()
    env = {**os.environ, **QUIET_ENV, "DATABASE_URL": database, "ACTION_SERVER_TOKEN": token}
    actions = subprocess.Popen(
        [str(VENV_BIN / "python"), "-m", "actions.serve", "--port", str(actions_port)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoints = workdir / "endpoints.yml"
    endpoints.write_text(
        yaml.safe_dump(
            {
                "action_endpoint": {
                    "url": f"http://127.0.0.1:{actions_port}/webhook",
                    "token": token,
                },
                "tracker_store": tracker_store_config(database),
            }
        )
    )
    rasa = None
    try:
        _wait(f"http://127.0.0.1:{actions_port}/health", actions, 120)
        started = time.perf_counter()
        rasa = subprocess.Popen(
            [
                str(VENV_BIN / "python"),
                "-m",
                "bot.rasa_server",
                "run",
                "--model",
                str(model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(rasa_port),
                "--endpoints",
                str(endpoints),
                "--credentials",
                "credentials.yml",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(f"http://127.0.0.1:{rasa_port}/", rasa, 600)
        answer = requests.post(
            f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook",
            json={"sender": uuid.uuid4().hex, "message": "hej"},
            timeout=120,
        )
        answer.raise_for_status()
        assert answer.json(), "no answer to the first message"
        return time.perf_counter() - started
    finally:
        for process in (rasa, actions):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


def measure(name: str, config: Path, workdir: Path) -> Row:
    out = workdir / name
    seconds, cpu_seconds = train(config, out, name)
    model = out / f"{name}.tar.gz"
    scores = {key: value.macro_f1 for key, value in evaluate(model).items()}
    return Row(name, seconds, cpu_seconds, ready_seconds(model, out), scores)


def table(rows: list[Row]) -> str:
    keys = list(rows[0].scores)
    lines = [
        "| config | training (wall) | training (CPU) | ready | "
        + " | ".join(f"F1 {key}" for key in keys)
        + " |",
        "| --- | --- | --- | --- | " + " | ".join("---" for _ in keys) + " |",
    ]
    for row in rows:
        scores = " | ".join(f"{row.scores[key]:.3f}" for key in keys)
        lines.append(
            f"| {row.name} | {row.train_seconds / 60:.1f} min | "
            f"{row.train_cpu_seconds / 60:.1f} CPU-min | {row.ready_seconds:.0f} s "
            f"| {scores} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", action="append", type=Path, help="configs to compare")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    configs = args.config or [BEFORE, PROJECT_ROOT / "config.yml"]
    with tempfile.TemporaryDirectory(prefix="training-benchmark-") as tmp:
        rows = []
        for config in configs:
            name = config.stem if config != PROJECT_ROOT / "config.yml" else "config.yml (now)"
            rows.append(
                measure(name.replace(" ", "-").replace("(", "").replace(")", ""), config, Path(tmp))
            )
            print(table(rows), flush=True)
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report = (
        f"\n### Training and start-up, {stamp}\n\nMachine: {machine()}. Each config trained from "
        "scratch on data/ (Rasa's cache off); ready = Rasa server start until it answered a first "
        "message over REST, with the action server already up. F1 = intent macro-F1 on the "
        "held-out sets (tests/nlu).\n\n"
        f"{table(rows)}\n"
    )
    print(report)
    if not args.no_record:
        with BENCHMARKS.open("a", encoding="utf-8") as handle:
            handle.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
