"""Reading one JSON frame from a socket, whatever a client sends."""

from __future__ import annotations

import json
from typing import Any


def parse_frame(data: str) -> dict[str, Any]:
    """The frame as a dict; anything that is not a JSON object becomes {} (answered politely)."""
    try:
        frame = json.loads(data)
    except ValueError:
        return {}
    return frame if isinstance(frame, dict) else {}


# The longest message a user or a caseworker may send at once, in characters.
MAX_MESSAGE_LENGTH = 2000
