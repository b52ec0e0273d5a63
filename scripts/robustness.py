"""Does the dialogue hold for any model trained from the same data? (issue 11; a benchmark.)

Trains the project's config with several random seeds (DIET and TED), then runs the end-to-end
answer sets (tests/e2e/test_answer_sets.py: 40 realistic organisations through the real Rasa and
action servers) against each model, and the held-out NLU sets for reference. Every seed must reach
100 %. Prints a table and appends it to docs/benchmarks.md.

    .venv/bin/python scripts/robustness.py [--seeds 1 2 3]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devstack.benchmarks import markdown_table, publish, train
from devstack.nlu_eval import evaluate
from devstack.paths import PROJECT_ROOT, VENV_BIN

SEED = re.compile(r"(random_seed:\s*)\d+")


def config_with_seed(seed: int, workdir: Path) -> Path:
    """config.yml with every random_seed set to `seed`."""
    text, count = SEED.subn(rf"\g<1>{seed}", (PROJECT_ROOT / "config.yml").read_text())
    if count < 2:
        raise SystemExit("config.yml should give DIET and TED a random_seed")
    path = workdir / f"config-seed-{seed}.yml"
    path.write_text(text)
    return path


def run_answer_sets(model: Path, workdir: Path) -> dict:
    report = workdir / "answer-sets.json"
    subprocess.run(
        [
            str(VENV_BIN / "pytest"),
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/e2e/test_answer_sets.py",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "IOP_TEST_MODEL": str(model), "IOP_ANSWER_SETS_REPORT": str(report)},
        check=False,
    )
    if not report.exists():
        return {"total": 40, "reached": 0, "failures": ["the test did not run to the end"]}
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    header = [
        "seed",
        "training",
        "answer sets reaching the summary",
        "F1 held-out",
        "F1 independent",
        "F1 fresh",
        "F1 unseen",
    ]
    rows: list[list[str]] = []
    all_reached = True
    with tempfile.TemporaryDirectory(prefix="robustness-") as tmp:
        for seed in args.seeds:
            workdir = Path(tmp) / f"seed-{seed}"
            workdir.mkdir()
            seconds, _ = train(config_with_seed(seed, workdir), workdir, "model")
            model = workdir / "model.tar.gz"
            result = run_answer_sets(model, workdir)
            scores = evaluate(model)
            share = result["reached"] / result["total"]
            all_reached = all_reached and share == 1.0
            rows.append(
                [
                    str(seed),
                    f"{seconds / 60:.1f} min",
                    f"{result['reached']}/{result['total']} ({share:.0%})",
                    *(
                        f"{scores[name].macro_f1:.3f}"
                        for name in ("heldout", "independent", "fresh", "unseen")
                    ),
                ]
            )
            for failure in result["failures"]:
                print(f"seed {seed}: {failure[:500]}", file=sys.stderr)
            print(markdown_table(header, rows), flush=True)
    about = (
        "config.yml trained with each random seed (DIET and TED); each model ran the 40 "
        "end-to-end answer sets (tests/e2e/test_answer_sets.py) through the real Rasa and "
        "action servers."
    )
    title = "Robustness: one data set, several trained models"
    publish(title, about, markdown_table(header, rows), keep=not args.no_record)
    return 0 if all_reached else 1


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"robustness run: {(time.perf_counter() - started) / 60:.1f} min", file=sys.stderr)
    sys.exit(code)
