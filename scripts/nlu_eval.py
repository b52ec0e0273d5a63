"""Evaluate a trained Rasa model's intent classification on the held-out Swedish test sets and
print each set's figures and the misclassified messages.

    python scripts/nlu_eval.py [MODEL.tar.gz]

The evaluation itself is devstack/nlu_eval.py (also used by tests/nlu and the benchmarks).
"""

from __future__ import annotations

import sys
from pathlib import Path

from devstack.nlu_eval import MODEL, evaluate


def main() -> int:
    model = Path(sys.argv[1]) if len(sys.argv) > 1 else MODEL
    for name, result in evaluate(model).items():
        f1, accuracy = result.macro_f1, result.accuracy
        print(f"{name}: macro-F1 {f1:.3f}, accuracy {accuracy:.3f}, n={result.count}")
        for text, expected, predicted in result.errors:
            print(f"   {expected:>24} -> {predicted:<24} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
