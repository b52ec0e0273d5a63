"""Load test: N concurrent, complete Swedish conversations through the real widget channel.

Starts its own stack (PostgreSQL, action server, Rasa server, web gateway, as in production; or
with --scale-out the nginx + Redis + two Rasa + two action server set-up of scripts/scale_out.py),
then runs simulated organisations over the gateway's WebSocket, each going from greeting through
the checklist to a submitted initiative (about 45 messages). Reports per-message latency (send →
the last answer), messages per second, the servers' memory (after the first 1 000 messages and
at the end), and lost and duplicate records read back from the intake queue. Appends the figures
to docs/benchmarks.md.

A person reads each answer and types or taps the next one: --think sets the mean pause between
an answer and the next message (each pause drawn evenly between half and one and a half times
it, seeded), and each conversation starts at a random moment within the first pause. --think 0
sends back-to-back, which measures the server's capacity, not what users see.

    .venv/bin/python scripts/load_test.py --conversations 50 --think 10
    .venv/bin/python scripts/load_test.py --conversations 225 --concurrency 25 --think 0   # memory

One conversation, as a person sends it, is devstack/widget.py; the servers are devstack's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from devstack.benchmarks import markdown_table, record, stamp
from devstack.meters import CpuMeter, rss_mb
from devstack.postgres import running_postgres
from devstack.scale_out import scale_out_stack
from devstack.servers import rasa_stack, web_gateway
from devstack.widget import Outcome, Pacing, one_conversation, records_by_session, script


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


async def run_load(
    url: str, conversations: int, pacing: Pacing | None = None, concurrency: int | None = None
) -> tuple[list[Outcome], float]:
    """All conversations, at most `concurrency` at a time (all at once by default)."""
    steps = script()
    pacing = pacing or Pacing()
    gate = asyncio.Semaphore(concurrency or conversations)

    async def gated() -> Outcome:
        async with gate:
            return await one_conversation(url, steps, pacing)

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(gated() for _ in range(conversations)))
    return list(outcomes), time.perf_counter() - started


def report(
    outcomes: list[Outcome], seconds: float, stored: dict[str, int], memory: dict[str, dict]
) -> dict:
    latencies = [lat for o in outcomes for lat in o.latencies]
    sessions = [o.conversation for o in outcomes]
    return {
        "conversations": len(outcomes),
        "messages": len(latencies),
        "seconds": round(seconds, 1),
        "messages_per_second": round(len(latencies) / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000),
        "p95_ms": round(percentile(latencies, 0.95) * 1000),
        "p99_ms": round(percentile(latencies, 0.99) * 1000),
        "max_ms": round(max(latencies) * 1000),
        "error_answers": sum(len(o.errors) for o in outcomes),
        "lost_records": sum(1 for s in sessions if stored.get(s, 0) == 0),
        "duplicate_records": sum(max(0, stored.get(s, 0) - 1) for s in sessions),
        **{f"memory_mb_{moment}": sizes for moment, sizes in memory.items()},
        **growth(memory),
    }


def growth(memory: dict[str, dict]) -> dict[str, float]:
    """Rasa's memory growth from the first 1 000 messages to the end, in per cent."""
    if "after_1000" not in memory:
        return {}
    first, last = memory["after_1000"]["rasa"], memory["end"]["rasa"]
    return {"rasa_growth_after_1000_pct": round(100 * (last - first) / first, 1)}


def record_markdown(figures: dict, label: str, settings: str) -> None:
    lines = [
        "",
        f"### Load: {figures['conversations']} conversations, {label} ({stamp()})",
        "",
        f"Machine: {platform.machine()}, {_cores()} cores. Script: `scripts/load_test.py "
        f"{settings}`. Each conversation: greeting, the whole checklist and the whole intake to a "
        "submitted record, over the gateway's WebSocket; PostgreSQL for the queue and the tracker "
        "store.",
        "",
        markdown_table(
            ("figure", "value"), ([key, _shown(value)] for key, value in figures.items())
        ),
    ]
    record("\n".join(lines) + "\n")


def _shown(value: object) -> str:
    """A figure as the table shows it: a dict of figures as "name value, …"."""
    if isinstance(value, dict):
        return ", ".join(f"{k} {v:.0f}" for k, v in value.items())
    return str(value)


def _cores() -> int:
    return os.cpu_count() or 0


@contextmanager
def single_server(workdir: Path, database_url: str) -> Iterator[tuple[str, dict[str, list[int]]]]:
    """The production set-up of scripts/run.sh: one action server, one Rasa server, gateway."""
    with (
        rasa_stack(workdir, database_url=database_url) as stack,
        web_gateway(workdir, stack) as gateway,
    ):
        yield (
            gateway.url,
            {
                "rasa": [stack.rasa.process.pid],
                "actions": [stack.actions.process.pid],
                "gateway": [gateway.process.pid],
            },
        )


@contextmanager
def scaled_out(workdir: Path, database_url: str) -> Iterator[tuple[str, dict[str, list[int]]]]:
    """nginx, Redis lock store, two Rasa and two action servers (scripts/scale_out.py)."""
    with scale_out_stack(workdir, database_url) as stack:
        yield (
            stack.url,
            {
                "rasa": list(stack.rasa_pids),
                "actions": list(stack.action_pids),
                "gateway": [stack.gateway_pid],
            },
        )


def memory_mb(servers: dict[str, list[int]]) -> dict[str, float]:
    return {name: sum(rss_mb(pid) for pid in pids) for name, pids in servers.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--concurrency", type=int, help="at most this many at once (default all)")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause in seconds")
    parser.add_argument("--scale-out", action="store_true", help="the scale-out set-up")
    parser.add_argument("--no-record", action="store_true", help="print only; docs untouched")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="iop-load-"))
    set_up = scaled_out if args.scale_out else single_server
    with (
        running_postgres(workdir / "pg") as database_url,
        set_up(workdir, database_url) as (
            url,
            servers,
        ),
    ):
        memory = {"start": memory_mb(servers)}
        pacing = Pacing(think=args.think)
        pacing.on_message.append(
            lambda sent: memory.setdefault("after_1000", memory_mb(servers)) if sent == 1000 else 0
        )
        concurrency = args.concurrency or args.conversations
        print(f"Up; {args.conversations} conversations, {concurrency} at a time …", flush=True)
        with CpuMeter(servers) as cpu:
            outcomes, seconds = asyncio.run(run_load(url, args.conversations, pacing, concurrency))
        memory["end"] = memory_mb(servers)
        stored = records_by_session(database_url)
    figures = {
        "set_up": "scale-out (nginx, Redis, 2 Rasa, 2 actions)" if args.scale_out else "single",
        "concurrency": concurrency,
        "think_s": args.think,
        **report(outcomes, seconds, stored, memory),
        **cpu.figures(sum(len(o.latencies) for o in outcomes)),
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if not args.no_record:
        settings = " ".join(sys.argv[1:])
        record_markdown(figures, figures["set_up"], settings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
