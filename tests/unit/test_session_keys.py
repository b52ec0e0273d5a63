"""The widget's secret and the conversation reference (issue 13, item 2)."""

from __future__ import annotations

from bot.web.session_keys import (
    REFERENCE,
    conversation_reference,
    new_secret,
    valid_secret,
)


def test_a_reference_is_a_fixed_one_way_function_of_the_secret() -> None:
    secret = new_secret()
    assert valid_secret(secret)
    reference = conversation_reference(secret)
    assert REFERENCE.match(reference)
    assert reference == conversation_reference(secret)
    assert secret not in reference and reference not in secret
    assert conversation_reference(new_secret()) != reference


def test_a_reference_is_never_taken_for_a_secret() -> None:
    reference = conversation_reference(new_secret())
    assert not valid_secret(reference)
    assert conversation_reference(reference) != reference


def test_only_what_the_gateway_issues_is_a_secret() -> None:
    for odd in (None, 12, "", "../../etc/passwd", "a" * 42, "a" * 44, "a" * 42 + "/", ["a" * 43]):
        assert not valid_secret(odd)
    assert valid_secret("a" * 43)
