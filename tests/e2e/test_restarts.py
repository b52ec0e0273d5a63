"""Conversations live in the database (SQLTrackerStore): a Rasa restart loses nothing."""

from __future__ import annotations

from bot.intake_queue.repository import IntakeQueue
from devstack.widget import ORGANISATION
from tests.e2e.intake_dialogue import say, start_intake


def test_an_intake_survives_a_rasa_server_restart_and_is_exported_with_all_of_it(stack, sender):
    """On the session's stack: the restart is over (the server answers) before the test ends."""
    start_intake(stack, sender)
    stack.texts(sender, ORGANISATION[0])
    stack.rasa.restart()
    # The same conversation carries on at the organisation number: nothing was forgotten.
    assert stack.texts(sender, ORGANISATION[1]) == [say("utter_intake_q_org_legal_form")]
    events = IntakeQueue.open(stack.database_url, upgrade=False).engine
    with events.connect() as connection:
        from sqlalchemy import text

        count = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s AND type_name = 'user'"),
            {"s": sender},
        ).scalar_one()
    assert count >= len(["Hej!", "testa", *["ja"] * 10, *ORGANISATION[:2]])
