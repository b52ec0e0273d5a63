"""What the bot should say, rendered from domain.yml and a profile (so wording can change)."""

from __future__ import annotations

import yaml

from bot.profile import Profile
from tests.conftest import PROJECT_ROOT

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))


def response_text(profile: Profile, name: str, **values) -> str:
    template = DOMAIN["responses"][name][0]["text"]
    return template.format(kommun_name=profile.kommun.name, **values)


def question(profile: Profile, number: int) -> str:
    return response_text(
        profile,
        "utter_checklist_question",
        number=number,
        total=len(profile.criteria),
        question=profile.criteria[number - 1].question,
    )
