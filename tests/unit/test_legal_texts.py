"""What the bot says about law, receiving and personal data, read as a kommun's lawyer would.

Data tests over domain.yml and every bundled profile: every text that talks about law has a named
source in docs/sources.md; no text refuses an initiative or asks for consent; every message is
short and readable (klarspråk: at most 60 words, LIX at most 55) once the profile's values are
filled in.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from actions.intake import summary_values
from bot.profile import PROFILE_DIR, Profile, load_profile
from tests.intake_fixtures import complete_state
from tests.text_measures import lix, word_count

ROOT = Path(__file__).resolve().parents[2]
RESPONSES: dict[str, str] = {
    name: variants[0].get("text", "")
    for name, variants in yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))[
        "responses"
    ].items()
}
PROFILES = [load_profile(path.stem) for path in sorted(PROFILE_DIR.glob("*.yml"))]
SOURCES = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
SOURCED_KEYS = set(re.findall(r"^### (\S+)$", SOURCES, re.MULTILINE))

# Words that make a text a statement about law; such a text needs a source.
LEGAL_TERMS = re.compile(
    r"\b(LOU|upphandl\w*|statsstöd\w*|kommunallag\w*|allmän handling|allmänna handlingar|"
    r"offentlighetsprincip\w*|arkivlag\w*|gallr\w*|samtycke\w*|dataskydd\w*|valfrihetssystem\w*)",
    re.IGNORECASE,
)
# The kommun's value declaration is quoted word for word from its decision, never reworded.
QUOTED_VERBATIM = {"utter_intake_declaration_text", "utter_more_value_declaration"}
MAX_WORDS = 60
MAX_LIX = 55
# LIX means little for a handful of words ("Fråga 3: Revisionsberättelse"): short lines are
# counted for length only.
LIX_FROM_WORDS = 10


def profile_texts(profile: Profile) -> dict[str, str]:
    texts = {"next_steps": profile.next_steps, "examples": profile.examples}
    for criterion in profile.criteria:
        for field in ("statement", "question", "explanation", "if_no", "alternative"):
            texts[f"criteria[{criterion.id}].{field}"] = getattr(criterion, field)
    return texts


def filled(text: str, profile: Profile) -> str:
    """The message as a user reads it: placeholders filled with profile or typical values."""
    values = {
        "kommun_name": profile.kommun.name,
        "next_steps": profile.next_steps,
        "examples": profile.examples,
        "declaration_summary": profile.value_declaration.summary,
        "controller": profile.registration.controller,
        "dpo_email": profile.registration.data_protection_officer,
        "retention_days": str(profile.retention_days),
        "callback_promise": profile.callback_promise,
        "if_no": profile.criteria[0].if_no,
        "alternative": profile.criteria[0].alternative,
        "explanation": profile.criteria[0].explanation,
        "question": profile.criteria[0].question,
        "statement": profile.criteria[0].statement,
        "documents": "\n".join(f"{n}. {d.name}" for n, d in enumerate(profile.documents, 1)),
    }
    # The summary as a real intake fills it (the contact's own answers count as they are).
    if "{declaration}" in text or "{org_name}" in text:
        values |= summary_values(profile, complete_state(profile))
    return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "Anna")), text)


def legal_texts() -> list[tuple[str, str]]:
    found = [(name, text) for name, text in RESPONSES.items() if LEGAL_TERMS.search(text)]
    for profile in PROFILES:
        found += [
            (key, text)
            for key, text in profile_texts(profile).items()
            # A statement is the checklist as decided, quoted; its source is the profile's own.
            if LEGAL_TERMS.search(text) and not key.endswith(".statement")
        ]
    return found


@pytest.mark.parametrize(("key", "text"), legal_texts(), ids=lambda value: str(value)[:40])
def test_every_text_about_law_has_a_named_source(key: str, text: str) -> None:
    assert key in SOURCED_KEYS, f"{key} talks about law; give its source in docs/sources.md"


def test_the_sources_name_laws_not_just_words() -> None:
    for law in ("2016:1145", "2017:725", "1990:782", "6.1 e", "107", "2022:900"):
        assert law in SOURCES


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_no_response_refuses_an_initiative_or_asks_for_consent(name: str) -> None:
    text = RESPONSES[name].lower()
    assert "kan inte ta emot" not in text
    assert "utan ditt ja" not in text
    for mention in re.finditer(r"samtycke", text):
        before = text[max(0, mention.start() - 30) : mention.start()]
        assert re.search(r"\b(inget|inte ge något|utan)\b", before), (name, before)


def test_the_verdicts_say_first_assessment_and_that_the_kommun_still_receives() -> None:
    assert "första bedömning" in RESPONSES["utter_verdict_fits"]
    assert "första bedömning" in RESPONSES["utter_verdict_does_not_fit"]
    assert "tar ändå emot" in RESPONSES["utter_verdict_options"]


def test_what_is_unclear_in_law_is_left_to_the_kommun_case_by_case() -> None:
    assert "från fall till fall" in RESPONSES["utter_answer_iop_vs_procurement"]
    assert "från fall till fall" in RESPONSES["utter_more_iop_vs_procurement"]
    for profile in PROFILES:
        market = [c for c in profile.criteria if re.search(r"\bmarknad\b|företag", c.statement)]
        for criterion in market:
            assert "från fall till fall" in criterion.if_no, (profile.id, criterion.id)


def too_hard(message: str) -> bool:
    words = word_count(message)
    return words > MAX_WORDS or (words >= LIX_FROM_WORDS and lix(message) > MAX_LIX)


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.id)
def test_every_message_is_short_and_readable(profile: Profile) -> None:
    too_long = []
    for name, text in RESPONSES.items():
        if name in QUOTED_VERBATIM:
            continue
        message = filled(text, profile)
        if too_hard(message):
            too_long.append(f"{name}: {word_count(message)} words, LIX {lix(message):.0f}")
    for key, text in profile_texts(profile).items():
        if key.endswith(".statement"):
            continue  # the kommun's own checklist wording, quoted as decided
        if too_hard(text):
            too_long.append(f"{key}: {word_count(text)} words, LIX {lix(text):.0f}")
    assert too_long == []
