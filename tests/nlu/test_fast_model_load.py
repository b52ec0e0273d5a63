"""The launcher's fast model load (bot/rasa_server.py) predicts exactly what Rasa's own load does.

Both loads run in their own process on the trained model; every DIET and TED weight the fast
load creates must hold the value Rasa's load restored, and NLU must parse the held-out messages
identically.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import PROJECT_ROOT

MODEL = PROJECT_ROOT / "models" / "iop-lotsen.tar.gz"
PROBE = """
import asyncio, json, sys
fast = sys.argv[1] == "fast"
from bot import rasa_server
rasa_server.skip_jax()
if fast:
    rasa_server.fast_model_load()
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel
from devstack.nlu_eval import HELDOUT, HELDOUT_INDEPENDENT, load_examples, quiet_rasa_logging

quiet_rasa_logging()
agent = Agent.load(sys.argv[2])
weights = {}
for name, node in agent.processor.graph_runner._instantiated_nodes.items():
    model = getattr(node._component, "model", None)
    if isinstance(model, RasaModel):
        for weight in model.weights:
            weights[f"{name}/{weight.name}"] = weight.numpy().ravel()[:64].tolist()
texts = [e.text for e in load_examples(HELDOUT)[:60] + load_examples(HELDOUT_INDEPENDENT)[:60]]

async def parse():
    return [await agent.parse_message(text) for text in texts]

parsed = asyncio.run(parse())
print(json.dumps({
    "patched": RasaModel.load.__func__ is rasa_server._load_for_inference,
    "weights": weights,
    "intents": [[(r["name"], r["confidence"]) for r in p["intent_ranking"][:3]] for p in parsed],
}))
"""


def start(way: str) -> subprocess.Popen:
    """One load in its own process ("rasa" or "fast"), so neither inherits the other's patches."""
    return subprocess.Popen(
        [sys.executable, "-c", PROBE, way, str(MODEL)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": str(PROJECT_ROOT), "PATH": ""},
    )


def result(process: subprocess.Popen) -> dict:
    try:
        stdout, stderr = process.communicate(timeout=600)
    finally:
        process.kill()
    assert process.returncode == 0, stderr[-3000:]
    return json.loads(stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def both() -> tuple[dict, dict]:
    """Both loads side by side: Rasa's own (a training step, about a minute) and the launcher's."""
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run scripts/setup.sh first.")
    rasa, fast = start("rasa"), start("fast")
    return result(rasa), result(fast)


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
