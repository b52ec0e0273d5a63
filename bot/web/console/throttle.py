"""Throttling failed console logins, with bounded memory, so that guessing a password is slow
and a stranger cannot lock a caseworker out.

Three counters of recent attempts, each kept for `window` seconds and for at most `max_keys`
keys (the least recently touched key is dropped first):

- per (username, address): `pair_limit` failed attempts, then that address may not try that
  username again until the oldest failure is `window` old. This is the hard limit; only the
  caseworker's own address (or a shared one) is affected.
- per address: `address_limit` failed attempts over all usernames, then the address is refused
  (stops one address trying many usernames, and filling the other counters).
- per username, over all addresses: after `user_soft_limit` failures, attempts on that username
  are spaced out – each waits for its own slot, 1, 2, 4 … up to `max_delay` seconds after the
  previous one – and an attempt that would wait longer than `max_delay` is refused with "try
  again in a minute". Addresses the caseworker has logged in from (kept `known_for` seconds)
  skip this and the address limit, so someone guessing from elsewhere cannot keep the real user
  out.

An attempt is counted as a failure when it starts and taken back when it succeeds, so many
attempts sent at once are counted too. Usernames are kept only as a short keyed hash, never in
clear, and at a fixed size however long the typed text is.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.web.texts import UNKNOWN_ADDRESS

PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
USER_SOFT_LIMIT = 10
WINDOW_SECONDS = 15 * 60
MAX_DELAY_SECONDS = 30.0
KNOWN_ADDRESS_SECONDS = 30 * 24 * 3600
MAX_KEYS = 10_000
MAX_ADDRESS_LENGTH = 64


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    wait: float = 0.0  # allowed: seconds to wait before checking the password; else retry after
    reason: str = "ok"  # "ok", "pair", "address", "user"


class RecentEvents:
    """Timestamps of recent events per key: older than `window` forgotten, at most `depth` per
    key, at most `max_keys` keys (the key touched longest ago is dropped first)."""

    def __init__(
        self, window: float, depth: int, max_keys: int, clock: Callable[[], float]
    ) -> None:
        self.window = window
        self.depth = max(depth, 1)
        self.max_keys = max_keys
        self._clock = clock
        self._events: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._events)

    def count(self, key: Hashable) -> int:
        self.prune()
        events = self._events.get(key)
        if events is None:
            return 0
        cutoff = self._clock() - self.window
        while events and events[0] <= cutoff:
            events.popleft()
        return len(events)

    def oldest(self, key: Hashable) -> float | None:
        events = self._events.get(key)
        return events[0] if events else None

    def add(self, key: Hashable) -> None:
        self.prune()
        events = self._events.get(key)
        if events is None:
            events = self._events[key] = deque(maxlen=self.depth)
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)
        else:
            self._events.move_to_end(key)
        events.append(self._clock())

    def take_back(self, key: Hashable) -> None:
        events = self._events.get(key)
        if events:
            events.pop()
            if not events:
                del self._events[key]

    def clear(self, key: Hashable) -> None:
        self._events.pop(key, None)

    def prune(self) -> None:
        """Drop keys whose newest event has expired; the least recently touched come first."""
        cutoff = self._clock() - self.window
        while self._events:
            key, events = next(iter(self._events.items()))
            if events and events[-1] > cutoff:
                break
            del self._events[key]


class LoginThrottle:
    """Decides, before any password is hashed, whether a login attempt may go ahead."""

    def __init__(
        self,
        *,
        pair_limit: int = PAIR_LIMIT,
        address_limit: int = ADDRESS_LIMIT,
        user_soft_limit: int = USER_SOFT_LIMIT,
        window: float = WINDOW_SECONDS,
        max_delay: float = MAX_DELAY_SECONDS,
        known_for: float = KNOWN_ADDRESS_SECONDS,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.pair_limit = pair_limit
        self.address_limit = address_limit
        self.user_soft_limit = user_soft_limit
        self.max_delay = max_delay
        self._clock = clock
        self._salt = secrets.token_bytes(16)
        self._pairs = RecentEvents(window, pair_limit, max_keys, clock)
        self._addresses = RecentEvents(window, address_limit, max_keys, clock)
        self._users = RecentEvents(window, user_soft_limit + 16, max_keys, clock)
        self._known = RecentEvents(known_for, 1, max_keys, clock)
        self._next_slot: OrderedDict[bytes, float] = OrderedDict()
        self._max_keys = max_keys

    # -- the attempt -----------------------------------------------------------------------------

    def begin(self, username: str, address: str) -> Verdict:
        """May this attempt go ahead (and after how long a wait)? If so, it is counted as a
        failure until `succeeded` says otherwise."""
        user, address = self._user_key(username), _address_key(address)
        pair = (user, address)
        known = self._known.count(pair) > 0
        now = self._clock()
        if self._pairs.count(pair) >= self.pair_limit:
            return Verdict(False, self._retry_after(self._pairs, pair, now), "pair")
        if not known and self._addresses.count(address) >= self.address_limit:
            return Verdict(False, self._retry_after(self._addresses, address, now), "address")
        wait = 0.0
        failures = self._users.count(user)
        if not known and failures >= self.user_soft_limit:
            self._drop_past_slots(now)
            start = max(now, self._next_slot.get(user, now))
            wait = start - now
            if wait > self.max_delay:
                return Verdict(False, wait, "user")
            interval = min(2.0 ** (failures - self.user_soft_limit), self.max_delay)
            self._next_slot[user] = start + interval
            self._next_slot.move_to_end(user)
            while len(self._next_slot) > self._max_keys:
                self._next_slot.popitem(last=False)
        self._pairs.add(pair)
        self._addresses.add(address)
        self._users.add(user)
        return Verdict(True, wait)

    def succeeded(self, username: str, address: str) -> None:
        """The password was right: this attempt was no failure, and the address is now known."""
        user, address = self._user_key(username), _address_key(address)
        self._pairs.clear((user, address))
        self._addresses.take_back(address)
        self._users.take_back(user)
        self._known.add((user, address))

    # -- the older interface, kept for callers that check and count separately ------------------

    def blocked(self, username: str, address: str) -> bool:
        user, address = self._user_key(username), _address_key(address)
        return self._pairs.count((user, address)) >= self.pair_limit

    def tracked_keys(self) -> int:
        """How many keys are held in memory, over all counters (for tests and diagnostics)."""
        return (
            len(self._pairs)
            + len(self._addresses)
            + len(self._users)
            + len(self._known)
            + len(self._next_slot)
        )

    # -- helpers ---------------------------------------------------------------------------------

    def _user_key(self, username: str) -> bytes:
        folded = username.strip().lower().encode("utf-8", "replace")
        return hashlib.blake2b(folded, key=self._salt, digest_size=16).digest()

    def _retry_after(self, events: RecentEvents, key: Hashable, now: float) -> float:
        oldest = events.oldest(key)
        return max(1.0, (oldest + events.window - now) if oldest is not None else 1.0)

    def _drop_past_slots(self, now: float) -> None:
        while self._next_slot:
            key, slot = next(iter(self._next_slot.items()))
            if slot > now:
                break
            del self._next_slot[key]


def _address_key(address: str) -> str:
    return (address or UNKNOWN_ADDRESS)[:MAX_ADDRESS_LENGTH]
