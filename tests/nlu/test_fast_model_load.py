"""The launcher's fast model load (bot/rasa_server.py) predicts exactly what Rasa's own load does.

Rasa's own load runs in a process of its own (so that it has none of the launcher's patches);
the fast load is the NLU tests' model (`nlu_agent`, loaded as the server loads it). Every DIET
and TED weight the fast load creates must hold the value Rasa's load restored, NLU must parse the
held-out messages identically, and TED must give the same next-action probabilities.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from devstack.nlu_eval import MODEL, model_snapshot
from tests.conftest import PROJECT_ROOT

# Rasa's own load: a training step (about a minute) to create the weights, then the file's values.
RASAS_OWN_LOAD = """
import json, sys
from bot import rasa_server
rasa_server.skip_jax()
from rasa.core.agent import Agent
from devstack.nlu_eval import model_snapshot, quiet_rasa_logging

quiet_rasa_logging()
print(json.dumps(model_snapshot(Agent.load(sys.argv[1]))))
"""


@pytest.fixture(scope="module")
def both(nlu_agent) -> tuple[dict, dict]:
    """(Rasa's own load, the fast load) of the same trained model."""
    result = subprocess.run(
        [sys.executable, "-c", RASAS_OWN_LOAD, str(MODEL)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(PROJECT_ROOT), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), model_snapshot(nlu_agent)


def test_every_weight_the_fast_load_creates_has_the_trained_value(both):
    rasa, fast = both
    assert fast["patched"] and not rasa["patched"]
    assert len(fast["weights"]) >= 20
    assert set(fast["weights"]) <= set(rasa["weights"])
    for name, values in fast["weights"].items():
        assert np.allclose(values, rasa["weights"][name]), name
    assert {name.split("/")[0] for name in fast["weights"]} == {
        name.split("/")[0] for name in rasa["weights"]
    }  # both DIET and TED


def test_both_loads_parse_the_same(both):
    rasa, fast = both
    for ours, theirs in zip(fast["intents"], rasa["intents"], strict=True):
        assert [name for name, _ in ours] == [name for name, _ in theirs]
        assert np.allclose([c for _, c in ours], [c for _, c in theirs], atol=1e-5)


def test_both_loads_give_ted_the_same_next_actions(both):
    rasa, fast = both
    assert len(fast["next_actions"]) >= 50
    assert len(fast["next_actions"]) == len(rasa["next_actions"])
    for ours, theirs in zip(fast["next_actions"], rasa["next_actions"], strict=True):
        assert np.argmax(ours) == np.argmax(theirs)
        assert np.allclose(ours, theirs, atol=1e-5)
