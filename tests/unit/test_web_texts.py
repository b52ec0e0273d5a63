"""The gateway's Swedish lives in one module, bot/web/texts.py, and nowhere else in its code."""

from __future__ import annotations

import ast
import re

import pytest

from bot.web import texts
from tests.conftest import PROJECT_ROOT

# The gateway's modules that speak to users or caseworkers (console pages have templates).
SPEAKING_MODULES = [
    "bot/web/chat.py",
    "bot/web/conversation.py",
    "bot/web/live_handoff.py",
    "bot/web/hub.py",
    "bot/web/console/live.py",
]
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|inte|igen|du|dig|jag)\b")


def string_literals(source: str) -> list[str]:
    """Every string constant except docstrings (comments are not in the tree)."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


@pytest.mark.parametrize("module", SPEAKING_MODULES)
def test_no_swedish_outside_the_texts_module(module):
    source = (PROJECT_ROOT / module).read_text(encoding="utf-8")
    assert [text for text in string_literals(source) if SWEDISH.search(text)] == []


def test_the_texts_module_holds_the_gateways_words():
    assert texts.NOT_RESUMED == (
        "IOP-lotsen svarar inte just nu, så chatten är fortfarande öppen hos dig. "
        "Försök igen om en stund."
    )
    assert texts.taken_by("anna") == "anna har redan tagit den här."
    assert texts.CASEWORKER_TOO_LONG == "Skriv högst 2000 tecken per meddelande."
