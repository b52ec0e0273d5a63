"""Load test: N concurrent, complete Swedish conversations through the real widget channel.

Starts its own stack (PostgreSQL, action server, Rasa server, web gateway, as in production),
then runs N simulated organisations at once over the gateway's WebSocket, each going from
greeting through the checklist to a submitted initiative (about 45 messages). Reports per-message
latency (send → the last answer), messages per second, the servers' memory, and lost and
duplicate records read back from the intake queue. Appends the figures to docs/benchmarks.md.

    .venv/bin/python scripts/load_test.py --conversations 50
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bot.intake_queue.database import make_engine  # noqa: E402
from bot.profile import load_profile  # noqa: E402
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
    steps += [("Ja, det är jag", "/affirm"), ("Jag intygar", None), ("ja", None), ("ja", None)]
    return steps


@dataclass
class Outcome:
    session: str = ""
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    reference: str | None = None


async def one_conversation(url: str, steps: list[tuple[str, str | None]]) -> Outcome:
    outcome = Outcome()
    ws_url = url.replace("http", "ws", 1) + "/chat/ws"
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as socket:
        await socket.send_json({"type": "hello", "session": None})
        hello = await socket.receive_json(timeout=30)
        outcome.session = hello["id"]
        for text_, payload in steps:
            frame = {"type": "message", "text": text_}
            if payload:
                frame["payload"] = payload
            started = time.perf_counter()
            await socket.send_json(frame)
            answered = False
            while True:
                reply = await socket.receive_json(timeout=ANSWER_TIMEOUT)
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
    return outcome


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


async def run_load(url: str, conversations: int) -> tuple[list[Outcome], float]:
    steps = script()
    started = time.perf_counter()
    outcomes = await asyncio.gather(*(one_conversation(url, steps) for _ in range(conversations)))
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


def report(outcomes: list[Outcome], seconds: float, stored: dict[str, int], memory: dict) -> dict:
    latencies = [lat for o in outcomes for lat in o.latencies]
    sessions = [o.session for o in outcomes]
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
        "memory_mb": memory,
    }


def record_markdown(figures: dict, label: str) -> None:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "",
        f"### Load: {figures['conversations']} concurrent conversations ({label}, {when})",
        "",
        f"Machine: {platform.machine()}, {_cores()} cores. Script: `scripts/load_test.py`. Each "
        "conversation: greeting, the whole checklist and the whole intake to a submitted record, "
        "over the gateway's WebSocket; PostgreSQL for the queue and the tracker store.",
        "",
        "| figure | value |",
        "| --- | --- |",
    ]
    for key, value in figures.items():
        shown = (
            ", ".join(f"{k} {v:.0f} MB" for k, v in value.items()) if key == "memory_mb" else value
        )
        lines.append(f"| {key} | {shown} |")
    with BENCHMARKS.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def _cores() -> int:
    import os

    return os.cpu_count() or 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--no-record", action="store_true", help="print only; docs untouched")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="iop-load-"))
    with (
        running_postgres(workdir / "pg") as database_url,
        rasa_stack(workdir, database_url=database_url) as stack,
        web_gateway(workdir, stack) as gateway,
    ):
        print(f"Stack up; {args.conversations} conversations …", flush=True)
        outcomes, seconds = asyncio.run(run_load(gateway.url, args.conversations))
        memory = {
            "rasa": rss_mb(stack.rasa.process.pid),
            "actions": rss_mb(stack.actions.process.pid),
            "gateway": rss_mb(gateway.process.pid),
        }
        stored = records_by_session(database_url)
    figures = report(outcomes, seconds, stored, memory)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    if not args.no_record:
        record_markdown(figures, "single server")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
