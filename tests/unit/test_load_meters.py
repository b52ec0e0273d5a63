"""The load test's meters read /proc: CPU per process (with its children) and for the machine."""

from __future__ import annotations

import subprocess
import sys
import time

from devstack.meters import CpuMeter, cpu_seconds, machine_cpu, rss_mb

BURN = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"


def test_cpu_of_a_busy_child_is_counted_and_an_idle_one_is_not() -> None:
    busy = subprocess.Popen([sys.executable, "-c", BURN + "time.sleep(30)"])
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.2)
        with CpuMeter({"busy": [busy.pid], "idle": [idle.pid]}) as meter:
            time.sleep(1.5)
        figures = meter.figures(messages=10)
        per_message = figures["cpu_ms_per_message"]
        assert per_message["busy"] > 20  # ≥ 0.2 s of the 0.6 s burn fell inside, over 10
        assert per_message["idle"] < 5
        assert 0 < figures["cpu_busy_pct"] <= 100
        assert cpu_seconds(busy.pid) >= 0.5
        assert rss_mb(busy.pid) > 1
    finally:
        busy.kill()
        idle.kill()


def test_a_vanished_process_counts_as_nothing() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    assert cpu_seconds(gone.pid) == 0
    busy, total = machine_cpu()
    assert 0 < busy < total
