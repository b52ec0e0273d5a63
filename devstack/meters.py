"""Memory and CPU of running servers, read from /proc: what the load test reports."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def family(pid: int) -> list[int]:
    """A process and its direct children (PostgreSQL-style workers, nginx workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(p) for p in children.read_text().split())] if children.exists() else [pid]


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    for one in family(pid):
        status = Path(f"/proc/{one}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU used so far by a process (all its threads) and its children."""
    total = 0
    for one in family(pid):
        try:
            after_name = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(after_name[11]) + int(after_name[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def machine_cpu() -> tuple[float, float]:
    """(busy, all) CPU seconds of the whole machine since boot, summed over its cores."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / tick, sum(fields) / tick


@dataclass
class CpuMeter:
    """Where the CPU went during a run: per server group, the load driver and everything else
    (PostgreSQL, nginx, Redis, the kernel), and how busy the machine's cores were. Tells whether a
    set-up is limited by the CPU or by waiting, which decides what a second server can add."""

    servers: dict[str, list[int]]
    start: dict[str, float] = field(default_factory=dict)
    end: dict[str, float] = field(default_factory=dict)

    def _now(self) -> dict[str, float]:
        busy, total = machine_cpu()
        now = {name: sum(cpu_seconds(p) for p in pids) for name, pids in self.servers.items()}
        own = os.times()
        return now | {"load_driver": own.user + own.system, "_busy": busy, "_total": total}

    def __enter__(self) -> CpuMeter:
        self.start = self._now()
        return self

    def __exit__(self, *_: object) -> None:
        self.end = self._now()

    def figures(self, messages: int) -> dict:
        used = {k: self.end[k] - self.start[k] for k in self.end}
        busy, total = used.pop("_busy"), used.pop("_total")
        used["other"] = max(0.0, busy - sum(used.values()))
        return {
            "cpu_busy_pct": round(100 * busy / total, 1),
            "cpu_ms_per_message": {k: 1000 * v / max(1, messages) for k, v in used.items()},
        }
