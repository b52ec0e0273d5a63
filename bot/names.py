"""Every intent, slot, form and response name the code refers to, in one place.

domain.yml and the training data use the same strings; tests/unit/test_names.py checks that each
name here exists in domain.yml, so a rename cannot silently break the dialogue.
"""

from __future__ import annotations

from bot.intake.fields import FIELDS as INTAKE_FIELDS
from bot.intake.fields import Kind
from bot.intake.fields import Section as IntakeSection


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
    START_INTAKE = "start_intake"
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


class SystemIntent:
    """Intents nobody types: the web gateway triggers them through Rasa's HTTP API.

    They are in domain.yml (and, for `rasa data validate`, have a few examples that are only
    Rasa's own "EXTERNAL: <intent>" text), but not in the NLU contract or the held-out test set.
    """

    HANDOFF_ENDED = "handoff_ended"  # a live chat ended; the bot takes over again


class Slot:
    KOMMUN_NAME = "kommun_name"
    CHECKLIST_ANSWER = "checklist_answer"
    CHECKLIST_ANSWERS = "checklist_answers"
    CHECKLIST_CURRENT = "checklist_current"
    CHECKLIST_MISSES = "checklist_misses"
    FAQ_TOPIC = "faq_topic"
    INTAKE = "intake"
    INTAKE_ANSWER = "intake_answer"
    REQUESTED_SLOT = "requested_slot"
    # The callback request (nobody in the live chat): asked one at a time by callback_form.
    CALLBACK_NAME = "callback_name"
    CALLBACK_CONTACT = "callback_contact"  # a normalised e-mail address or E.164 phone number
    CALLBACK_QUESTION = "callback_question"
    # A short answer with a command word in it ("Sluta Svälta"), kept while the bot asks once
    # whether the user meant to pause (bot/form_input.py).
    PENDING_ANSWER = "pending_answer"


class Form:
    CHECKLIST = "checklist_form"
    INTAKE = "intake_form"
    CALLBACK = "callback_form"


