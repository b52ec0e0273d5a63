"""Applying one reply to the intake: store it, skip, correct another field, or explain why not.

Pure and synchronous; the Rasa form in actions/intake.py only renders what this decides.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from bot.clock import now_utc_iso
from bot.form_input import looks_like_a_name
from bot.intake.parsing import SKIP, Reply, parse
from bot.intake.state import IntakeState
from bot.intake.statuses import DeclarationStatus, DocumentStatus
from bot.intake.steps import (
    DOCUMENTS_EXISTING,
    DOCUMENTS_LATER,
    FIELDS,
    PARTNER_PREFIX,
    SUMMARY,
    Kind,
    Step,
    all_steps,
)
from bot.profile import Profile
from bot.text import fold_diacritics
from bot.validators import InvalidValue

_CHANGE_VERB = re.compile(
    r"^(?:jag vill |kan jag |vill |kan du |snälla |snalla )?"
    r"(?:ändra|andra|rätta|ratta|byt|byta|korrigera|uppdatera)\b",
    re.IGNORECASE,
)
# "Ändra e-post" is a command; "Ändra synen på äldre i målgruppen" is an answer.
MAX_COMMAND_WORDS = 6


def is_change_command(text: str) -> bool:
    return bool(_CHANGE_VERB.match(text.strip())) and len(text.split()) <= MAX_COMMAND_WORDS


class Result(str, Enum):
    STORED = "stored"
    SKIPPED = "skipped"
    INVALID = "invalid"
    CORRECTING = "correcting"  # the user named another field to change; it is asked next
    WHICH_FIELD = "which_field"  # the user wants to change something but did not say what


@dataclass(frozen=True)
class Outcome:
    result: Result
    reason: str | None = None
    target: str | None = None


def declaration_text(profile: Profile, state: IntakeState) -> str:
    """The value declaration exactly as shown, with the organisation's name filled in."""
    organisation = state.values.get("org_name") or "organisationen"
    return profile.value_declaration.for_organisation(organisation)


def _document_aliases(profile: Profile) -> dict[str, str]:
    aliases: dict[str, str] = {}
    for document in profile.documents:
        name = fold_diacritics(document.name)
        aliases[name] = document.id
        aliases[name.split(",")[0].split(" och ")[0]] = document.id
        aliases[name.split()[0]] = document.id
        aliases[document.id.replace("_", " ")] = document.id
    return aliases


def correction_target(
    profile: Profile, state: IntakeState, text: str, at_summary: bool
) -> str | None:
    """The step a message like "ändra e-post" asks to change (at the summary "e-post" is enough)."""
    if len(text.split()) > MAX_COMMAND_WORDS:
        return None
    if not is_change_command(text) and not at_summary:
        return None
    words = " " + " ".join(fold_diacritics(_CHANGE_VERB.sub("", text.strip())).split()) + " "
    candidates: list[tuple[str, str]] = []  # (alias, step id)
    for field in FIELDS:
        candidates += [(alias, field.id) for alias in field.aliases]
    candidates += [(alias, DOCUMENTS_EXISTING) for alias in _document_aliases(profile)]
    candidates += [(alias, DOCUMENTS_EXISTING) for alias in ("handlingar", "handlingarna")]
    found = [(alias, step) for alias, step in candidates if f" {alias} " in words]
    if not found:
        return None
    _, step_id = max(found, key=lambda pair: len(pair[0]))
    known = {s.id for s in all_steps(profile, state)}
    return step_id if step_id in known else None


def apply_reply(profile: Profile, state: IntakeState, step: Step, reply: Reply) -> Outcome:
    """Update the state with one reply to `step` and say what happened."""
    at_summary = step.kind is Kind.SUMMARY
    target = correction_target(profile, state, reply.text, at_summary)
    if target is not None and target != step.id:
        _start_correction(state, target)
        return Outcome(Result.CORRECTING, target=target)
    if is_change_command(reply.text) or (at_summary and reply.intent == "change_answer"):
        return Outcome(Result.WHICH_FIELD)
    try:
        value = parse(step, reply)
    except InvalidValue as error:
        return Outcome(Result.INVALID, reason=error.reason)
    if at_summary and value is False:
        return Outcome(Result.WHICH_FIELD)
    _store(profile, state, step, None if value is SKIP else value)
    state.mark_answered(step.id)
    if state.override == step.id:
        state.override = None
    return Outcome(Result.SKIPPED if value is SKIP else Result.STORED)


