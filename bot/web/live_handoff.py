"""Ending a live handoff, and what both sides of a conversation share about one.

The order of ending is what matters: Rasa is resumed first (retried), then the handoff is
closed, then the widget and the consoles hear it, and the bot carries on where the user was. In
that order a conversation is never left paused behind a closed handoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.clock import kommun_time, now_utc
from bot.intake_queue.handoffs import CloseReason, Handoff, Handoffs, HandoffStatus
from bot.intake_queue.repository import CaseNotFound
from bot.names import SystemIntent
from bot.web.history import frames_from_rasa
from bot.web.hub import Hub
from bot.web.rasa_client import RasaClient, RasaUnavailable
from bot.web.texts import HANDOFF_CLOSED_ALREADY, NOT_RESUMED

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Caseworker:
    username: str
    display_name: str


class HandoffConflict(RuntimeError):
    """The caseworker's action no longer applies (someone else took it, or it is closed)."""


class NotResumed(HandoffConflict):
    """Rasa could not be resumed after every retry: the handoff stays open (message in Swedish)."""


def console_clock() -> str:
    """Now, as the console shows a message's time: HH:MM on the kommun's clock."""
    return kommun_time(now_utc()).strftime("%H:%M")


def widget_state(handoff: Handoff | None) -> str | None:
    """The widget's handoff state: None (the bot), "waiting" or "active"."""
    if handoff is None:
        return None
    return "active" if handoff.status is HandoffStatus.ACTIVE else "waiting"


# What the widget is told when a live handoff ends, by why it ended.
ENDED_STATE = {
    CloseReason.RESUMED: "ended",
    CloseReason.CLOSED: "closed",
    CloseReason.CANCELLED: "ended",
}


class LiveEnding:
    """Closing a live handoff and handing the conversation back to the bot."""

    def __init__(
        self, rasa: RasaClient, handoffs: Handoffs, hub: Hub, resume_pauses: Sequence[float]
    ) -> None:
        self.rasa = rasa
        self.handoffs = handoffs
        self.hub = hub
        self.resume_pauses = tuple(resume_pauses)

    async def end(
        self,
        handoff: Handoff,
        reason: CloseReason,
        resume_dialogue: bool,
        actor: str | None = None,
    ) -> Handoff:
        """Resume Rasa first (retried), then close the handoff. Call with the conversation's lock.

        If Rasa cannot be resumed, the handoff stays open, the caseworker is told (NotResumed)
        and can try again, and the user's messages still reach the caseworker.
        """
        conversation_id = handoff.conversation_id
        # Re-read under the lock: of two ends at once, the second finds it closed.
        current = await asyncio.to_thread(self.handoffs.get, handoff.id)
        if current.status is HandoffStatus.CLOSED:
            raise HandoffConflict(HANDOFF_CLOSED_ALREADY)
        await self._resume(conversation_id)
        try:
            closed = await asyncio.to_thread(self.handoffs.close, handoff.id, reason, actor)
        except CaseNotFound as gone:  # closed by another gateway meanwhile
            raise HandoffConflict(HANDOFF_CLOSED_ALREADY) from gone
        state = ENDED_STATE[reason]
        await self.hub.to_widgets(conversation_id, {"type": "handoff", "state": state})
        await self.hub.to_consoles(
            {"type": "handoff", "state": state, "handoff": handoff.id}, handoff_id=handoff.id
        )
        await self.hub.to_consoles({"type": "queue"})
        if resume_dialogue:
            await self._continue_dialogue(conversation_id, handoff.id)
        return closed

    async def _resume(self, conversation_id: str) -> None:
        """Rasa's `resume`, tried again after each pause; NotResumed when it never worked."""
        for pause in (*self.resume_pauses, None):
            try:
                await self.rasa.resume(conversation_id)
                return
            except RasaUnavailable as error:
                log.warning("Could not resume the bot after a handoff: %s", error)
                if pause is None:
                    raise NotResumed(NOT_RESUMED) from None
                await asyncio.sleep(pause)

    async def _continue_dialogue(self, conversation_id: str, handoff_id: int) -> None:
        """The bot picks up where the user was. Rasa is resumed and the handoff closed, so if
        this fails the bot simply answers the user's next message."""
        try:
            await self.hub.to_widgets(conversation_id, {"type": "typing", "on": True})
            replies = await self.rasa.trigger_intent(conversation_id, SystemIntent.HANDOFF_ENDED)
            for frame in frames_from_rasa(replies):
                await self.hub.to_widgets(conversation_id, frame)
                if frame["type"] == "bot":
                    await self.hub.to_consoles(
                        {**frame, "at": console_clock(), "handoff": handoff_id},
                        handoff_id=handoff_id,
                    )
        except RasaUnavailable as error:
            log.warning("The bot did not continue after a handoff: %s", error)
        finally:
            await self.hub.to_widgets(conversation_id, {"type": "typing", "on": False})
