"""What the benchmark scripts share: where and how figures are recorded (a dated Markdown table
in docs/benchmarks.md), the machine they ran on, and training a config from scratch with its wall
and CPU time."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.clock import now_utc
from devstack.paths import PROJECT_ROOT, VENV_BIN

BENCHMARKS = PROJECT_ROOT / "docs" / "benchmarks.md"
# No training cache (every run trains from scratch, so times are real) and no TensorFlow noise.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "RASA_MAX_CACHE_SIZE": "0"}


def stamp() -> str:
    """When the figures were taken, as docs/benchmarks.md dates them."""
    return now_utc().strftime("%Y-%m-%d %H:%M UTC")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table: the header, its rule, then one line a row (cells already formatted)."""
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def record(report: str) -> None:
    """Append `report` to docs/benchmarks.md, starting the file when there is none yet."""
    BENCHMARKS.parent.mkdir(exist_ok=True)
    if not BENCHMARKS.exists():
        BENCHMARKS.write_text("# Benchmarks\n\nFigures printed by the benchmark scripts.\n")
    with BENCHMARKS.open("a", encoding="utf-8") as handle:
        handle.write(report)


def publish(title: str, about: str, table: str, keep: bool) -> None:
    """Print the dated report (title, machine, what was measured, the table); with `keep`,
    append it to docs/benchmarks.md as well."""
    report = f"\n### {title}, {stamp()}\n\nMachine: {machine()}. {about}\n\n{table}\n"
    print(report)
    if keep:
        record(report)


def machine() -> str:
    """Architecture, CPUs, memory and Python: figures mean little without them."""
    cpus = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return f"{platform.machine()}, {cpus} CPUs{memory}, Python {platform.python_version()}"


def train(
    config: Path, out: Path, name: str, nlu_only: bool = False, show_output: bool = False
) -> tuple[float, float]:
    """Train from scratch (the whole model, or with `nlu_only` the NLU part alone); (wall seconds,
    CPU seconds). CPU time barely changes when something else runs on the machine, so it
    compares configs fairly even then."""
    part = ["nlu"] if nlu_only else []
    data = ["--nlu", "data/nlu"] if nlu_only else ["--domain", "domain.yml", "--data", "data"]
    named = ["--out", str(out), "--fixed-model-name", name, "--quiet"]
    output = None if show_output else subprocess.DEVNULL
    cpu_before = _children_cpu()
    started = time.perf_counter()
    subprocess.run(
        [str(VENV_BIN / "rasa"), "train", *part, "--config", str(config), *data, *named],
        cwd=PROJECT_ROOT,
        check=True,
        env={**os.environ, **QUIET_ENV},
        stdout=output,
        stderr=output,
    )
    return time.perf_counter() - started, _children_cpu() - cpu_before


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
