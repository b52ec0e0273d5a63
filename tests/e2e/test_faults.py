"""Faults at the worst moments, over the real widget socket, with every process real.

The action server killed (SIGKILL) or stalled (SIGSTOP) during a submission, PostgreSQL gone at
the submit, and every process restarted mid-conversation. What must hold each time: the user
reads a clear Swedish answer (never silence, never a confirmation of something not stored), a
retry leaves exactly one complete record, and nothing the user gave is lost.

The whole service runs on a PostgreSQL cluster of its own, since these tests stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.intake_queue.database import make_engine
from bot.profile import load_profile
from bot.record import problems
from bot.web.conversation import NO_ANSWER, NOT_SENT
from bot.web.rasa_client import REQUEST_TIMEOUT
from bot.web.session_keys import conversation_reference
from devstack.widget import CONTACT, ORGANISATION, script
from tests.e2e.intake_dialogue import DOCUMENTS, say
from tests.e2e.servers import MODEL, Server, Stack, WebGateway, rasa_stack, web_gateway
from tests.postgres import URL_ENV, postgres_bin, running_postgres

MORA = load_profile("mora")
REFERENCE = re.compile(r"\bIOP-\d{4}-\d{4}\b")
# What the user may read when a message could not be handled: the gateway's two error texts
# and the action server's own answer when the queue could not store the record.
CLEAR_FAILURES = {NOT_SENT, NO_ANSWER, say("utter_intake_submit_failed")}
STEPS = script()
GATEWAY_TIMEOUT = REQUEST_TIMEOUT.total or 60  # the gateway's wait for Rasa's answer
# Longer than that, so no frame at all within it means the user was left in silence.
ANSWER_WAIT = GATEWAY_TIMEOUT + 30
SUBMIT = STEPS[-1]  # the "ja" to the summary that hands the initiative in


# -- PostgreSQL that a test may stop and start -----------------------------------------------------


@dataclass
class Postgres:
    """The module's own cluster (tests/postgres.py), stopped and started with pg_ctl."""

    data: Path

    def _pg_ctl(self, *args: str) -> None:
        command = [str(postgres_bin() / "pg_ctl"), "-D", str(self.data), *args]
        if os.geteuid() == 0:  # the server refuses to run as root, as in tests/postgres.py
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"pg_ctl {args[-1]} failed:\n{result.stderr}"

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "-w", "stop")

    def start(self) -> None:
        # The options the server was first started with; argv[0] and "-D <dir>" come first.
        options = shlex.split((self.data / "postmaster.opts").read_text())[3:]
        log = self.data.parent / "server.log"
        self._pg_ctl("-l", str(log), "-w", "-t", "60", "-o", shlex.join(options), "start")

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


# -- the service ---------------------------------------------------------------------------------


@dataclass
class Service:
    stack: Stack
    gateway: WebGateway
    postgres: Postgres
    engine: Engine

    @property
    def url(self) -> str:
        return self.gateway.url


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Iterator[Service]:
    """PostgreSQL, action server, Rasa server and gateway, shared by the tests of this module;
    each test leaves every process running again."""
    if os.environ.get(URL_ENV):
        pytest.skip(f"these tests stop PostgreSQL, so they need their own, not {URL_ENV}")
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    workdir = tmp_path_factory.mktemp("faults")
    with running_postgres(workdir) as url:
        engine = make_engine(url)
        with engine.connect() as connection:
            data = Path(connection.execute(text("SHOW data_directory")).scalar_one())
        with rasa_stack(workdir, database_url=url) as stack, web_gateway(workdir, stack) as gateway:
            yield Service(stack, gateway, Postgres(data), engine)
        engine.dispose()


@pytest.fixture(autouse=True)
def _everything_running_again(service: Service) -> Iterator[None]:
    """A test that breaks something and then fails must not take the next test down with it."""
    yield
    if not service.postgres.running:
        service.postgres.start()
    servers: list[Server] = [service.stack.actions, service.stack.rasa, service.gateway]
    for server in servers:
        if server.process is not None and server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGCONT)
        else:
            server.restart()


def kill(server: Server) -> None:
    """SIGKILL: no clean-up, no goodbye, exactly what a crash or the OOM killer does."""
    assert server.process is not None
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait()


