from pathlib import Path

import pytest
import yaml

from bot.profile import PROFILE_DIR, ProfileError, active_profile, load_profile


def test_default_profile_is_moras_guideline_with_all_nine_criteria(monkeypatch):
    monkeypatch.delenv("IOP_PROFILE", raising=False)
    profile = active_profile()
    assert profile.kommun.name == "Mora kommun"
    assert len(profile.criteria) == 9
    assert len(profile.documents) == 8
    assert profile.criteria[0].statement.startswith("Verksamheten sker på initiativ")


def test_forum_profile_has_eight_criteria_in_forums_order():
    profile = load_profile("linkoping_forum")
    assert profile.kommun.name == "Linköpings kommun"
    assert len(profile.criteria) == 8
    assert "politiskt program" in profile.criteria[1].statement


def test_one_setting_switches_profile(monkeypatch):
    monkeypatch.setenv("IOP_PROFILE", "linkoping_forum")
    assert active_profile().id == "linkoping_forum"


def test_declaration_has_all_six_points_grounds_and_a_stable_fingerprint():
    declaration = load_profile("mora").value_declaration
    for point in ("1.", "2.", "3.", "4.", "5.", "6."):
        assert point in declaration.text
    for ground in "abcdefg":
        assert f"{ground})" in declaration.text
    assert "rutiner" in declaration.text
    assert len(declaration.sha256) == 64
    assert declaration.sha256 == load_profile("mora").value_declaration.sha256


def write_profile(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def mora_data() -> dict:
    return yaml.safe_load((PROFILE_DIR / "mora.yml").read_text(encoding="utf-8"))


def test_missing_profile_names_the_bundled_ones():
    with pytest.raises(ProfileError, match="linkoping_forum, mora"):
        load_profile("stockholm")


def test_invalid_profile_lists_each_problem_with_its_field(tmp_path):
    data = mora_data()
    del data["criteria"][0]["question"]
    data["kommun"]["contact"]["email"] = "inte-en-adress"
    data["unexpected"] = True
    with pytest.raises(ProfileError) as error:
        load_profile(str(write_profile(tmp_path, data)))
    message = str(error.value)
    assert "criteria.0.question" in message
    assert "kommun.contact.email" in message
    assert "unexpected" in message


def test_duplicate_criterion_ids_are_rejected(tmp_path):
    data = mora_data()
    data["criteria"][1]["id"] = data["criteria"][0]["id"]
    with pytest.raises(ProfileError, match="duplicate ids"):
        load_profile(str(write_profile(tmp_path, data)))


def test_profile_that_is_not_a_mapping_is_rejected(tmp_path):
    path = tmp_path / "list.yml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="mapping"):
        load_profile(str(path))


def _profile_with(tmp_path: Path, **changes) -> Path:
    return write_profile(tmp_path, {**mora_data(), **changes})


def test_a_kommun_chooses_which_intake_fields_may_be_skipped(tmp_path):
    from bot.intake.state import IntakeState
    from bot.intake.steps import all_steps

    profile = load_profile(str(_profile_with(tmp_path, intake_optional=["goals"])))
    optional = {s.id for s in all_steps(profile, IntakeState()) if s.optional}
    assert optional == {"goals"}
    default = load_profile("mora")
    assert {s.id for s in all_steps(default, IntakeState()) if s.optional} == {
        "org_members",
        "org_website",
        "concerned_units",
    }


def test_required_intake_fields_cannot_be_made_optional(tmp_path):
    with pytest.raises(ProfileError, match=r"intake_optional(.|\n)*contact_email"):
        load_profile(str(_profile_with(tmp_path, intake_optional=["contact_email"])))


def _all_texts(profile) -> str:
    texts = [profile.next_steps, profile.examples, profile.checklist_source]
    texts += [profile.value_declaration.summary]
    texts += [d.why for d in profile.documents]
    for criterion in profile.criteria:
        texts += [criterion.question, criterion.explanation, criterion.if_no, criterion.alternative]
    return "\n".join(texts)


def test_the_linkoping_profile_says_only_what_its_source_says():
    """Seed 002 gives Forum's eight criteria, not Linköping's checklist, documents or process."""
    profile = load_profile("linkoping_forum")
    assert len(profile.criteria) == 8
    assert "Forum" in profile.checklist_source
    assert "inte Linköpings kommuns egen checklista" in profile.checklist_source
    texts = _all_texts(profile)
    assert "Linköpings kommuns checklista" not in texts
    assert "politiska nämnder" not in profile.next_steps
    # The declaration is Mora's text, said openly to the user.
    assert "annan kommun" in profile.value_declaration.summary
    assert profile.value_declaration.sha256 == load_profile("mora").value_declaration.sha256
