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
from devstack.nlu_eval import evaluate
from devstack.paths import PROJECT_ROOT

# Rasa fills in its default pipeline when a config names none: the honest baseline.
RASA_DEFAULT_CONFIG = """recipe: default.v1
language: sv
assistant_id: rasa-default-baseline
"""


@dataclass(frozen=True)
class Row:
    name: str
    f1: float
    f1_no_diacritics: float
    f1_independent: float
    f1_independent_no_diacritics: float
    precision_stop: float
    precision_request_human: float
    f1_fresh: float
    f1_fresh_no_diacritics: float
    fresh_precision_stop: float
    fresh_precision_request_human: float
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
    return Row(
        name=name,
        f1=scores["heldout"].macro_f1,
        f1_no_diacritics=scores["no_diacritics"].macro_f1,
        f1_independent=scores["independent"].macro_f1,
        f1_independent_no_diacritics=scores["independent_no_diacritics"].macro_f1,
        precision_stop=scores["independent"].precision["stop"],
        precision_request_human=scores["independent"].precision["request_human"],
        f1_fresh=scores["fresh"].macro_f1,
        f1_fresh_no_diacritics=scores["fresh_no_diacritics"].macro_f1,
        fresh_precision_stop=scores["fresh"].precision["stop"],
        fresh_precision_request_human=scores["fresh"].precision["request_human"],
        train_seconds=seconds,
        model_mb=model.stat().st_size / 1e6,
    )


HEADER = (
    "pipeline",
    "macro-F1 held-out",
    "(no å/ä/ö)",
    "macro-F1 independent",
    "(no å/ä/ö)",
    "precision stop",
    "precision request_human",
    "macro-F1 fresh",
    "(no å/ä/ö)",
    "precision stop",
    "precision request_human",
    "training time",
    "model size",
)


def table(rows: list[Row]) -> str:
    return markdown_table(HEADER, (_cells(row) for row in rows))


def _cells(row: Row) -> list[str]:
    scores = (
        row.f1,
        row.f1_no_diacritics,
        row.f1_independent,
        row.f1_independent_no_diacritics,
        row.precision_stop,
        row.precision_request_human,
        row.f1_fresh,
        row.f1_fresh_no_diacritics,
        row.fresh_precision_stop,
        row.fresh_precision_request_human,
    )
    return [
        row.name,
        *(f"{score:.3f}" for score in scores),
        f"{row.train_seconds:.0f} s",
        f"{row.model_mb:.1f} MB",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nlu-benchmark-") as tmp:
        workdir = Path(tmp)
        project_config = workdir / "project.yml"
        project_config.write_text(nlu_only((PROJECT_ROOT / "config.yml").read_text()))
        default_config = workdir / "rasa-default.yml"
        default_config.write_text(RASA_DEFAULT_CONFIG)
        rows = [
            train_and_score("iop-lotsen", project_config, workdir),
            train_and_score("rasa-default", default_config, workdir),
        ]
    about = (
        "Training data: data/nlu; test data: tests/nlu (held-out, never trained on; the "
        "independent set was written by someone who never read the training data, the fresh set "
        "by another such writer after the configuration was chosen; precision per set)."
    )
    publish("NLU benchmark", about, table(rows), keep=not args.no_record)
    return 0


if __name__ == "__main__":
    sys.exit(main())