# -- the widget's side ---------------------------------------------------------------------------


def message(step: tuple[str, str | None]) -> dict[str, Any]:
    shown, payload = step
    return {"type": "message", "text": shown} | ({"payload": payload} if payload else {})


class Tab:
    """One widget tab on the gateway's socket (docs/widget-protocol.md)."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, session: dict[str, Any]) -> None:
        self.ws = ws
        self.session = session

    @property
    def id(self) -> str:
        return self.session["id"]

    async def send(self, step: tuple[str, str | None]) -> list[dict[str, Any]]:
        await self.ws.send_json(message(step))
        return await self.answer()

    async def answer(self) -> list[dict[str, Any]]:
        """Frames until the bot has finished answering, an error frame, the socket closing
        (a {"type": "closed"} entry) or ANSWER_WAIT seconds of silence."""
        frames: list[dict[str, Any]] = []
        answered = False
        while True:
            try:
                # wait_for: aiohttp restarts receive's own timeout at every ping of the gateway.
                received = await asyncio.wait_for(self.ws.receive(), ANSWER_WAIT)
            except asyncio.TimeoutError:
                return frames
            if received.type != aiohttp.WSMsgType.TEXT:
                return [*frames, {"type": "closed"}]
            frame = json.loads(received.data)
            frames.append(frame)
            if frame["type"] == "error":
                return frames
            answered = answered or frame["type"] == "bot"
            if frame["type"] == "typing" and not frame["on"] and answered:
                return frames

    async def run(self, steps: list[tuple[str, str | None]]) -> None:
        for step in steps:
            frames = await self.send(step)
            assert bot_texts(frames), f"no answer to {step[0]!r}: {frames}"


@asynccontextmanager
async def tab(url: str, session_id: str | None = None) -> AsyncIterator[Tab]:
    async with aiohttp.ClientSession() as http, http.ws_connect(f"{url}/chat/ws") as ws:
        await ws.send_json({"type": "hello", "session": session_id})
        session = await ws.receive_json(timeout=60)
        assert session["type"] == "session", session
        yield Tab(ws, session)


def bot_texts(frames: list[dict[str, Any]]) -> list[str]:
    return [f["text"] for f in frames if f["type"] == "bot"]


def errors(frames: list[dict[str, Any]]) -> list[str]:
    return [f["text"] for f in frames if f["type"] == "error"]


def references_told(frames: list[dict[str, Any]]) -> set[str]:
    return {reference for said in bot_texts(frames) for reference in REFERENCE.findall(said)}


def assert_clear_answer(frames: list[dict[str, Any]]) -> None:
    """Either the bot answered, or the user read one of the clear failure texts."""
    said = [*bot_texts(frames), *errors(frames)]
    assert said, f"silence: {frames}"
    assert not errors(frames) or set(errors(frames)) <= CLEAR_FAILURES, errors(frames)


async def at_summary(url: str) -> str:
    """A new conversation taken through the checklist and the intake to the summary question."""
    async with tab(url) as user:
        await user.run(STEPS[:-1])
        return user.id


async def retry_until_submitted(url: str, conversation: str) -> set[str]:
    """What a user does after a failure: say yes again (or "lämna in" when the bot asks for it),
    a few times at most. Returns the references the bot told."""
    told: set[str] = set()
    step = SUBMIT
    async with tab(url, conversation) as user:
        for _ in range(4):
            frames = await user.send(step)
            assert_clear_answer(frames)
            told |= references_told(frames)
            if told:
                return told
            asked = bot_texts(frames)
            step = ("lämna in", None) if say("utter_intake_submit_failed") in asked else SUBMIT
    return told


# -- what is stored ------------------------------------------------------------------------------


@dataclass
class Stored:
    reference: str
    record: dict[str, Any]
    transcript: list[dict[str, Any]]
    history: int


def stored(engine: Engine, conversation: str) -> list[Stored]:
    """Every initiative of the conversation (given by the tab's secret, stored under its
    reference), read straight from the tables the submit writes."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT i.reference, i.record, i.transcript, COUNT(h.id) AS history "
                "FROM iop_initiatives i LEFT JOIN iop_status_history h ON h.initiative_id = i.id "
                "WHERE i.conversation_id = :c GROUP BY i.id ORDER BY i.id"
            ),
            {"c": conversation_reference(conversation)},  # the tab holds the secret
        ).all()
        orphans = connection.execute(
            text(
                "SELECT COUNT(*) FROM iop_status_history h "
                "LEFT JOIN iop_initiatives i ON i.id = h.initiative_id WHERE i.id IS NULL"
            )
        ).scalar_one()
    assert orphans == 0, "status history without its initiative"
    return [
        Stored(r.reference, json.loads(r.record), json.loads(r.transcript), r.history) for r in rows
    ]


