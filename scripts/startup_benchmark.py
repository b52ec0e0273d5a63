"""How long the Rasa server takes to start with the trained model, and the CPU it spends on it.

Starts the Rasa server and the action server (devstack's `rasa_stack`, as the tests do) several
times, one after the other; for each start it records the seconds until both answer their health
checks ("ready"), the seconds until the first message is answered, and the Rasa process's CPU
time and resident memory at that point. Prints a table; `--keep` appends it to docs/benchmarks.md.

    .venv/bin/python scripts/startup_benchmark.py --times 3 --label now --keep
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from devstack.benchmarks import markdown_table, publish
from devstack.meters import cpu_seconds, rss_mb
from devstack.servers import MODEL, rasa_stack


def one_start(workdir: Path) -> tuple[float, float, float, float]:
    """(ready, first answer, Rasa's CPU seconds and MiB by the first answer) for one start."""
    began = time.monotonic()
    with rasa_stack(workdir) as stack:
        ready = time.monotonic() - began
        stack.say("startup-benchmark", "Hej!")
        answered = time.monotonic() - began
        pid = stack.rasa.process.pid
        return ready, answered, cpu_seconds(pid), rss_mb(pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=3, help="starts to measure (default 3)")
    parser.add_argument("--label", default="this commit", help="the row's name in the table")
    parser.add_argument("--keep", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    if not MODEL.exists():
        raise SystemExit(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    starts = []
    for number in range(args.times):
        with tempfile.TemporaryDirectory() as workdir:
            starts.append(one_start(Path(workdir)))
        ready, answered, cpu, memory = starts[-1]
        print(
            f"start {number + 1}: ready {ready:.1f} s, answered {answered:.1f} s,"
            f" Rasa CPU {cpu:.1f} s, {memory:.0f} MiB"
        )
    medians = [statistics.median(column) for column in zip(*starts, strict=True)]
    ready, answered, cpu, memory = medians
    table = markdown_table(
        ["launcher", "starts", "ready", "first answer", "Rasa CPU by then", "Rasa memory then"],
        [
            [
                args.label,
                str(args.times),
                f"{ready:.1f} s",
                f"{answered:.1f} s",
                f"{cpu:.1f} s",
                f"{memory:.0f} MiB",
            ]
        ],
    )
    about = (
        "Rasa server and action server started one after the other with the trained model "
        "(devstack's rasa_stack); medians. Ready = both answer their health checks; CPU and "
        "memory = the Rasa process's user + system time and resident set when the first "
        "message was answered."
    )
    publish("Rasa server start-up", about, table, args.keep)


if __name__ == "__main__":
    main()
