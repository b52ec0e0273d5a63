"""The action server's connection to the intake queue, opened once and migrated on first use."""

from __future__ import annotations

import threading

from bot.intake_queue.database import database_url
from bot.intake_queue.repository import IntakeQueue

_lock = threading.Lock()
_queue: IntakeQueue | None = None


def intake_queue() -> IntakeQueue:
    """Open lazily, so the action server starts even while the database is briefly away."""
    global _queue
    with _lock:
        if _queue is None:
            _queue = IntakeQueue.open(database_url())
        return _queue
