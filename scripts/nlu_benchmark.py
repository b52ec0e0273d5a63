"""Train and evaluate, in one run, IOP-lotsen's NLU pipeline and Rasa's default pipeline.

Both are trained on data/nlu and scored on the held-out Swedish test set (tests/nlu), overall
and on its no-diacritics subset. Prints a table and appends it, with date and machine, to
docs/benchmarks.md. Run: .venv/bin/python scripts/nlu_benchmark.py
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from devstack.benchmarks import markdown_table, publish, train
from devstack.nlu_eval import INDEPENDENT_SETS, evaluate
from devstack.paths import PROJECT_ROOT

# Rasa fills in its default pipeline when a config names none: the honest baseline.
RASA_DEFAULT_CONFIG = """recipe: default.v1
language: sv
assistant_id: rasa-default-baseline
"""


# (column heading, score set, figure): "f1" is macro-F1, an intent's name its precision.
COLUMNS = (
    ("macro-F1 held-out", "heldout", "f1"),
    ("(no å/ä/ö)", "no_diacritics", "f1"),
    *(
        column
        for name in INDEPENDENT_SETS
        for column in (
            (f"macro-F1 {name}", name, "f1"),
            ("(no å/ä/ö)", f"{name}_no_diacritics", "f1"),
            ("precision stop", name, "stop"),
            ("precision request_human", name, "request_human"),
        )
    ),
)
HEADER = ("pipeline", *(heading for heading, _, _ in COLUMNS), "training time", "model size")


@dataclass(frozen=True)
class Row:
    name: str
    figures: tuple[float, ...]  # in the order of COLUMNS
    train_seconds: float
    model_mb: float


def nlu_only(config_text: str) -> str:
    """The NLU part of a config (policies are irrelevant to an NLU benchmark)."""
    return config_text.split("\npolicies:")[0] + "\n"


def train_and_score(name: str, config: Path, workdir: Path) -> Row:
    out = workdir / "models"
    seconds, _ = train(config, out, name, nlu_only=True, show_output=True)
    model = out / f"{name}.tar.gz"
    scores = evaluate(model)
    figures = tuple(
        scores[part].macro_f1 if what == "f1" else scores[part].precision[what]
        for _, part, what in COLUMNS
    )
    return Row(name, figures, seconds, model.stat().st_size / 1e6)


def table(rows: list[Row]) -> str:
    return markdown_table(
        HEADER,
        (
            [
                row.name,
                *(f"{figure:.3f}" for figure in row.figures),
                f"{row.train_seconds:.0f} s",
                f"{row.model_mb:.1f} MB",
            ]
            for row in rows
        ),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument(
        "--default-runs",
        type=int,
        default=1,
        help="train Rasa's default pipeline this many times: it has no fixed seed and its scores "
        "move 1–2 points from one training to the next",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nlu-benchmark-") as tmp:
        workdir = Path(tmp)
        project_config = workdir / "project.yml"
        project_config.write_text(nlu_only((PROJECT_ROOT / "config.yml").read_text()))
        default_config = workdir / "rasa-default.yml"
        default_config.write_text(RASA_DEFAULT_CONFIG)
        rows = [train_and_score("iop-lotsen", project_config, workdir)]
        for run in range(1, args.default_runs + 1):
            name = "rasa-default" if args.default_runs == 1 else f"rasa-default-{run}"
            rows.append(train_and_score(name, default_config, workdir))
    about = (
        "Training data: data/nlu; test data: tests/nlu (held-out, never trained on; the "
        "independent set was written by someone who never read the training data, the fresh set "
        "by another such writer after the configuration was chosen, the unseen set by a third "
        "whose errors nobody has read; precision per set)."
    )
    publish("NLU benchmark", about, table(rows), keep=not args.no_record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
