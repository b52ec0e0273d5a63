"""Rate limits on the widget's socket, per connection and per client address, in bounded memory.

Token buckets: cheap, no timers, and a client that stops sending is forgiven by itself. The
per-address table is a least-recently-used dictionary of a fixed size (bot/web/limits.py), so a
flood of addresses cannot make it grow. A frame over a limit is answered with a friendly Swedish
text and the socket stays open.
"""

from __future__ import annotations

import ipaddress
import random
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.web.limits import ChatLimits, Rate

Clock = Callable[[], float]


def address_key(address: str) -> str:
    """What one client is: an IPv4 address, or an IPv6 /64 (one home or office gets a whole
    /64, so counting single IPv6 addresses would give a flood 2^64 fresh buckets)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


class Bucket:
    """`rate.burst` tokens at most; one more every `rate.every` seconds."""

    __slots__ = ("_stamp", "_tokens", "rate")

    def __init__(self, rate: Rate, now: float) -> None:
        self.rate = rate
        self._tokens = float(rate.burst)
        self._stamp = now

    def _refill(self, now: float) -> None:
        gained = max(0.0, now - self._stamp) / self.rate.every
        self._tokens = min(float(self.rate.burst), self._tokens + gained)
        self._stamp = now

    def has(self, now: float) -> bool:
        self._refill(now)
        return self._tokens >= 1.0

    def take(self, now: float) -> None:
        self._refill(now)
        self._tokens -= 1.0

    def reserve(self, now: float, longest: float) -> float:
        """Book the next token, even one not there yet: the seconds to wait for it. A booking
        further away than `longest` is not made (the caller waits `longest` and goes on), so the
        debt is bounded."""
        wait = self.wait(now)
        if wait <= longest:
            self._tokens -= 1.0
        return min(wait, longest)

    def wait(self, now: float) -> float:
        """Seconds until the next token."""
        self._refill(now)
        return max(0.0, (1.0 - self._tokens) * self.rate.every)


@dataclass
class _Address:
    connections: Bucket
    messages: Bucket
    hellos: Bucket


@dataclass
class ConnectionLimits:
    """One socket's own buckets, with the address it came from."""

    address: str
    frames: Bucket
    messages: Bucket
    hellos: Bucket
    strikes: int = 0  # frames in a row over a limit

    def pause(self, wait: float, bounds: tuple[float, float]) -> float:
        """How long not to read this socket after a frame over a limit: doubling per strike."""
        self.strikes += 1
        pause = min(max(wait, bounds[0]) * 2 ** min(self.strikes - 1, 6), bounds[1])
        # A little jitter, so that many sockets limited at once do not come back at once.
        return pause * random.uniform(0.8, 1.0)


@dataclass
class ChatLimiter:
    """The gateway's limits for /chat/ws; one per application."""

    limits: ChatLimits = field(default_factory=ChatLimits)
    clock: Clock = time.monotonic
    _addresses: OrderedDict[str, _Address] = field(default_factory=OrderedDict)

    def connection(self, address: str) -> ConnectionLimits:
        now = self.clock()
        return ConnectionLimits(
            address=address,
            frames=Bucket(self.limits.connection_frames, now),
            messages=Bucket(self.limits.connection_messages, now),
            hellos=Bucket(self.limits.connection_hellos, now),
        )

    def connect_wait(self, address: str, longest: float) -> float:
        """Seconds a new socket from this address waits before it is opened (0: at once)."""
        if self._exempt(address):
            return 0.0
        now = self.clock()
        return self._address(address_key(address), now).connections.reserve(now, longest)

    def allow_frame(self, connection: ConnectionLimits) -> float:
        """0 when one more frame of any kind may be read from this socket; else seconds."""
        if self._exempt(connection.address):
            return 0.0
        now = self.clock()
        if not connection.frames.has(now):
            return connection.frames.wait(now)
        connection.frames.take(now)
        return 0.0

    def allow_message(self, connection: ConnectionLimits) -> float:
        """0 when the message may go on (and it is counted); else seconds to wait."""
        return self._allow(connection, connection.messages, "messages")

    def allow_hello(self, connection: ConnectionLimits) -> float:
        """0 when a hello (a tracker read) may go on; else seconds to wait."""
        return self._allow(connection, connection.hellos, "hellos")

    def remembered(self) -> int:
        return len(self._addresses)

    def _allow(self, connection: ConnectionLimits, own: Bucket, kind: str) -> float:
        if self._exempt(connection.address):
            return 0.0
        now = self.clock()
        buckets = [own, getattr(self._address(address_key(connection.address), now), kind)]
        # Counted only when every bucket has room: a refused frame costs the client nothing,
        # so a person who waits is let through again.
        waits = [bucket.wait(now) for bucket in buckets if not bucket.has(now)]
        if waits:
            return max(waits)
        for bucket in buckets:
            bucket.take(now)
        connection.strikes = 0
        return 0.0

    def _address(self, address: str, now: float) -> _Address:
        entry = self._addresses.get(address)
        if entry is None:
            entry = _Address(
                connections=Bucket(self.limits.address_connections, now),
                messages=Bucket(self.limits.address_messages, now),
                hellos=Bucket(self.limits.address_hellos, now),
            )
            self._addresses[address] = entry
            while len(self._addresses) > self.limits.max_addresses:
                self._addresses.popitem(last=False)  # the least recently seen
        else:
            self._addresses.move_to_end(address)
        return entry

    def _exempt(self, address: str) -> bool:
        if not self.limits.exempt_loopback:
            return False
        try:
            return ipaddress.ip_address(address.strip("[]")).is_loopback
        except ValueError:
            return False
