"""One conversation's traffic through the gateway: the user's messages, the bot's answers, and the
caseworker who may take over.

The rule that matters most: while a live handoff is open, the bot does not answer. Rasa itself is
paused (the action that opened the handoff returned `ConversationPaused`), and on top of that the
gateway drops any bot reply for a conversation with an open live handoff. User messages still go
to Rasa, so they land in the conversation's history and in the transcript.

Every id here is the conversation reference (bot/web/session_keys.py), never the browser's secret.
A button click counts only with a payload from the newest bot message's buttons, read from Rasa's
tracker (so it holds with several gateways); the transcript then shows that button's own title.
Any other payload is ignored and the text is taken as typed text (or, with no text, the user is
asked to choose again), so the transcript always shows what the bot acted on.

Ending a live handoff is in bot/web/live_handoff.py (Caseworker, HandoffConflict and NotResumed
too, importable from here as before); every Swedish word is in bot/web/texts.py.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from bot.intake_queue.accounts import find_account
from bot.intake_queue.handoffs import (
    CloseReason,
    Handoff,
    Handoffs,
    HandoffStatus,
    HandoffTaken,
)
from bot.names import Intent
from bot.privacy import mask_personal_numbers
from bot.profile import active_profile
from bot.web.frames import MAX_MESSAGE_LENGTH
from bot.web.history import frames_from_rasa, history_entries, latest_progress, offered_button
from bot.web.hub import Hub
from bot.web.limits import RESUME_PAUSES
from bot.web.live_handoff import (
    Caseworker,
    HandoffConflict,
    LiveEnding,
    NotResumed,
    console_clock,
    widget_state,
)
from bot.web.masking import depends_on_the_question, mask_for_storage, mask_payload
from bot.web.rasa_client import RasaBusy, RasaClient, RasaUnavailable
from bot.web.texts import (
    BUSY,
    CASEWORKER_TOO_LONG,
    CHAT_NOT_STARTED,
    HANDOFF_CLOSED_ALREADY,
    NO_ANSWER,
    NOT_CANCELLED,
    NOT_SENT,
    OLD_BUTTON,
    REQUEST_HUMAN_TITLE,
    TOO_LONG,
    only_they_can_close,
    taken_by,
    their_chat,
)

log = logging.getLogger(__name__)

REQUEST_HUMAN_PAYLOAD = f"/{Intent.REQUEST_HUMAN}"


class Conversations:
    def __init__(
        self,
        rasa: RasaClient,
        engine: Engine,
        hub: Hub,
        resume_pauses: Sequence[float] = RESUME_PAUSES,
    ) -> None:
        self.rasa = rasa
        self.engine = engine
        self.handoffs = Handoffs(engine)
        self.hub = hub
        self.resume_pauses = tuple(resume_pauses)
        self.ending = LiveEnding(rasa, self.handoffs, hub, self.resume_pauses)
        # One message at a time per conversation, so answers never interleave.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def _lock(self, conversation_id: str) -> asyncio.Lock:
        lock = self._locks.get(conversation_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[conversation_id] = lock
        return lock

    async def open_live_handoff(self, conversation_id: str) -> Handoff | None:
        handoff = await asyncio.to_thread(self.handoffs.open_for, conversation_id)
        return handoff if handoff is not None and handoff.is_live else None

    # -- the user's side -------------------------------------------------------------------------

    async def session_frame(
        self, conversation_id: str, secret: str, new: bool = False
    ) -> dict[str, Any]:
        """Everything a widget needs after (re)connecting: history, handoff state, progress.

        `id` is the widget's own secret, to keep; the reference is not sent to the browser.
        A `new` conversation (its secret made just now) has nothing to look up: Rasa is not
        asked, so a visitor who only opens the widget leaves no conversation behind."""
        history: list[dict[str, Any]] = []
        progress = None
        handoff = None
        if conversation_id and not new:
            try:
                tracker = await self.rasa.tracker(conversation_id)
                events = tracker.get("events") or []
                history = history_entries(events)
                progress = latest_progress(events)
            except RasaUnavailable as error:
                log.warning("No history for a reconnecting widget: %s", error)
        if not new:
            try:
                handoff = await self.open_live_handoff(conversation_id)
            except SQLAlchemyError as error:  # the history still comes back; the state: "bot"
                log.warning("No handoff state for a reconnecting widget: %s", type(error).__name__)
        return {
            "type": "session",
            "id": secret,
            "history": history,
            "handoff": widget_state(handoff),
            "handoff_name": await self._caseworker_name(handoff),
            "progress": progress,
        }

    async def user_message(
        self, conversation_id: str, text: str, payload: str | None = None
    ) -> dict[str, Any] | None:
        """Route one message. Returns an error frame for the sending tab only, or None."""
        text = (text or "").strip()
        if not (isinstance(payload, str) and payload.startswith("/")):
            payload = None
        if not text and not payload:
            return None
        if len(text) > MAX_MESSAGE_LENGTH:
            return {"type": "error", "text": TOO_LONG}
        async with self._lock(conversation_id):
            # One look at the handoff table per message: it decides the route and is the
            # "before" that tells whether the bot's answer opened a new handoff.
            try:
                current = await asyncio.to_thread(self.handoffs.open_for, conversation_id)
            except SQLAlchemyError as error:
                log.warning("Message not handled, no database: %s", type(error).__name__)
                return {"type": "error", "text": NOT_SENT}
            live = current if current is not None and current.is_live else None
            if live is not None:
                # The bot is paused and offers no buttons: what was typed goes to the caseworker.
                if not text:
                    return None
                text = mask_personal_numbers(text, keep_phone_numbers=False)
                await self.hub.to_widgets(conversation_id, {"type": "user", "text": text})
                return await self._to_caseworker(conversation_id, live, text)
            masked = mask_personal_numbers(text, keep_phone_numbers=False)
            tracker = None
            if payload or (masked != text and depends_on_the_question(text)):
                tracker = await self._tracker(conversation_id)
            button = None
            if payload and tracker is not None:
                button = offered_button(tracker.get("events") or [], payload)
            if button is None and not text:
                # A click on an old or made-up button, and no text to take instead.
                return {"type": "error", "text": OLD_BUTTON if tracker is not None else NOT_SENT}
            if button is not None:
                # The bot acts on the payload, and the transcript shows that button's own title.
                title = button["title"]
                await self.hub.to_widgets(conversation_id, {"type": "user", "text": title})
                return await self._to_bot(
                    conversation_id, mask_payload(payload) or "", title=title, before=current
                )
            if masked != text:  # phone numbers may stay at the phone question
                masked = mask_for_storage(text, tracker, active_profile())
            await self.hub.to_widgets(conversation_id, {"type": "user", "text": masked})
            return await self._to_bot(conversation_id, masked, title=None, before=current)

    async def _tracker(self, conversation_id: str) -> dict[str, Any] | None:
        """The conversation's state since its last restart (the newest bot message, the open
        question), or None when Rasa cannot be asked: then nothing is taken on trust."""
        try:
            return await self.rasa.tracker(conversation_id, events="AFTER_RESTART")
        except RasaUnavailable:
            return None

    async def request_human(self, conversation_id: str) -> dict[str, Any] | None:
        current = await asyncio.to_thread(self.handoffs.open_for, conversation_id)
        if current is not None and current.is_live:
            await self._announce_state(conversation_id)
            return None
        async with self._lock(conversation_id):
            return await self._to_bot(
                conversation_id,
                REQUEST_HUMAN_PAYLOAD,
                title=REQUEST_HUMAN_TITLE,
                before=current,
            )

    async def cancel_handoff(self, conversation_id: str) -> dict[str, Any] | None:
        """The user stops waiting: close the handoff and let the bot carry on."""
        live = await self.open_live_handoff(conversation_id)
        if live is not None:
            try:
                await self._end_live(live, CloseReason.CANCELLED, resume_dialogue=True, actor=None)
            except NotResumed:
                return {"type": "error", "text": NOT_CANCELLED}
            except HandoffConflict:
                return None  # closed meanwhile by the caseworker: the widget has heard
        return None

    async def _to_bot(
        self,
        conversation_id: str,
        message: str,
        title: str | None,
        before: Handoff | None,
    ) -> dict[str, Any] | None:
        """`before`: the conversation's open handoff as the caller already read it, if any."""
        await self.hub.to_widgets(conversation_id, {"type": "typing", "on": True})
        try:
            replies = await self.rasa.send(
                conversation_id, message, {"button_title": title} if title else None
            )
            try:
                after = await asyncio.to_thread(self.handoffs.open_for, conversation_id)
            except SQLAlchemyError as error:  # the bot's answer still reaches the user
                log.warning("No handoff lookup after Rasa's answer: %s", type(error).__name__)
                after = None
            frames = frames_from_rasa(replies)
            for frame in frames:
                await self.hub.to_widgets(conversation_id, frame)
            if not any(f["type"] == "bot" for f in frames) and not (after and after.is_live):
                # Rasa answers 200 with nothing when the action server is down or failed:
                # never leave the user waiting in silence, nor let them think it went through.
                log.warning("Rasa gave no answer to a message; telling the user.")
                return {"type": "error", "text": NO_ANSWER}
        except RasaBusy:
            log.warning("Message not sent: no slot in Rasa in time")
            return {"type": "error", "text": BUSY}
        except RasaUnavailable as error:
            log.warning("Message not delivered to Rasa: %s", error)
            return {"type": "error", "text": NOT_SENT}
        finally:
            # Last, so "not typing" means every answer to this message has arrived.
            await self.hub.to_widgets(conversation_id, {"type": "typing", "on": False})
        if after is not None and (before is None or before.id != after.id):
            await self.hub.to_consoles({"type": "queue"})
            if after.is_live:
                await self._announce_state(conversation_id)
        return None

    async def _to_caseworker(
        self, conversation_id: str, live: Handoff, text: str
    ) -> dict[str, Any] | None:
        """During a live handoff: into the history (Rasa is paused) and onto the console."""
        try:
            replies = await self.rasa.send(conversation_id, text)
        except RasaUnavailable as error:
            log.warning("Handoff message not recorded: %s", error)
            return {"type": "error", "text": BUSY if isinstance(error, RasaBusy) else NOT_SENT}
        if replies:
            log.error("Rasa answered a paused conversation; the reply was dropped.")
        frame = {"type": "user", "text": mask_personal_numbers(text), "at": console_clock()}
        await self.hub.to_consoles({**frame, "handoff": live.id}, handoff_id=live.id)
        return None

    async def _announce_state(self, conversation_id: str) -> None:
        live = await self.open_live_handoff(conversation_id)
        frame: dict[str, Any] = {"type": "handoff", "state": widget_state(live)}
        if live is not None and live.claimed_by:
            frame["name"] = await self._caseworker_name(live)
        await self.hub.to_widgets(conversation_id, frame)

    async def _caseworker_name(self, handoff: Handoff | None) -> str | None:
        if handoff is None or handoff.status is not HandoffStatus.ACTIVE or not handoff.claimed_by:
            return None
        account = await asyncio.to_thread(find_account, self.engine, handoff.claimed_by)
        return account.display_name if account else handoff.claimed_by

    # -- the caseworker's side -------------------------------------------------------------------

    async def _open_not_theirs(
        self, handoff_id: int, caseworker: Caseworker, theirs: Callable[[str], str]
    ) -> Handoff:
        """The handoff, if it is open and no colleague has it (else `theirs(colleague)`)."""
        handoff = await asyncio.to_thread(self.handoffs.get, handoff_id)
        if handoff.status is HandoffStatus.CLOSED:
            raise HandoffConflict(HANDOFF_CLOSED_ALREADY)
        if handoff.claimed_by and handoff.claimed_by != caseworker.username:
            raise HandoffConflict(theirs(handoff.claimed_by))
        return handoff

    async def claim(self, handoff_id: int, caseworker: Caseworker) -> Handoff:
        await self._open_not_theirs(handoff_id, caseworker, taken_by)
        try:
            claimed = await asyncio.to_thread(self.handoffs.claim, handoff_id, caseworker.username)
        except HandoffTaken as taken:  # someone else won the race since the check above
            raise HandoffConflict(str(taken)) from taken
        if claimed.is_live:
            await self.hub.to_widgets(
                claimed.conversation_id,
                {"type": "handoff", "state": "active", "name": caseworker.display_name},
            )
        await self.hub.to_consoles({"type": "queue"})
        return claimed

    async def caseworker_says(self, handoff_id: int, caseworker: Caseworker, text: str) -> None:
        text = (text or "").strip()
        if not text:
            return
        if len(text) > MAX_MESSAGE_LENGTH:
            raise HandoffConflict(CASEWORKER_TOO_LONG)
        handoff = await self._own_active(handoff_id, caseworker)
        async with self._lock(handoff.conversation_id):
            await self.rasa.say_as_caseworker(
                handoff.conversation_id, text, caseworker.display_name, caseworker.username
            )
        await self.hub.to_widgets(
            handoff.conversation_id,
            {"type": "agent", "text": text, "name": caseworker.display_name},
        )
        await self.hub.to_consoles(
            {
                "type": "agent",
                "text": text,
                "name": caseworker.display_name,
                "at": console_clock(),
                "handoff": handoff_id,
            },
            handoff_id=handoff_id,
        )

    async def hand_back(self, handoff_id: int, caseworker: Caseworker) -> Handoff:
        """The bot takes over again and continues where the user was."""
        handoff = await self._own_active(handoff_id, caseworker)
        return await self._end_live(
            handoff, CloseReason.RESUMED, resume_dialogue=True, actor=caseworker.username
        )

    async def close(self, handoff_id: int, caseworker: Caseworker) -> Handoff:
        """End a live chat (the bot is there again if the user writes) or mark a callback done."""
        handoff = await self._open_not_theirs(handoff_id, caseworker, only_they_can_close)
        if handoff.is_live:
            return await self._end_live(
                handoff, CloseReason.CLOSED, resume_dialogue=False, actor=caseworker.username
            )
        closed = await asyncio.to_thread(
            self.handoffs.close, handoff_id, CloseReason.CLOSED, caseworker.username
        )
        await self.hub.to_consoles({"type": "queue"})
        return closed

    async def _own_active(self, handoff_id: int, caseworker: Caseworker) -> Handoff:
        handoff = await asyncio.to_thread(self.handoffs.get, handoff_id)
        if not handoff.is_live or handoff.status is not HandoffStatus.ACTIVE:
            raise HandoffConflict(CHAT_NOT_STARTED)
        if handoff.claimed_by != caseworker.username:
            raise HandoffConflict(their_chat(handoff.claimed_by))
        return handoff

    async def _end_live(
        self, handoff: Handoff, reason: CloseReason, resume_dialogue: bool, actor: str | None
    ) -> Handoff:
        """Resume Rasa, close the handoff, let the bot carry on (bot/web/live_handoff.py), one
        conversation at a time. A caseworker's `actor` is audited in the close's transaction;
        the user who stops waiting has none."""
        async with self._lock(handoff.conversation_id):
            return await self.ending.end(handoff, reason, resume_dialogue, actor)
