"""The widget socket's rate limits (issue 13, item 10): per connection and per address, in
bounded memory, forgiving a client that waits; a process on the gateway's own host is not
limited."""

from __future__ import annotations

from bot.web.limits import ChatLimits, Rate
from bot.web.rate_limits import ChatLimiter, address_key

LIMITS = ChatLimits(
    connection_messages=Rate(burst=3, every=2.0),
    connection_hellos=Rate(burst=2, every=10.0),
    address_messages=Rate(burst=5, every=1.0),
    address_hellos=Rate(burst=3, every=1.0),
    max_addresses=4,
)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_connection_gets_its_burst_then_waits_and_is_forgiven() -> None:
    clock = Clock()
    limiter = ChatLimiter(LIMITS, clock)
    tab = limiter.connection("203.0.113.5")
    assert [limiter.allow_message(tab) for _ in range(3)] == [0, 0, 0]
    assert limiter.allow_message(tab) == 2.0  # seconds until the next one
    assert limiter.allow_message(tab) == 2.0  # a refused message costs nothing
    clock.now += 2.0
    assert limiter.allow_message(tab) == 0
    assert limiter.allow_message(tab) > 0


def test_many_connections_from_one_address_share_its_limit() -> None:
    limiter = ChatLimiter(LIMITS, Clock())
    tabs = [limiter.connection("203.0.113.5") for _ in range(10)]
    allowed = sum(limiter.allow_message(tab) == 0 for tab in tabs for _ in range(3))
    assert allowed == 5
    other = limiter.connection("198.51.100.7")  # someone else is not affected
    assert limiter.allow_message(other) == 0


def test_hellos_are_limited_apart_from_messages() -> None:
    limiter = ChatLimiter(LIMITS, Clock())
    tabs = [limiter.connection("203.0.113.5") for _ in range(5)]
    assert sum(limiter.allow_hello(tab) == 0 for tab in tabs) == 3
    assert limiter.allow_message(tabs[0]) == 0
    one = limiter.connection("198.51.100.7")
    assert [limiter.allow_hello(one) == 0 for _ in range(3)] == [True, True, False]


def test_memory_is_bounded_by_forgetting_the_least_recently_seen() -> None:
    limiter = ChatLimiter(LIMITS, Clock())
    for number in range(1000):
        limiter.allow_hello(limiter.connection(f"10.0.{number // 256}.{number % 256}"))
    assert limiter.remembered() == LIMITS.max_addresses


def test_an_ipv6_client_is_its_slash_64() -> None:
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:203.0.113.5") == "203.0.113.5"
    limiter = ChatLimiter(LIMITS, Clock())
    tabs = [limiter.connection(f"2001:db8:1:2::{n:x}") for n in range(10)]
    assert sum(limiter.allow_hello(tab) == 0 for tab in tabs) == 3


def test_the_gateways_own_host_is_not_limited() -> None:
    limiter = ChatLimiter(LIMITS, Clock())
    tab = limiter.connection("127.0.0.1")
    assert all(limiter.allow_message(tab) == 0 for _ in range(100))
    assert limiter.remembered() == 0


def test_new_sockets_from_one_address_wait_their_turn_within_a_bound() -> None:
    limits = ChatLimits(address_connections=Rate(burst=2, every=1.0))
    limiter = ChatLimiter(limits, Clock())
    waits = [limiter.connect_wait("203.0.113.5", longest=3.0) for _ in range(7)]
    assert waits == [0, 0, 1.0, 2.0, 3.0, 3.0, 3.0]  # booked in turn; never more than 3 s
    assert limiter.connect_wait("198.51.100.7", longest=3.0) == 0


def test_a_client_that_keeps_pushing_waits_longer_each_time() -> None:
    limiter = ChatLimiter(LIMITS, Clock())
    tab = limiter.connection("203.0.113.5")
    pauses = [tab.pause(0.1, (1.0, 10.0)) for _ in range(6)]
    assert 0.8 <= pauses[0] <= 1.0 and 8.0 <= pauses[-1] <= 10.0
    assert limiter.allow_message(tab) == 0 and tab.strikes == 0  # forgiven once it waits
