"""The names in bot/names.py and the texts in domain.yml must stay in step."""

import yaml

from bot.names import Action, Form, Intent, Response, Slot
from tests.conftest import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def constants(cls) -> set[str]:
    return {v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)}


def test_every_intent_constant_is_in_the_domain():
    assert constants(Intent) - {Intent.NLU_FALLBACK} == set(DOMAIN["intents"])


def test_every_slot_form_action_and_response_exists():
    assert constants(Slot) - {Slot.REQUESTED_SLOT} <= set(DOMAIN["slots"])
    assert constants(Form) <= set(DOMAIN["forms"])
    assert constants(Action) <= set(DOMAIN["actions"])
    assert constants(Response) <= set(DOMAIN["responses"])


def test_every_knowledge_intent_has_a_short_and_a_deeper_answer():
    for intent in Intent.KNOWLEDGE:
        assert Response.answer(intent) in DOMAIN["responses"]
        assert Response.more(intent) in DOMAIN["responses"]
