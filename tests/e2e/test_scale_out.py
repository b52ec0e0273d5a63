"""The scale-out set-up (scripts/scale_out.py) end to end: the web gateway → nginx (sticky by
conversation) → two Rasa servers, each with its own action server, sharing PostgreSQL and a Redis
lock store. Whole conversations over the widget's socket, as scripts/load_test.py runs them.

The tests share one running set-up, in file order: the last one stops a Rasa server for good.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from bot.intake_queue.database import make_engine
from devstack.scale_out import Proxied, ScaleOut, scale_out_stack
from devstack.widget import Outcome, one_conversation, records_by_session, script
from tests.postgres import fresh_database

CONVERSATION_ROUTES = {"webhook", "tracker", "events", "trigger_intent"}


@pytest.fixture(scope="module")
def scale_out(tmp_path_factory, postgres_server) -> Iterator[ScaleOut]:
    database_url = fresh_database(postgres_server, "iop_scale_out")
    with scale_out_stack(tmp_path_factory.mktemp("scale_out"), database_url) as stack:
        yield stack


@pytest.fixture
def both_rasa_running(scale_out: ScaleOut) -> ScaleOut:
    """The earlier tests need both Rasa servers; the failover test stops one (it runs last)."""
    stopped = [s.url for s in scale_out.rasa if s.process is None or s.process.poll() is not None]
    assert not stopped, f"Rasa servers not running (failover test ran first?): {stopped}"
    return scale_out


def redis_command_calls(stack: ScaleOut) -> dict[str, int]:
    """How often Redis ran each command so far (INFO commandstats)."""
    stats = stack.redis.client().info("commandstats")
    return {name.removeprefix("cmdstat_"): int(value["calls"]) for name, value in stats.items()}


def stored(stack: ScaleOut, conversation: str) -> tuple[list[str], int]:
    """The references recorded for a conversation and the user messages in its tracker."""
    engine = make_engine(stack.database_url)
    with engine.connect() as connection:
        references = connection.execute(
            text("SELECT reference FROM iop_initiatives WHERE conversation_id = :c"),
            {"c": conversation},
        ).scalars()
        user_events = connection.execute(
            text("SELECT COUNT(*) FROM events WHERE sender_id = :c AND type_name = 'user'"),
            {"c": conversation},
        ).scalar_one()
        result = list(references), int(user_events)
    engine.dispose()
    return result


def since(stack: ScaleOut, baseline: int, routes: set[str] = CONVERSATION_ROUTES) -> list[Proxied]:
    return [r for r in stack.proxied()[baseline:] if r.route in routes]


async def wait_for_requests(
    stack: ScaleOut, baseline: int, route: str, count: int, tasks: list[asyncio.Task]
) -> None:
    """Until nginx passed on `count` `route` requests since `baseline`, or every task ended."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not all(t.done() for t in tasks):
        if len(since(stack, baseline, {route})) >= count:
            return
        await asyncio.sleep(0.2)


async def conversations_over_both_servers(
    stack: ScaleOut, first: int = 3, at_most: int = 12
) -> list[Outcome]:
    """`first` conversations at once, plus one more at a time while all have landed on the same
    Rasa server: the consistent hash of random session ids puts three on one server one time in
    four, and the point here is that both servers share the work. A conversation's first call
    to Rasa (a "tracker" read when its socket says hello) shows where it landed."""
    steps = script()
    baseline = len(stack.proxied())
    tasks = [asyncio.create_task(one_conversation(stack.url, steps)) for _ in range(first)]
    while len(tasks) < at_most:
        await wait_for_requests(stack, baseline, "tracker", len(tasks), tasks)
        if len({r.served_by for r in since(stack, baseline, {"tracker"})}) >= 2:
            break
        tasks.append(asyncio.create_task(one_conversation(stack.url, steps)))
    return list(await asyncio.gather(*tasks))


