"""Steps and expected replies of Mora's conversation over Rasa's REST channel that several
end-to-end modules share (the organisation's replies live in devstack/widget.py)."""

from __future__ import annotations

from bot.intake_queue.handoffs import Handoff, Handoffs
from bot.intake_queue.repository import IntakeQueue
from bot.profile import load_profile
from tests.e2e import texts

MORA = load_profile("mora")
# The documents asked of an ideell förening (the member count is asked as a field instead).
DOCUMENTS = len(MORA.documents_for("ideell_forening"))


def say(name: str, **values) -> str:
    """Mora's reply `name` from domain.yml, filled in with `values`."""
    return texts.response_text(MORA, name, **values)


def nobody_available() -> set[str]:
    """What the first reply may be: outside the chat's hours, or nobody online within them."""
    contact = MORA.kommun.contact
    values = {
        "live_chat_hours": MORA.live_chat.hours_said,
        "callback_promise": MORA.callback_promise,
        "phone": contact.phone,
        "email": contact.email,
        "opening_hours": contact.opening_hours,
    }
    return {
        say("utter_handoff_chat_closed", **values),
        say("utter_handoff_nobody_online", **values),
    }


def run_checklist(stack, sender: str) -> list[str]:
    """Greets, asks to test the idea and answers yes to every criterion: the verdict."""
    stack.texts(sender, "Hej!")
    stack.texts(sender, "jag vill testa om vår idé passar för IOP")
    for _ in range(len(MORA.criteria) - 1):
        stack.texts(sender, "ja")
    return stack.texts(sender, "ja")


def start_intake(stack, sender: str) -> list[str]:
    """The checklist, then yes to handing in the initiative: the intake's opening."""
    verdict = run_checklist(stack, sender)
    assert verdict[-1] == say("utter_verdict_offer_intake")
    return stack.texts(sender, "ja")


def start_checklist_and_answer_two(stack, sender: str) -> None:
    """Into the checklist, "ja" to the first criterion and "nej" to the second."""
    stack.texts(sender, "jag vill testa om vår idé passar för IOP")
    stack.texts(sender, "ja")
    assert stack.texts(sender, "nej") == [texts.question(MORA, 3)]


def handoffs_for(database_url: str, sender: str) -> list[Handoff]:
    """The handoffs stored for one conversation, newest first."""
    engine = IntakeQueue.open(database_url).engine
    try:
        return [h for h in Handoffs(engine).recent() if h.conversation_id == sender]
    finally:
        engine.dispose()