class Action:
    LISTEN = "action_listen"  # Rasa's own: end the turn and wait for the user
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
    START_INTAKE = "action_start_intake"
    ASK_INTAKE_ANSWER = "action_ask_intake_answer"
    INFORM_OUTSIDE_FORM = "action_inform_outside_form"
    VALIDATE_INTAKE = "validate_intake_form"
    SUBMIT_INTAKE = "action_submit_intake"
    VALIDATE_CALLBACK = "validate_callback_form"
    SUBMIT_CALLBACK = "action_submit_callback"
    RESUME_AFTER_HANDOFF = "action_resume_after_handoff"


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
    VERDICT_FAILED_ALTERNATIVE = "utter_verdict_failed_alternative"
    OFFER_MORE = "utter_offer_more"
    OFFER_CHECK = "utter_offer_check"
    ANYTHING_ELSE = "utter_anything_else"
    HUMAN_CONTACT = "utter_human_contact"
    HUMAN_CONTACT_PAUSED = "utter_human_contact_checklist_paused"
    HANDOFF_LIVE_WAITING = "utter_handoff_live_waiting"
    HANDOFF_CHAT_CLOSED = "utter_handoff_chat_closed"
    HANDOFF_NOBODY_ONLINE = "utter_handoff_nobody_online"
    HANDOFF_FAILED = "utter_handoff_failed"
    HANDOFF_BOT_BACK = "utter_handoff_bot_back"
    HANDOFF_WHAT_NEXT = "utter_handoff_what_next"
    # callback_form asks with these itself (utter_ask_<slot>), so no rule or story names them.
    ASK_CALLBACK_NAME = "utter_ask_callback_name"
    ASK_CALLBACK_CONTACT = "utter_ask_callback_contact"
    ASK_CALLBACK_QUESTION = "utter_ask_callback_question"
    CALLBACK_INVALID_NAME = "utter_callback_invalid_name"
    CALLBACK_INVALID_CONTACT = "utter_callback_invalid_contact"
    CALLBACK_INVALID_QUESTION_SHORT = "utter_callback_invalid_question_short"
    CALLBACK_INVALID_QUESTION_LONG = "utter_callback_invalid_question_long"
    CALLBACK_SENT = "utter_callback_sent"
    CALLBACK_ALREADY_SENT = "utter_callback_already_sent"
    DEFAULT = "utter_default"
    DEFAULT_OFFER_HUMAN = "utter_default_offer_human"
    OUT_OF_SCOPE = "utter_out_of_scope"
    GOODBYE = "utter_goodbye"
    CHECKLIST_PAUSED = "utter_checklist_paused"
    INTAKE_PAUSED = "utter_intake_paused"
    CALLBACK_CANCELLED = "utter_callback_cancelled"
    CALLBACK_WHY = "utter_callback_why"
    CALLBACK_ALREADY_ASKING = "utter_callback_already_asking"
    # "Vill du pausa, eller är ”…” ditt svar?" (bot/form_input.py)
    CHECK_PAUSE = "utter_check_pause"
    CHECK_HUMAN = "utter_check_human"
    IAMABOT = "utter_iamabot"
    VERDICT_OFFER_INTAKE = "utter_verdict_offer_intake"
    INTAKE_INTRO = "utter_intake_intro"
    INTAKE_RESUME = "utter_intake_resume"
    INTAKE_NEEDS_CHECKLIST = "utter_intake_needs_checklist"
    INTAKE_SELF_ASSESSMENT_FOLLOWS = "utter_intake_self_assessment_follows"
    INTAKE_PRIVACY_NOTICE = "utter_intake_privacy_notice"
    INTAKE_PRIVACY_NOTICE_RECORDS = "utter_intake_privacy_notice_records"
    INTAKE_ALREADY_SUBMITTED = "utter_intake_already_submitted"
    INTAKE_SKIPPED = "utter_intake_skipped"
    INTAKE_CORRECTING = "utter_intake_correcting"
    INTAKE_WHICH_FIELD = "utter_intake_which_field"
    INTAKE_SUMMARY = "utter_intake_summary"
    INTAKE_SUMMARY_PARTS = (
        "utter_intake_summary",
        "utter_intake_summary_idea",
        "utter_intake_summary_documents",
    )
    INTAKE_DECLARATION_TEXT = "utter_intake_declaration_text"
    INTAKE_DECLARATION_REFUSED = "utter_intake_declaration_refused"
    INTAKE_HELP_GENERIC = "utter_intake_help_generic"
    INTAKE_SUBMITTED = "utter_intake_submitted"
    INTAKE_SUBMITTED_MISSING = "utter_intake_submitted_missing"
    INTAKE_SUBMITTED_NOT_SIGNED = "utter_intake_submitted_not_signed"
    INTAKE_SUBMIT_FAILED = "utter_intake_submit_failed"
    INTAKE_INCOMPLETE = "utter_intake_incomplete"
    INTAKE_GOODBYE = "utter_intake_goodbye"
    INTAKE_PAUSED_REMINDER = "utter_intake_paused_reminder"
    INFORM_OUTSIDE_CHECKLIST = "utter_inform_outside_checklist"

    # One question per intake field (bot/intake/fields.py) or other step: utter_intake_q_<key>.
    INTAKE_QUESTION_KEYS = (
        *(f.id for f in INTAKE_FIELDS),
        "partner_orgnr",
        "partner_legal_form",
        Kind.DOC_EXISTING.value,
        Kind.DOC_LATER.value,
        Kind.SUMMARY.value,
    )
    # A section heading when the intake moves on: utter_intake_section_<section>.
    INTAKE_SECTIONS = tuple(s.value for s in IntakeSection if s is not IntakeSection.SUMMARY)
    # Why an answer was not accepted: utter_intake_invalid_<kind>_<reason>, else _<reason>.
    INTAKE_INVALID_KEYS = (
        "orgnr_format",
        "orgnr_checksum",
        "orgnr_personnummer",
        "legal_form_unknown_choice",
        "count_format",
        "count_too_large",
        "url_format",
        "email_format",
        "phone_format",
        "phone_invalid",
        "document_numbers",
        "yes_or_no",
        "too_short",
        "too_long",
        "unreadable",
        "required",
    )
    # Extra help on "vad menas?": utter_intake_help_<key>; other fields get the generic help.
    INTAKE_HELP_KEYS = (
        "org_number",
        "org_legal_form",
        "challenge",
        "purpose",
        "target_group",
        "goals",
        "contribution",
        "ask_of_kommun",
        "concerned_units",
        "signatory_name",
        "declaration",
        "summary",
        "documents",
    )

    @classmethod
    def used_by_actions(cls) -> set[str]:
        """Every response a custom action sends (rules and stories never name these)."""
        constants = names_in(cls)
        knowledge = {f(topic) for topic in Intent.KNOWLEDGE for f in (cls.answer, cls.more)}
        intake = (
            {f"utter_intake_q_{key}" for key in cls.INTAKE_QUESTION_KEYS}
            | {f"utter_intake_section_{key}" for key in cls.INTAKE_SECTIONS}
            | {f"utter_intake_invalid_{key}" for key in cls.INTAKE_INVALID_KEYS}
            | {f"utter_intake_help_{key}" for key in cls.INTAKE_HELP_KEYS}
        )
        return constants | knowledge | intake | set(cls.INTAKE_SUMMARY_PARTS)

    @classmethod
    def intake_question(cls, key: str) -> str:
        return f"utter_intake_q_{key}"

    @classmethod
    def intake_section(cls, section: str) -> str:
        return f"utter_intake_section_{section}"

    @classmethod
    def intake_invalid(cls, kind: str, reason: str) -> str:
        specific = f"{kind}_{reason}"
        key = specific if specific in cls.INTAKE_INVALID_KEYS else reason
        if key not in cls.INTAKE_INVALID_KEYS:
            key = "unreadable"
        return f"utter_intake_invalid_{key}"

    @classmethod
    def intake_help(cls, key: str) -> str:
        if key in cls.INTAKE_HELP_KEYS:
            return f"utter_intake_help_{key}"
        return cls.INTAKE_HELP_GENERIC

    @staticmethod
    def answer(topic: str) -> str:
        """Short answer for a knowledge intent, e.g. ask_process -> utter_answer_process."""
        return f"utter_answer_{topic.removeprefix('ask_')}"

    @staticmethod
    def more(topic: str) -> str:
        """The deeper follow-up for a knowledge intent."""
        return f"utter_more_{topic.removeprefix('ask_')}"
