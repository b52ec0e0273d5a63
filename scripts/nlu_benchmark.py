"""Train and evaluate, in one run, IOP-lotsen's NLU pipeline and Rasa's default pipeline.

Both are trained on data/nlu and scored on the held-out Swedish test set (tests/nlu), overall
and on its no-diacritics subset. Prints a table and appends it, with date and machine, to
docs/benchmarks.md. Run: .venv/bin/python scripts/nlu_benchmark.py
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from devstack.benchmarks import BENCHMARKS, machine
from devstack.nlu_eval import evaluate
from devstack.paths import PROJECT_ROOT, VENV_BIN

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
    started = time.perf_counter()
    subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "train",
            "nlu",
            "--config",
            str(config),
            "--nlu",
            "data/nlu",
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--quiet",
        ],
        cwd=PROJECT_ROOT,
        check=True,
        # No training cache: every run trains from scratch, so training times are real.
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_MAX_CACHE_SIZE": "0"},
    )
    seconds = time.perf_counter() - started
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


def table(rows: list[Row]) -> str:
    lines = [
        "| pipeline | macro-F1 held-out | (no å/ä/ö) | macro-F1 independent | (no å/ä/ö) "
        "| precision stop | precision request_human | macro-F1 fresh | (no å/ä/ö) "
        "| precision stop | precision request_human | training time | model size |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row.name} | {row.f1:.3f} | {row.f1_no_diacritics:.3f} | "
            f"{row.f1_independent:.3f} | {row.f1_independent_no_diacritics:.3f} | "
            f"{row.precision_stop:.3f} | {row.precision_request_human:.3f} | "
            f"{row.f1_fresh:.3f} | {row.f1_fresh_no_diacritics:.3f} | "
            f"{row.fresh_precision_stop:.3f} | {row.fresh_precision_request_human:.3f} | "
            f"{row.train_seconds:.0f} s | {row.model_mb:.1f} MB |"
        )
    return "\n".join(lines)


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
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    report = (
        f"\n### NLU benchmark, {stamp}\n\nMachine: {machine()}. Training data: data/nlu; "
        f"test data: tests/nlu (held-out, never trained on; the independent set was written "
        "by someone who never read the training data, the fresh set by another such writer "
        "after the configuration was chosen; precision per set)."
        f"\n\n{table(rows)}\n"
    )
    print(report)
    if not args.no_record:
        BENCHMARKS.parent.mkdir(exist_ok=True)
        if not BENCHMARKS.exists():
            BENCHMARKS.write_text("# Benchmarks\n\nFigures printed by the benchmark scripts.\n")
        with BENCHMARKS.open("a", encoding="utf-8") as handle:
            handle.write(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