def assert_complete(entry: Stored, conversation: str) -> None:
    """All of it, or it does not count: record, documents, declaration, transcript, history."""
    record = entry.record
    assert problems(record) == []
    assert record["reference"] == entry.reference
    assert record["conversation_id"] == conversation_reference(conversation)
    assert record["organisation"]["name"] == ORGANISATION[0]
    assert record["organisation"]["orgnr"] == ORGANISATION[1]
    assert record["contact"]["email"] == CONTACT[2]
    assert record["contact"]["phone"] == "+46701234567"
    assert len(record["documents"]) == DOCUMENTS
    assert record["declaration"]["status"] == "signed"
    assert record["privacy_notice"]["version"] == MORA.privacy_notice_version
    assert any(t["text"] == ORGANISATION[1] for t in entry.transcript)
    assert entry.history == 1


def assert_exactly_one(engine: Engine, conversation: str, told: set[str]) -> None:
    mine = stored(engine, conversation)
    assert len(mine) == 1, [m.reference for m in mine]
    assert_complete(mine[0], conversation)
    assert told == {mine[0].reference}, "the user was told another reference than the stored one"


# -- fault injection in the database -------------------------------------------------------------

PAUSE_SECONDS = 3
PAUSE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION iop_fault_pause() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_sleep({PAUSE_SECONDS}); RETURN NEW; END $$
"""
# Inside the submit: the initiative row is written, its status history not yet.
PAUSE_INSIDE = (
    "CREATE TRIGGER iop_fault BEFORE INSERT ON iop_status_history "
    "FOR EACH ROW EXECUTE FUNCTION iop_fault_pause()"
)
# At COMMIT: a deferred trigger runs as the commit begins. A client killed now leaves the
# server to finish the commit, so the record is stored but the action server never answers.
PAUSE_AT_COMMIT = (
    "CREATE CONSTRAINT TRIGGER iop_fault AFTER INSERT ON iop_status_history "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION iop_fault_pause()"
)


@dataclass(frozen=True)
class Hold:
    """Holds the submit at one point in the database, so that a kill lands there for certain:
    with a pausing trigger on `table`, or else with `table` locked before the submit's first
    query. `stored` is how many records that point leaves behind (0 or 1, never half of one)."""

    table: str
    stored: int
    trigger: str | None = None


@contextmanager
def holding(engine: Engine, hold: Hold) -> Iterator[str]:
    """Set the hold up; yields the pg_stat_activity condition of a submit caught in it."""
    if hold.trigger is None:
        with engine.connect() as holder, holder.begin():
            holder.execute(text(f"LOCK TABLE {hold.table} IN ACCESS EXCLUSIVE MODE"))
            yield f"wait_event_type = 'Lock' AND query LIKE '%{hold.table}%'"
        return
    execute(engine, PAUSE_FUNCTION, hold.trigger)
    try:
        yield "wait_event = 'PgSleep'"
    finally:
        # Waits for the paused transaction to end, so what follows sees its outcome.
        execute(engine, f"DROP TRIGGER iop_fault ON {hold.table}")


def execute(engine: Engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def wait_for_backend(engine: Engine, condition: str, seconds: float = 60) -> str:
    """The query of the first server process matching `condition` (pg_stat_activity)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT query FROM pg_stat_activity "
                    f"WHERE pid <> pg_backend_pid() AND {condition}"
                )
            ).first()
        if found:
            return found.query
        time.sleep(0.005)
    raise AssertionError(f"no server process with {condition} within {seconds} s")


# -- 1. the action server killed during the submission -------------------------------------------


