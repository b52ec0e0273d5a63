"""What the benchmark scripts share: where figures are recorded, the machine they ran on, and
training a config from scratch with its wall and CPU time."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import time
from pathlib import Path

from devstack.paths import PROJECT_ROOT, VENV_BIN

BENCHMARKS = PROJECT_ROOT / "docs" / "benchmarks.md"
# No training cache (every run trains from scratch, so times are real) and no TensorFlow noise.
QUIET_ENV = {"TF_CPP_MIN_LOG_LEVEL": "3", "RASA_MAX_CACHE_SIZE": "0"}


def machine() -> str:
    """Architecture, CPUs, memory and Python: figures mean little without them."""
    cpus = os.cpu_count()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n")[0].split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return f"{platform.machine()}, {cpus} CPUs{memory}, Python {platform.python_version()}"


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