def _start_correction(state: IntakeState, target: str) -> None:
    state.override = target
    if target == "declaration":
        state.declaration_shown = False
    if target == DOCUMENTS_EXISTING:  # which exist decides which may come later: ask both again
        state.unmark(DOCUMENTS_LATER)
    # After any change the user sees the summary again and confirms it once more.
    state.unmark(SUMMARY)


def _store(profile: Profile, state: IntakeState, step: Step, value: Any) -> None:
    if step.id.startswith(f"{PARTNER_PREFIX}:"):
        _, index, part = step.id.split(":")
        state.values["partners"][int(index)][part] = value
        return
    if step.kind is Kind.PARTNERS:
        # Named again after a correction: keep what was given for partners still named.
        known = {p["name"]: p for p in state.values.get("partners") or []}
        state.values["partners"] = [known.get(name, {"name": name}) for name in value]
        for index, partner in enumerate(state.values["partners"]):
            for part in ("orgnr", "legal_form"):
                step_id = f"{PARTNER_PREFIX}:{index}:{part}"
                if part in partner:
                    state.mark_answered(step_id)
                else:
                    state.unmark(step_id)
        return
    if step.kind in (Kind.DOC_EXISTING, Kind.DOC_LATER):
        # The offered documents not picked are missing until (and unless) they come later.
        picked = DocumentStatus.EXISTS if step.kind is Kind.DOC_EXISTING else DocumentStatus.LATER
        for _, document_id, _ in step.offered:
            status = picked if document_id in value else DocumentStatus.MISSING
            state.documents[document_id] = {"status": status.value}
        if step.kind is Kind.DOC_EXISTING:
            state.unmark(DOCUMENTS_LATER)
        return
    if step.kind is Kind.DECLARATION:
        state.declaration = _declaration(profile, state, signed=bool(value))
    elif step.kind is Kind.SUMMARY:
        return
    elif step.id == "signatory_name" and _means_it_is_me(value):
        # "Ja, det är jag": the contact person signs, in the role they already gave.
        state.values["signatory_name"] = state.values.get("contact_name")
        if state.values.get("contact_role"):
            state.values["signatory_role"] = state.values["contact_role"]
            state.mark_answered("signatory_role")
    else:
        state.values[step.id] = value


# Words a "yes, it is me" may be made of; any other word ("Ja förening") makes the reply a name.
_ITS_ME_WORDS = frozenset(
    {
        *("ja", "jo", "japp", "jepp", "javisst", "absolut", "visst", "precis", "stammer"),
        *("det", "ar", "jag", "mig", "sjalv", "gor", "skriver", "under", "kan", "tack"),
        *("okej", "ok"),
    }
)


def _means_it_is_me(value: Any) -> bool:
    """ "Ja, det är jag" to "who signs?"; "Ja Young Kim" or "Ja förening" is a name."""
    if not isinstance(value, str) or looks_like_a_name(value):
        return False
    words = re.findall(r"[a-z]+", fold_diacritics(value.lower()))
    return bool(words) and set(words) <= _ITS_ME_WORDS and Reply(value).yes_no() is True


def _declaration(profile: Profile, state: IntakeState, signed: bool) -> dict[str, Any]:
    declaration = profile.value_declaration
    text = declaration_text(profile, state)
    base = {
        "version": declaration.version,
        "template_sha256": declaration.sha256,
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "text": text,
    }
    status = DeclarationStatus.SIGNED if signed else DeclarationStatus.REFUSED
    statement = "Jag intygar" if signed else None
    return {**base, "status": status.value, "statement": statement, "at": now_utc_iso()}