KILL_POINTS: dict[str, float | Hold] = {
    # After the final "ja" is sent: wherever the machine's speed puts the kill.
    "0ms": 0.0,
    "5ms": 0.005,
    "50ms": 0.05,
    "200ms": 0.2,
    # Inside the submit action, for certain.
    "submit-before-writing": Hold("iop_initiatives", stored=0),
    "submit-half-written": Hold("iop_status_history", stored=0, trigger=PAUSE_INSIDE),
    "submit-committed-not-answered": Hold("iop_status_history", stored=1, trigger=PAUSE_AT_COMMIT),
}


@pytest.mark.parametrize("point", KILL_POINTS.values(), ids=KILL_POINTS.keys())
def test_killing_the_action_server_during_submission_then_retrying_stores_exactly_one(
    service: Service, point: float | Hold
) -> None:
    """Wherever the kill lands, the user hears something true and a retry leaves one record."""
    engine, actions = service.engine, service.stack.actions
    conversation = asyncio.run(at_summary(service.url))

    async def submit_and_kill(caught: str | None) -> list[dict[str, Any]]:
        async with tab(service.url, conversation) as user:
            await user.ws.send_json(message(SUBMIT))
            if caught is None:
                assert isinstance(point, float)
                await asyncio.sleep(point)
            else:
                await asyncio.to_thread(wait_for_backend, engine, caught)
            kill(actions)
            return await user.answer()

    if isinstance(point, Hold):
        with holding(engine, point) as caught:
            first = asyncio.run(submit_and_kill(caught))
    else:
        first = asyncio.run(submit_and_kill(None))
    assert_clear_answer(first)
    before_retry = stored(engine, conversation)
    assert len(before_retry) <= 1
    for entry in before_retry:
        assert_complete(entry, conversation)
    # A confirmation is only ever given for a record that is stored.
    assert references_told(first) <= {entry.reference for entry in before_retry}
    if isinstance(point, Hold):
        assert len(before_retry) == point.stored
        assert errors(first), f"the action server died without answering: {first}"

    actions.start()
    told = asyncio.run(retry_until_submitted(service.url, conversation))
    assert told, "the retry never reached a submitted initiative"
    assert_exactly_one(engine, conversation, told | references_told(first))


# -- 2. the action server stalled ----------------------------------------------------------------


# Known gaps in the gateway (bot/web, not changed here), reported with these tests: the socket
# is dropped instead of an error frame being sent. Once fixed, these branches are never taken
# and the tests assert the error frame itself; then delete them.
def test_a_stalled_action_server_gives_a_clear_error_and_the_user_can_carry_on(
    service: Service,
) -> None:
    """SIGSTOP: the process is alive and accepts connections but never answers, which only a
    timeout can catch. The gateway gives up after 60 s (bot/web/rasa_client.py); Rasa itself
    would wait five minutes for the action server (rasa.core.constants.DEFAULT_REQUEST_TIMEOUT,
    not settable in Rasa 3.6)."""
    actions = service.stack.actions
    assert actions.process is not None
    answer = (ORGANISATION[0], None)
    before_answer = STEPS[: STEPS.index(answer)]  # the checklist, then "ja" to the intake
    conversation = ""

    async def stall() -> list[dict[str, Any]]:
        nonlocal conversation
        async with tab(service.url) as user:
            conversation = user.id
            await user.run(before_answer)
            os.killpg(actions.process.pid, signal.SIGSTOP)
            try:
                sent = time.monotonic()
                stalled = await user.send(answer)
                # Held until the gateway has given up, so a late answer cannot slip through.
                await asyncio.sleep(max(0.0, sent + GATEWAY_TIMEOUT + 5 - time.monotonic()))
            finally:
                os.killpg(actions.process.pid, signal.SIGCONT)
            return stalled

    async def retry() -> list[dict[str, Any]]:
        async with tab(service.url, conversation) as user:  # as the widget does after a drop
            return await user.send(answer)

    stalled = asyncio.run(stall())
    retried = asyncio.run(retry())
    assert not bot_texts(stalled)
    # "Not sent" was true: the answer given again is taken as the first, and the intake goes on.
    assert bot_texts(retried) == [say("utter_intake_q_org_number")]
    assert errors(stalled) == [NOT_SENT]


# -- 3. PostgreSQL down at the submit ------------------------------------------------------------


