"""The widget's secret and the conversation reference everything else uses.

The browser holds a 256-bit random secret (the `id` of the `session` frame, kept in its
localStorage). Holding it is what makes a conversation yours, so it never leaves the gateway: Rasa's
sender id, the hub, handoffs, the database, the console, exports and logs all use the
conversation reference, a one-way function of the secret:

    reference = "s" + sha256("iop-lotsen/conversation/" + secret).hexdigest()[:32]

Nothing can be computed backwards from a reference, so one read in a registered export or on the
console opens nothing: sent in `hello`, a reference is not a well-formed secret (33 characters,
not 43) and gets a fresh secret and a new conversation. The gateway never stores a secret and
never compares one with a stored value: the reference is derived and looked up, so there is no
comparison whose timing could leak anything.
"""

from __future__ import annotations

import hashlib
import re
import secrets

SECRET_BYTES = 32  # 256 bits: nobody can guess another user's secret
SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")  # exactly what secrets.token_urlsafe(32) gives
REFERENCE = re.compile(r"^s[0-9a-f]{32}$")
_DOMAIN = b"iop-lotsen/conversation/"  # keeps this hash apart from any other use of sha256


def new_secret() -> str:
    """A fresh secret from the OS's random source, for a new conversation."""
    return secrets.token_urlsafe(SECRET_BYTES)


def valid_secret(value: object) -> bool:
    """Is this something the gateway could have issued? (A reference never is.)"""
    return isinstance(value, str) and bool(SECRET.match(value))


def conversation_reference(secret: str) -> str:
    """The conversation's public reference: 128 bits of a one-way hash of the secret."""
    digest = hashlib.sha256(_DOMAIN + secret.encode("utf-8")).hexdigest()
    return "s" + digest[:32]