def test_nothing_listens_beyond_loopback(both_rasa_running: ScaleOut) -> None:
    stack = both_rasa_running
    servers = [stack.redis, stack.nginx, stack.gateway, *stack.rasa, *stack.actions]
    pids = {s.process.pid for s in servers if s.process is not None}
    listening = subprocess.run(
        ["ss", "-Hltnp"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    ours = [
        line.split()[3]
        for line in listening
        if any(f"pid={pid}," in line for pid in pids) and len(line.split()) > 3
    ]
    assert len(ours) >= len(servers), listening
    assert all(address.startswith("127.0.0.1:") for address in ours), ours


async def test_concurrent_conversations_share_both_servers_and_redis_locks(
    both_rasa_running: ScaleOut,
) -> None:
    stack = both_rasa_running
    redis_before = redis_command_calls(stack)
    baseline = len(stack.proxied())

    outcomes = await conversations_over_both_servers(stack)

    steps = len(script())
    records = records_by_session(stack.database_url)
    for outcome in outcomes:
        assert outcome.errors == [], outcome
        assert len(outcome.latencies) == steps
        assert outcome.reference, f"no reference number for {outcome.conversation[:8]}…"
        references, user_messages = stored(stack, outcome.conversation)
        assert records.get(outcome.conversation) == 1
        assert references == [outcome.reference.rstrip(".")]
        assert user_messages == steps  # every message stored once: none lost, none doubled
    assert len({o.reference for o in outcomes}) == len(outcomes)

    proxied = since(stack, baseline)
    assert all(r.status == 200 for r in proxied), [r for r in proxied if r.status != 200]
    served = {r.served_by for r in proxied if r.route == "webhook"}
    assert served == {stack.upstream(s) for s in stack.rasa}, served

    # Rasa's RedisLockStore saves a ticket lock per message (SET) and removes it after (DEL).
    redis_after = redis_command_calls(stack)
    messages = steps * len(outcomes)
    assert redis_after.get("set", 0) - redis_before.get("set", 0) >= messages, redis_after
    assert redis_after.get("del", 0) - redis_before.get("del", 0) >= messages, redis_after


async def test_conversation_survives_losing_its_rasa_server(both_rasa_running: ScaleOut) -> None:
    stack = both_rasa_running
    steps = script()
    baseline = len(stack.proxied())
    conversation = asyncio.create_task(one_conversation(stack.url, steps))

    try:
        # Mid-conversation: once a third of the messages went through, stop the Rasa server that
        # had them. Until then every call for this conversation went to that one server (sticky).
        await wait_for_requests(stack, baseline, "webhook", len(steps) // 3, [conversation])
        assert not conversation.done(), "the conversation ended before its server was stopped"
        before = since(stack, baseline)
        assert len({r.served_by for r in before}) == 1, before
        lost_address = before[0].served_by
        (lost,) = [s for s in stack.rasa if stack.upstream(s) == lost_address]
        (other,) = [stack.upstream(s) for s in stack.rasa if s is not lost]
        stopped_at = len(stack.proxied())
        await asyncio.to_thread(lost.stop)
    except BaseException:
        conversation.cancel()
        raise

    outcome = await conversation
    assert outcome.errors == [], outcome
    assert len(outcome.latencies) == len(steps)
    assert outcome.reference, "no reference number after the failover"
    references, user_messages = stored(stack, outcome.conversation)
    assert references == [outcome.reference.rstrip(".")]
    assert user_messages == len(steps)  # nothing lost, nothing handled twice

    after = since(stack, stopped_at)
    assert all(r.status == 200 for r in after), after
    # nginx tried the stopped server first (the hash still points there) and went on to the
    # other; from then on the other server had the conversation (a message the stopping server
    # was already working on may finish there first).
    retried = [i for i, r in enumerate(after) if r.tried == (lost_address, other)]
    assert retried, after
    assert all(r.served_by == other for r in after[retried[0] :]), after