def test_database_down_before_the_submit_gives_a_clear_answer_and_a_retry_stores_one(
    service: Service,
) -> None:
    """PostgreSQL holds the queue, Rasa's conversations and the gateway's handoffs, so with it
    gone nothing can be handled; the user must still read that nothing was sent."""
    conversation = asyncio.run(at_summary(service.url))

    async def submit() -> list[dict[str, Any]]:
        async with tab(service.url, conversation) as user:
            service.postgres.stop()
            try:
                return await user.send(SUBMIT)
            finally:
                service.postgres.start()

    first = asyncio.run(submit())
    assert not references_told(first)
    assert stored(service.engine, conversation) == []
    told = asyncio.run(retry_until_submitted(service.url, conversation))
    assert_exactly_one(service.engine, conversation, told)
    assert_clear_answer(first)
    assert errors(first), "the gateway cannot reach anything, so it must say so itself"


def test_database_lost_during_the_submit_gives_a_clear_answer_and_a_retry_stores_one(
    service: Service,
) -> None:
    """PostgreSQL goes away while the action server is inside the submit: the conversation was
    read and the bot is running the submit action when the queue's query fails."""
    engine = service.engine
    conversation = asyncio.run(at_summary(service.url))

    async def submit() -> list[dict[str, Any]]:
        async with tab(service.url, conversation) as user:
            holder = engine.connect()
            try:
                holder.begin()
                holder.execute(text("LOCK TABLE iop_initiatives IN ACCESS EXCLUSIVE MODE"))
                await user.ws.send_json(message(SUBMIT))
                await asyncio.to_thread(
                    wait_for_backend,
                    engine,
                    "wait_event_type = 'Lock' AND query LIKE '%iop_initiatives%'",
                )
                service.postgres.stop()
            finally:
                with contextlib.suppress(Exception):
                    holder.close()
            try:
                return await user.answer()
            finally:
                service.postgres.start()

    first = asyncio.run(submit())
    assert not references_told(first)
    assert stored(engine, conversation) == []
    told = asyncio.run(retry_until_submitted(service.url, conversation))
    assert_exactly_one(engine, conversation, told)
    assert_clear_answer(first)
    # The submit action's own answer: not sent, what was filled in is kept, how to try again.
    assert bot_texts(first) == [say("utter_intake_submit_failed")]


# -- 4. every process restarted mid-conversation -------------------------------------------------


def test_a_restart_of_every_process_mid_conversation_loses_nothing_the_user_gave(
    service: Service,
) -> None:
    """Gateway, Rasa, action server and PostgreSQL all go down after the organisation and the
    contact person are given; the same tab id picks the conversation up where it was."""
    half = STEPS.index((CONTACT[-1], None)) + 1

    async def first_half() -> tuple[str, str]:
        async with tab(service.url) as user:
            await user.run(STEPS[: half - 1])
            last = await user.send(STEPS[half - 1])
            return user.id, bot_texts(last)[-1]

    conversation, last_question = asyncio.run(first_half())
    servers: list[Server] = [service.gateway, service.stack.rasa, service.stack.actions]
    for server in servers:
        server.stop()
    service.postgres.stop()
    service.postgres.start()
    for server in reversed(servers):
        server.start()

    async def second_half() -> tuple[list[dict[str, Any]], str, set[str]]:
        async with tab(service.url, conversation) as user:
            next_question = bot_texts(await user.send(STEPS[half]))[-1]
            await user.run(STEPS[half + 1 : -1])
            told = references_told(await user.send(SUBMIT))
            return user.session["history"], next_question, told

    history, next_question, told = asyncio.run(second_half())
    said = [entry["text"] for entry in history if entry["from"] == "user"]
    assert said == [shown for shown, _ in STEPS[:half]]
    assert last_question == say("utter_intake_q_challenge")
    assert (history[-1]["from"], history[-1]["text"]) == ("bot", last_question)
    assert next_question == say("utter_intake_q_purpose")
    assert_exactly_one(service.engine, conversation, told)
    record = stored(service.engine, conversation)[0].record
    assert record["organisation"]["legal_form"] == "ideell_forening"
    assert record["organisation"]["member_count"] == 340
    assert [record["contact"]["name"], record["contact"]["role"]] == CONTACT[:2]
    assert [a["answer"] for a in record["checklist"]["answers"]] == ["ja"] * len(MORA.criteria)
