"""Rebuilding the widget's history and frames from Rasa's events and replies."""

from __future__ import annotations

from bot.web.history import frames_from_rasa, history_entries, latest_progress

BUTTONS = [{"title": "Ja", "payload": "/affirm"}, {"title": "Nej", "payload": "/deny"}]


def test_history_shows_button_titles_hides_internal_messages_and_keeps_last_buttons() -> None:
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "Hej! Mitt personnummer är 811228-9874"},
        {"event": "bot", "text": "Fråga 1 av 8", "data": {"buttons": BUTTONS}},
        {"event": "user", "text": "/affirm", "metadata": {"button_title": "Ja"}},
        {"event": "user", "text": "/request_human"},
        {"event": "user", "text": "EXTERNAL: handoff_ended", "metadata": {"is_external": True}},
        {"event": "bot", "text": "Hej, jag heter Anna.", "metadata": {"caseworker": "Anna Berg"}},
        {"event": "pause"},
        {"event": "bot", "text": "Fråga 2 av 8", "data": {"buttons": BUTTONS}},
    ]
    entries = history_entries(events)
    assert entries == [
        {"from": "user", "text": "Hej! Mitt personnummer är ÅÅMMDD-XXXX", "buttons": []},
        {"from": "bot", "text": "Fråga 1 av 8", "buttons": []},
        {"from": "user", "text": "Ja", "buttons": []},
        {"from": "agent", "text": "Hej, jag heter Anna.", "name": "Anna Berg", "buttons": []},
        {"from": "bot", "text": "Fråga 2 av 8", "buttons": BUTTONS},
    ]


def test_no_buttons_when_the_user_spoke_last() -> None:
    events = [
        {"event": "bot", "text": "Fråga 1", "data": {"buttons": BUTTONS}},
        {"event": "user", "text": "ja"},
    ]
    assert [e["buttons"] for e in history_entries(events)] == [[], []]


def test_progress_is_the_latest_announced_until_done() -> None:
    asked = {"event": "bot", "data": {"custom": {"progress": {"step": 3, "total": 8}}}}
    done = {"event": "bot", "data": {"custom": {"progress": {"done": True}}}}
    assert latest_progress([asked, {"event": "user", "text": "ja"}]) == {"step": 3, "total": 8}
    assert latest_progress([asked, done]) is None
    assert latest_progress([]) is None


def test_rasa_replies_become_frames() -> None:
    replies = [
        {"recipient_id": "x", "text": "Fråga 1", "buttons": BUTTONS},
        {"recipient_id": "x", "custom": {"progress": {"step": 1, "total": 8}}},
        {"recipient_id": "x", "image": "ignored.png"},
    ]
    assert frames_from_rasa(replies) == [
        {"type": "bot", "text": "Fråga 1", "buttons": BUTTONS},
        {"type": "progress", "step": 1, "total": 8},
    ]
