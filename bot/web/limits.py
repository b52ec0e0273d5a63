"""Every limit of the widget's socket and of the gateway's wait for Rasa, in one place.

Why these numbers: Rasa is the scarce thing. It answers a few messages a second
(IOP_RASA_CONCURRENCY at a time, docs/benchmarks.md), and every `hello` costs a tracker read.
A person types a message every few seconds at most and clicks through the checklist's buttons
about once a second, so the per-connection limits are far above anything a person does, and the
per-address limits leave room for an office or a school behind one NAT address while keeping a
flood from one address to a small share of Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiohttp


@dataclass(frozen=True)
class Rate:
    """A token bucket: `burst` at once, then one more every `every` seconds."""

    burst: int
    every: float


@dataclass(frozen=True)
class ChatLimits:
    # New sockets from one address: each costs an HTTP upgrade. Over the limit, the upgrade
    # waits its turn (up to MAX_CONNECT_WAIT) instead of being refused: a loop of "open, hello,
    # close" slows to one socket a second, a person behind a busy NAT waits a moment.
    address_connections: Rate = Rate(burst=20, every=1.0)
    # Every frame of one socket, garbage included: each costs a parse and an answer, so a client
    # answered at once could keep the gateway's event loop busy on its own. A widget sends a
    # frame when the person does something.
    connection_frames: Rate = Rate(burst=20, every=0.5)
    # One socket (one tab). Ten quick clicks through the checklist, then one message every 2 s.
    connection_messages: Rate = Rate(burst=10, every=2.0)
    # `hello` and `restart` on one socket: the widget sends one hello per socket; "Börja om"
    # is clicked now and then.
    connection_hellos: Rate = Rate(burst=5, every=10.0)
    # One client address, all its sockets: about 30 people talking at once behind one NAT
    # address, each at two messages a minute, and ten of them at the same moment; a flood from
    # one address gets one message a second into Rasa's queue, a small share of what Rasa
    # serves. The burst is small because it is what a flood gets in at once, ahead of everyone.
    address_messages: Rate = Rate(burst=10, every=1.0)
    # Each hello costs a tracker read: a page view every two seconds from one address, after a
    # burst of ten (an office opening the page at nine).
    address_hellos: Rate = Rate(burst=10, every=2.0)
    # Bounded memory: at most this many addresses are remembered (the least recently seen is
    # forgotten first); each costs a few hundred bytes, so about 3 MB at most. A flood would
    # need this many addresses to make the gateway forget one of them.
    max_addresses: int = 10_000
    # A process on the gateway's own host (load tests, the e2e suite, a health check) could
    # talk to Rasa on loopback directly anyway, so it is not limited at all. Behind nginx each
    # client has its own address through X-Forwarded-For from the trusted proxy
    # (bot/web/proxies.py); a proxy that does not send the header would make everyone loopback.
    exempt_loopback: bool = True


# After a frame over a limit, the socket is not read for the wait the bucket names, within these
# bounds (seconds): the client waits for our answers, so a flood slows to the limits instead of
# keeping the gateway busy answering "too fast". The socket stays open.
# The pause doubles with each frame in a row over a limit, so a client that keeps pushing gets an
# answer every 10 s at most.
LIMITED_PAUSE = (1.0, 10.0)
MAX_CONNECT_WAIT = 30.0
# How long a user message may wait for one of Rasa's slots (IOP_RASA_CONCURRENCY) before the
# user is told that it was not sent: at normal load the wait is well under a second
# (docs/benchmarks.md); past 20 s the user is better told to try again than left waiting.
RASA_SLOT_WAIT = 20.0
# Rasa's answer to one call. An intake submission (PDF, database, outbox) can take several
# seconds on a busy server; a minute is the outer limit before the user is told.
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60, connect=5)
# Resuming the bot after a handoff: the attempts and the pauses between them (seconds). A
# restarting Rasa is back within a few seconds; after that the caseworker is told and the
# handoff stays open, so the conversation is never left paused without anyone knowing.
RESUME_PAUSES = (0.5, 1.0, 2.0)
