"""Evaluate a trained Rasa model's intent classification on the held-out Swedish test set.

Used by tests/nlu (thresholds) and scripts/nlu_benchmark.py (comparison with Rasa's default).
"""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
HELDOUT_NO_DIACRITICS = PROJECT_ROOT / "tests" / "nlu" / "heldout_no_diacritics.yml"


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


@dataclass(frozen=True)
class IntentScores:
    macro_f1: float
    accuracy: float
    count: int
    errors: tuple[tuple[str, str, str], ...]  # (text, expected, predicted)


def load_examples(path: Path) -> list[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [Example(m.get("text"), m.get("intent")) for m in data.intent_examples]


def score(examples: list[Example], predicted: list[str]) -> IntentScores:
    from sklearn.metrics import accuracy_score, f1_score

    expected = [e.intent for e in examples]
    labels = sorted(set(expected))
    return IntentScores(
        macro_f1=float(f1_score(expected, predicted, labels=labels, average="macro")),
        accuracy=float(accuracy_score(expected, predicted)),
        count=len(examples),
        errors=tuple(
            (e.text, e.intent, p) for e, p in zip(examples, predicted, strict=True) if e.intent != p
        ),
    )


def quiet_rasa_logging() -> None:
    """Rasa logs each parsed message at debug level; message text must never be logged."""
    import logging

    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    logging.getLogger("rasa").setLevel(logging.WARNING)


async def _predict(model_path: Path, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    quiet_rasa_logging()
    agent = Agent.load(str(model_path))
    predictions = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predictions.append(parsed["intent"]["name"])
    return predictions


def evaluate(model_path: Path) -> dict[str, IntentScores]:
    """Scores on the whole held-out set and on its no-diacritics subset."""
    with_diacritics = load_examples(HELDOUT)
    without = load_examples(HELDOUT_NO_DIACRITICS)
    everything = with_diacritics + without
    predicted = asyncio.run(_predict(model_path, [e.text for e in everything]))
    return {
        "heldout": score(everything, predicted),
        "no_diacritics": score(without, predicted[len(with_diacritics) :]),
    }


def main() -> int:
    model = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else PROJECT_ROOT / "models" / "iop-lotsen.tar.gz"
    )
    for name, result in evaluate(model).items():
        f1, accuracy = result.macro_f1, result.accuracy
        print(f"{name}: macro-F1 {f1:.3f}, accuracy {accuracy:.3f}, n={result.count}")
        for text, expected, predicted in result.errors:
            print(f"   {expected:>24} -> {predicted:<24} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
