"""One trained model, loaded once for the NLU tests as the Rasa server loads it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from devstack.nlu_eval import MODEL, load_agent

if TYPE_CHECKING:
    from rasa.core.agent import Agent


@pytest.fixture(scope="session")
def nlu_agent() -> Agent:
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    return load_agent(MODEL)
