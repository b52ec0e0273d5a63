"""Login throttling (issue 13, item 4): bounded memory, expiry, per (username, address), per
address, a softer per-username limit that spaces attempts out instead of locking the caseworker
out, refusal before any password is hashed, hashing on a pool of its own, and X-Forwarded-For
believed only from a trusted proxy."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.web.app_keys import CONSOLE_SESSIONS, ENGINE, LOGIN_THROTTLE, SETTINGS
from bot.web.console import auth
from bot.web.console.auth import LoginBlocked, client_address, log_in
from bot.web.console.throttle import LoginThrottle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def throttle(clock: Clock, **limits: Any) -> LoginThrottle:
    return LoginThrottle(clock=clock, **limits)


def fail(t: LoginThrottle, username: str, address: str, times: int = 1) -> None:
    for _ in range(times):
        assert t.begin(username, address).allowed


def test_five_failures_refuse_that_username_from_that_address_only() -> None:
    t = throttle(Clock())
    fail(t, "anna", "203.0.113.9", 5)
    assert t.begin("anna", "203.0.113.9").reason == "pair"
    assert t.begin("ANNA ", "203.0.113.9").reason == "pair"  # same username, folded
    assert t.begin("anna", "198.51.100.7").allowed  # the real Anna, elsewhere
    assert t.begin("bo", "203.0.113.9").allowed  # another caseworker from the same address


def test_a_success_clears_the_pair_and_does_not_count() -> None:
    t = throttle(Clock())
    fail(t, "anna", "10.0.0.1", 4)
    assert t.begin("anna", "10.0.0.1").allowed
    t.succeeded("anna", "10.0.0.1")
    fail(t, "anna", "10.0.0.1", 4)
    assert t.begin("anna", "10.0.0.1").allowed


def test_many_usernames_from_one_address_are_refused() -> None:
    t = throttle(Clock(), address_limit=20)
    for index in range(20):
        fail(t, f"user{index}", "203.0.113.9")
    verdict = t.begin("anna", "203.0.113.9")
    assert not verdict.allowed and verdict.reason == "address" and verdict.wait > 0


def test_failures_expire_and_their_keys_are_forgotten() -> None:
    clock = Clock()
    t = throttle(clock, window=900)
    fail(t, "anna", "203.0.113.9", 5)
    assert not t.begin("anna", "203.0.113.9").allowed
    clock.now += 901
    assert t.begin("anna", "203.0.113.9").allowed
    clock.now += 901
    t.begin("bo", "10.0.0.1")  # any use prunes what has expired
    assert t.tracked_keys() == 3  # only bo's pair, address and username


def test_memory_is_bounded_however_many_names_are_tried() -> None:
    t = throttle(Clock(), max_keys=100, address_limit=10**9)
    for index in range(5_000):
        t.begin(f"{index}-" + "x" * 1_000, f"10.{index // 256 % 256}.{index % 256}.1")
    assert t.tracked_keys() <= 5 * 100


def test_usernames_are_not_kept_in_clear() -> None:
    t = throttle(Clock())
    t.begin("anna.berg@mora.se", "10.0.0.1")
    t.succeeded("anna.berg@mora.se", "10.0.0.1")
    held = repr(vars(t)) + "".join(
        repr(vars(v)) for v in vars(t).values() if hasattr(v, "__dict__")
    )
    assert "10.0.0.1" in held  # the check can see what is kept…
    assert "anna" not in held.lower()  # …and the username is only a keyed hash


def test_one_username_from_many_addresses_is_slowed_not_locked() -> None:
    clock = Clock()
    t = throttle(clock, user_soft_limit=10, max_delay=30)
    for index in range(10):
        fail(t, "anna", f"203.0.113.{index}")
    waits = []
    for index in range(10, 20):  # a guesser with many addresses, all at once
        verdict = t.begin("anna", f"203.0.113.{index}")
        if not verdict.allowed:
            assert verdict.reason == "user"
            break
        waits.append(verdict.wait)
    assert waits[0] == 0 and waits == sorted(waits) and waits[-1] <= 30
    assert len(waits) < 10  # spaced out: the rest are refused, not queued for ever
    # After a minute the account is open again, one attempt per slot.
    clock.now += 120
    assert t.begin("anna", "198.51.100.7").allowed


def test_the_caseworkers_known_address_skips_the_soft_limits() -> None:
    clock = Clock()
    t = throttle(clock, user_soft_limit=3, address_limit=3, max_delay=5)
    assert t.begin("anna", "198.51.100.7").allowed
    t.succeeded("anna", "198.51.100.7")  # Anna logged in from her office before
    for index in range(20):
        t.begin("anna", f"203.0.113.{index}")  # then someone guesses from everywhere
    for index in range(3):
        t.begin(f"other{index}", "198.51.100.7")  # and colleagues mistype on the same address
    verdict = t.begin("anna", "198.51.100.7")
    assert verdict.allowed and verdict.wait == 0


# -- log_in: refused before hashing, hashing on its own pool -----------------------------------


@dataclass
class Sessions:
    def start(self, username: str, available: bool = True, line: Any = None) -> Any:
        return type("Session", (), {"token": f"token-{username}"})()


@dataclass
class FakeRequest:
    remote: str = "127.0.0.1"
    headers: dict[str, str] = field(default_factory=dict)
    app: dict[Any, Any] = field(default_factory=dict)


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def authenticate(engine: Any, username: str, password: str) -> Any:
        calls.append(threading.current_thread().name)
        if password == "rätt":
            return type("Account", (), {"username": username})()
        return None

    monkeypatch.setattr(auth, "authenticate", authenticate)
    return calls


def request_from(address: str, t: LoginThrottle) -> FakeRequest:
    return FakeRequest(
        headers={"X-Forwarded-For": address},
        app={LOGIN_THROTTLE: t, ENGINE: None, CONSOLE_SESSIONS: Sessions()},
    )


async def test_attempts_over_the_limit_are_refused_before_hashing(hashes: list[str]) -> None:
    t = LoginThrottle()
    for _ in range(5):
        assert await log_in(request_from("203.0.113.9", t), "anna", "fel") is None
    assert len(hashes) == 5
    for _ in range(50):
        with pytest.raises(LoginBlocked) as blocked:
            await log_in(request_from("203.0.113.9", t), "anna", "fel")
    assert len(hashes) == 5  # not one more scrypt
    assert "försök igen" in blocked.value.message
    assert await log_in(request_from("198.51.100.7", t), "anna", "rätt") == "token-anna"


async def test_hashing_runs_on_its_own_small_pool(hashes: list[str]) -> None:
    await log_in(request_from("10.0.0.1", LoginThrottle()), "anna", "fel")
    assert hashes[0].startswith("login-scrypt")
    assert auth.hashing_pool()._max_workers == auth.HASHING_THREADS


# -- the client's address ------------------------------------------------------------------------


def test_x_forwarded_for_is_believed_from_loopback_only() -> None:
    assert client_address(FakeRequest("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"})) == (
        "203.0.113.9"
    )
    assert client_address(FakeRequest("::1", {"X-Forwarded-For": "203.0.113.9"})) == "203.0.113.9"
    spoofed = FakeRequest("198.51.100.7", {"X-Forwarded-For": "10.9.9.9"})
    assert client_address(spoofed) == "198.51.100.7"
    assert client_address(FakeRequest("127.0.0.1")) == "127.0.0.1"


def test_the_last_untrusted_hop_is_the_client() -> None:
    # nginx appends the address it saw; anything before it was written by the client.
    forged = FakeRequest("127.0.0.1", {"X-Forwarded-For": "1.2.3.4, 203.0.113.9"})
    assert client_address(forged) == "203.0.113.9"
    chained = FakeRequest("127.0.0.1", {"X-Forwarded-For": "203.0.113.9, 127.0.0.1"})
    assert client_address(chained) == "203.0.113.9"


def test_a_configured_trusted_proxy_replaces_loopback() -> None:
    settings = type("Settings", (), {"trusted_proxies": ("10.0.0.0/8",)})()
    behind = FakeRequest("10.1.2.3", {"X-Forwarded-For": "203.0.113.9"}, {SETTINGS: settings})
    assert client_address(behind) == "203.0.113.9"
    local = FakeRequest("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, {SETTINGS: settings})
    assert client_address(local) == "127.0.0.1"
