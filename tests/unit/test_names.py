"""The names in bot/names.py and the texts in domain.yml must stay in step."""

import yaml

from bot.names import Action, Form, Intent, Response, Slot, SystemIntent, names_in
from tests.conftest import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_every_intent_constant_is_in_the_domain():
    user_intents = names_in(Intent) - {Intent.NLU_FALLBACK}
    assert user_intents | names_in(SystemIntent) == set(DOMAIN["intents"])
    assert not user_intents & names_in(SystemIntent)


def test_every_slot_form_action_and_response_exists():
    assert names_in(Slot) - {Slot.REQUESTED_SLOT} <= set(DOMAIN["slots"])
    assert names_in(Form) <= set(DOMAIN["forms"])
    assert names_in(Action) - {Action.LISTEN} <= set(DOMAIN["actions"])
    assert names_in(Response) <= set(DOMAIN["responses"])


def test_every_knowledge_intent_has_a_short_and_a_deeper_answer():
    for intent in Intent.KNOWLEDGE:
        assert Response.answer(intent) in DOMAIN["responses"]
        assert Response.more(intent) in DOMAIN["responses"]


def test_every_intake_response_the_actions_may_send_exists():
    missing = Response.used_by_actions() - set(DOMAIN["responses"])
    assert missing == set()


def test_the_action_server_registers_exactly_the_domains_custom_actions():
    """Each action class is found by the SDK under its bot.names name; the abstract bases
    (actions/named.py, actions/form_exit.py) are not registered as actions."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(DOMAIN["actions"])
