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
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.intake_queue.database import make_engine  # noqa: E402
from bot.profile import load_profile  # noqa: E402
from bot.web.session_keys import conversation_reference  # noqa: E402
from tests.e2e.servers import rasa_stack, web_gateway  # noqa: E402
from tests.e2e.test_intake_conversations import (  # noqa: E402
    CONTACT,
    DOCUMENT_REPLIES,
    INITIATIVE,
    ORGANISATION,
)
from tests.postgres import running_postgres  # noqa: E402

BENCHMARKS = ROOT / "docs" / "benchmarks.md"
ANSWER_TIMEOUT = 120  # seconds for the bot's answer to one message


def script() -> list[tuple[str, str | None]]:
    """(text, payload) in the order the bot asks, as a user of the widget would send them."""
    criteria = len(load_profile("mora").criteria)
    steps: list[tuple[str, str | None]] = [
        ("Hej!", None),
        ("Jag vill testa om vår idé passar för IOP", None),
    ]
    steps += [("Ja", "/affirm")] * criteria
    steps += [("ja", None)]  # hand in the initiative
    steps += [(reply, None) for reply in ORGANISATION + CONTACT + INITIATIVE + DOCUMENT_REPLIES]
    steps += [("Ja, det är jag", "/affirm"), ("Jag intygar", None), ("ja", None)]
    return steps


@dataclass
class Outcome:
    conversation: str = ""  # the conversation's reference (never the widget's secret)
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reference: str | None = None


@dataclass
class Pacing:
    """How a simulated person paces their messages, and what the run counts as it goes."""

    think: float = 0.0
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    sent: int = 0
    on_message: list = field(default_factory=list)  # callbacks(sent) after each answer

    def pause(self) -> float:
        return self.rng.uniform(0.5 * self.think, 1.5 * self.think) if self.think else 0.0

    def answered(self) -> None:
        self.sent += 1
        for callback in self.on_message:
            callback(self.sent)


async def receive_frame(socket: aiohttp.ClientWebSocketResponse, timeout: float) -> dict:
    """The next JSON frame within `timeout` seconds. Not receive_json(timeout=…): aiohttp restarts
    that timeout at every ping, and the gateway pings more often than a slow answer may take, so a
    lost answer would be waited for forever."""
    return await asyncio.wait_for(socket.receive_json(), timeout)


async def one_conversation(
    url: str, steps: list[tuple[str, str | None]], pacing: Pacing | None = None
) -> Outcome:
    pacing = pacing or Pacing()
    outcome = Outcome()
    ws_url = url.replace("http", "ws", 1) + "/chat/ws"
    await asyncio.sleep(pacing.rng.uniform(0, pacing.think))
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as socket:
        await socket.send_json({"type": "hello", "session": None})
        hello = await socket.receive_json(timeout=30)
        outcome.conversation = conversation_reference(hello["id"])
        for number, (text_, payload) in enumerate(steps):
            if number:
                await asyncio.sleep(pacing.pause())
            frame = {"type": "message", "text": text_}
            if payload:
                frame["payload"] = payload
            started = time.perf_counter()
            await socket.send_json(frame)
            answered = False
            while True:
                reply = await receive_frame(socket, ANSWER_TIMEOUT)
                if reply["type"] == "bot":
                    answered = True
                    if "referensnummer är " in reply["text"]:
                        outcome.reference = reply["text"].split("referensnummer är ")[1].split()[0]
                elif reply["type"] == "error":
                    outcome.errors.append(reply["text"][:60])
                    break
                elif reply["type"] == "typing" and not reply["on"] and answered:
                    break
            outcome.latencies.append(time.perf_counter() - started)
            pacing.answered()
    return outcome


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


def records_by_session(database_url: str) -> dict[str, int]:
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT conversation_id, COUNT(*) AS n FROM iop_initiatives "
                "GROUP BY conversation_id"
            )
        ).all()
    engine.dispose()
    return {r.conversation_id: r.n for r in rows}


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
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "",
        f"### Load: {figures['conversations']} conversations, {label} ({when})",
        "",
        f"Machine: {platform.machine()}, {_cores()} cores. Script: `scripts/load_test.py "
        f"{settings}`. Each conversation: greeting, the whole checklist and the whole intake to a "
        "submitted record, over the gateway's WebSocket; PostgreSQL for the queue and the tracker "
        "store.",
        "",
        "| figure | value |",
        "| --- | --- |",
    ]
    for key, value in figures.items():
        shown = (
            ", ".join(f"{k} {v:.0f}" for k, v in value.items())
            if isinstance(value, dict)
            else value
        )
        lines.append(f"| {key} | {shown} |")
    with BENCHMARKS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


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
    from scripts.scale_out import scale_out_stack

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
