from bot.assessment import Answer, Outcome, assess, next_unanswered, parse_answers
from bot.profile import load_profile

CRITERIA = load_profile("mora").criteria


def all_answers(value: Answer) -> dict[str, Answer]:
    return {c.id: value for c in CRITERIA}


def test_all_yes_means_iop_can_fit():
    result = assess(CRITERIA, all_answers(Answer.YES))
    assert result.outcome is Outcome.FITS
    assert result.failed == () and result.unsure == ()


def test_one_no_means_iop_does_not_fit_and_names_the_criterion():
    answers = all_answers(Answer.YES)
    answers[CRITERIA[6].id] = Answer.NO
    result = assess(CRITERIA, answers)
    assert result.outcome is Outcome.DOES_NOT_FIT
    assert [c.id for c in result.failed] == [CRITERIA[6].id]


def test_dont_know_without_no_may_fit_and_is_flagged():
    answers = all_answers(Answer.YES)
    answers[CRITERIA[2].id] = Answer.UNSURE
    answers[CRITERIA[4].id] = Answer.UNSURE
    result = assess(CRITERIA, answers)
    assert result.outcome is Outcome.MAY_FIT
    assert [c.id for c in result.unsure] == [CRITERIA[2].id, CRITERIA[4].id]


def test_no_wins_over_dont_know_but_both_are_reported():
    answers = all_answers(Answer.UNSURE)
    answers[CRITERIA[0].id] = Answer.NO
    result = assess(CRITERIA, answers)
    assert result.outcome is Outcome.DOES_NOT_FIT
    assert len(result.failed) == 1 and len(result.unsure) == len(CRITERIA) - 1


def test_missing_answers_are_incomplete_and_next_unanswered_follows_profile_order():
    answers = {CRITERIA[0].id: Answer.YES, CRITERIA[2].id: Answer.NO}
    assert assess(CRITERIA, answers).outcome is Outcome.INCOMPLETE
    assert next_unanswered(CRITERIA, answers) == CRITERIA[1]
    assert next_unanswered(CRITERIA, all_answers(Answer.YES)) is None


def test_parse_answers_drops_unknown_values():
    assert parse_answers({"a": "ja", "b": "kanske", "c": "vet_inte"}) == {
        "a": Answer.YES,
        "c": Answer.UNSURE,
    }
    assert parse_answers(None) == {}
