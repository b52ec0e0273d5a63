"""A complete intake built through the same parser the dialogue uses, for record/queue tests."""

from __future__ import annotations

from typing import Any

from bot.assessment import Answer
from bot.intake.flow import apply_reply
from bot.intake.parsing import Reply
from bot.intake.state import IntakeState
from bot.intake.steps import DOCUMENTS_EXISTING, DOCUMENTS_LATER, Kind, next_step
from bot.profile import Profile
from bot.record import build_record

ORGNR = "802424-4413"
# Replies in the order the intake asks; documents: the first exists, the second comes later as a
# link, the rest are missing.
FIELD_REPLIES: dict[str, str] = {
    "org_name": "Föreningen Gemenskap i Mora",
    "org_number": ORGNR,
    "org_legal_form": "ideell förening",
    "org_members": "ungefär 340",
    "org_website": "www.gemenskapmora.se",
    "partners": "nej",
    "contact_name": "Anna Berg",
    "contact_role": "ordförande",
    "contact_email": "Anna.Berg@Gemenskapmora.SE",
    "contact_phone": "070-123 45 67",
    "challenge": "Många äldre i Östnor och Färnäs är ensamma och träffar ingen på veckorna.",
    "purpose": "Att äldre ska få sällskap, något kommunens hemtjänst inte hinner.",
    "target_group": "Äldre över 75 som bor själva",
    "goals": "Hälften av deltagarna träffar någon varje vecka efter ett år.",
    "contribution": "Ideell tid, ungefär 20 timmar i veckan, och våra egna lokaler.",
    "ask_of_kommun": "En samordnare på halvtid och hjälp att nå de äldre.",
    "wished_start": "augusti 2027",
    "duration": "tre år",
    "concerned_units": "socialförvaltningen",
    "signatory_name": "ja",
    "signatory_role": "kassör",  # asked only when someone else signs
    "declaration": "jag intygar",
    "summary": "ja",
}


# The first document exists, the second comes later, the rest are missing.
DOCUMENT_REPLIES = {DOCUMENTS_EXISTING: "1", DOCUMENTS_LATER: "2"}
# Every partner organisation gets the same number and legal form.
PARTNER_REPLIES = {Kind.ORGNR: ORGNR, Kind.LEGAL_FORM: "ideell förening"}


def complete_state(profile: Profile, overrides: dict[str, str] | None = None) -> IntakeState:
    replies = {**FIELD_REPLIES, **(overrides or {})}
    state = IntakeState(
        privacy_notice={
            "version": profile.privacy_notice_version,
            "shown_at": "2026-11-24T09:00:00+00:00",
        }
    )
    for _ in range(200):
        step = next_step(profile, state)
        if step is None:
            return state
        partner = step.id.startswith("partner:")
        text = (
            DOCUMENT_REPLIES.get(step.id)
            or (PARTNER_REPLIES[step.kind] if partner else None)
            or replies[step.id]
        )
        outcome = apply_reply(profile, state, step, Reply(text))
        assert outcome.result.value in ("stored", "skipped"), (step.id, text, outcome)
    raise AssertionError("intake never finished")


def all_yes(profile: Profile) -> dict[str, Answer]:
    return {c.id: Answer.YES for c in profile.criteria}


def record_for(profile: Profile, reference: str = "IOP-2026-0001", **kw: Any) -> dict[str, Any]:
    state = kw.pop("state", None) or complete_state(profile)
    return build_record(
        profile,
        state,
        kw.pop("answers", None) or all_yes(profile),
        kw.pop("conversation_id", "test-conversation"),
        reference,
        kw.pop("submitted_at", "2026-11-24T10:00:00+00:00"),
    )
