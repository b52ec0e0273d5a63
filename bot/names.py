"""Every intent, slot, form and response name the code refers to, in one place.

domain.yml and the training data use the same strings; tests/unit/test_names.py checks that each
name here exists in domain.yml, so a rename cannot silently break the dialogue.
"""

from __future__ import annotations


def names_in(namespace: type) -> set[str]:
    """The string constants (UPPER_CASE attributes) of one of the classes below."""
    return {v for k, v in vars(namespace).items() if k.isupper() and isinstance(v, str)}


class Intent:
    GREET = "greet"
    GOODBYE = "goodbye"
    THANK = "thank"
    AFFIRM = "affirm"
    DENY = "deny"
    UNSURE = "unsure"
    EXPLAIN = "explain"
    ASK_WHAT_IS_IOP = "ask_what_is_iop"
    ASK_IOP_VS_GRANT = "ask_iop_vs_grant"
    ASK_IOP_VS_PROCUREMENT = "ask_iop_vs_procurement"
    ASK_WHO_CAN_APPLY = "ask_who_can_apply"
    ASK_PROCESS = "ask_process"
    ASK_DOCUMENTS = "ask_documents"
    ASK_VALUE_DECLARATION = "ask_value_declaration"
    ASK_AGREEMENT = "ask_agreement"
    ASK_EXAMPLES = "ask_examples"
    ASK_PRIVACY = "ask_privacy"
    START_CHECK = "start_check"
    CHANGE_ANSWER = "change_answer"
    REQUEST_HUMAN = "request_human"
    INFORM = "inform"
    STOP = "stop"
    BOT_CHALLENGE = "bot_challenge"
    OUT_OF_SCOPE = "out_of_scope"
    NLU_FALLBACK = "nlu_fallback"

    KNOWLEDGE = (
        ASK_WHAT_IS_IOP,
        ASK_IOP_VS_GRANT,
        ASK_IOP_VS_PROCUREMENT,
        ASK_WHO_CAN_APPLY,
        ASK_PROCESS,
        ASK_DOCUMENTS,
        ASK_VALUE_DECLARATION,
        ASK_AGREEMENT,
        ASK_EXAMPLES,
        ASK_PRIVACY,
    )


class Slot:
    KOMMUN_NAME = "kommun_name"
    CHECKLIST_ANSWER = "checklist_answer"
    CHECKLIST_ANSWERS = "checklist_answers"
    CHECKLIST_CURRENT = "checklist_current"
    CHECKLIST_MISSES = "checklist_misses"
    FAQ_TOPIC = "faq_topic"
    REQUESTED_SLOT = "requested_slot"


class Form:
    CHECKLIST = "checklist_form"


class Action:
    SESSION_START = "action_session_start"
    START_CHECKLIST = "action_start_checklist"
    ASK_CHECKLIST_ANSWER = "action_ask_checklist_answer"
    VALIDATE_CHECKLIST = "validate_checklist_form"
    EXPLAIN_CRITERION = "action_explain_criterion"
    CHANGE_ANSWER = "action_change_answer"
    CHECKLIST_VERDICT = "action_checklist_verdict"
    ANSWER_QUESTION = "action_answer_question"
    ANSWER_MORE = "action_answer_more"
    REQUEST_HUMAN = "action_request_human"
    FALLBACK = "action_fallback"


class Response:
    """Response names used from Python; the texts live in domain.yml."""

    CHECKLIST_INTRO = "utter_checklist_intro"
    CHECKLIST_RESUME = "utter_checklist_resume"
    CHECKLIST_QUESTION = "utter_checklist_question"
    CHECKLIST_ANSWER_HINT = "utter_checklist_answer_hint"
    CHECKLIST_EXPLAIN = "utter_checklist_explain"
    CHECKLIST_NOTHING_TO_EXPLAIN = "utter_checklist_nothing_to_explain"
    CHANGE_ANSWER_GOING_BACK = "utter_change_answer_going_back"
    CHANGE_ANSWER_NOTHING_YET = "utter_change_answer_nothing_yet"
    VERDICT_FITS = "utter_verdict_fits"
    VERDICT_MAY_FIT = "utter_verdict_may_fit"
    VERDICT_UNSURE_CRITERION = "utter_verdict_unsure_criterion"
    VERDICT_DOES_NOT_FIT = "utter_verdict_does_not_fit"
    VERDICT_FAILED_CRITERION = "utter_verdict_failed_criterion"
    VERDICT_NEXT_STEPS = "utter_verdict_next_steps"
    VERDICT_OPTIONS = "utter_verdict_options"
    OFFER_MORE = "utter_offer_more"
    OFFER_CHECK = "utter_offer_check"
    ANYTHING_ELSE = "utter_anything_else"
    HUMAN_CONTACT = "utter_human_contact"
    HUMAN_CONTACT_PAUSED = "utter_human_contact_checklist_paused"
    DEFAULT = "utter_default"
    DEFAULT_OFFER_HUMAN = "utter_default_offer_human"

    @classmethod
    def used_by_actions(cls) -> set[str]:
        """Every response a custom action sends (rules and stories never name these)."""
        constants = names_in(cls)
        knowledge = {f(topic) for topic in Intent.KNOWLEDGE for f in (cls.answer, cls.more)}
        return constants | knowledge

    @staticmethod
    def answer(topic: str) -> str:
        """Short answer for a knowledge intent, e.g. ask_process -> utter_answer_process."""
        return f"utter_answer_{topic.removeprefix('ask_')}"

    @staticmethod
    def more(topic: str) -> str:
        """The deeper follow-up for a knowledge intent."""
        return f"utter_more_{topic.removeprefix('ask_')}"
