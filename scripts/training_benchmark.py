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
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

from devstack.benchmarks import QUIET_ENV, markdown_table, publish, train
from devstack.endpoints import write_endpoints
from devstack.nlu_eval import evaluate
from devstack.paths import PROJECT_ROOT, VENV_BIN
from devstack.ports import free_port
from devstack.servers import wait_until_up

# The configuration before issue 11 (kept so the comparison can be run again).
BEFORE = PROJECT_ROOT / "scripts" / "benchmark_configs" / "before-issue-11.yml"


@dataclass(frozen=True)
class Row:
    name: str
    train_seconds: float
    train_cpu_seconds: float
    ready_seconds: float
    scores: dict[str, float]


def ready_seconds(model: Path, workdir: Path) -> float:
    """Seconds from starting the Rasa server until it answers a first message over REST."""
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
    endpoints = write_endpoints(workdir, f"http://127.0.0.1:{actions_port}", database, token)
    rasa = None
    try:
        wait_until_up(f"http://127.0.0.1:{actions_port}/health", actions, timeout=120, interval=0.2)
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
        wait_until_up(f"http://127.0.0.1:{rasa_port}/", rasa, timeout=600, interval=0.2)
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
    header = ["config", "training (wall)", "training (CPU)", "ready", *(f"F1 {k}" for k in keys)]
    return markdown_table(
        header,
        (
            [
                row.name,
                f"{row.train_seconds / 60:.1f} min",
                f"{row.train_cpu_seconds / 60:.1f} CPU-min",
                f"{row.ready_seconds:.0f} s",
                *(f"{row.scores[key]:.3f}" for key in keys),
            ]
            for row in rows
        ),
    )


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
    about = (
        "Each config trained from scratch on data/ (Rasa's cache off); ready = Rasa server start "
        "until it answered a first message over REST, with the action server already up. F1 = "
        "intent macro-F1 on the held-out sets (tests/nlu)."
    )
    publish("Training and start-up", about, table(rows), keep=not args.no_record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
