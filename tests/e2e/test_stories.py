"""Rasa's own end-to-end story test: dialogue and NLU, with the real action server running.

Through the launcher (bot/rasa_server.py), as the Rasa server runs: the same run-time fixes and
the fast model load."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import PROJECT_ROOT
from tests.e2e.servers import MODEL, VENV_BIN

STORIES = PROJECT_ROOT / "tests" / "e2e" / "test_stories.yml"


def test_every_test_story_passes_with_no_prediction_errors(stack, tmp_path):
    result = subprocess.run(
        [
            str(VENV_BIN / "python"),
            "-m",
            "bot.rasa_server",
            "test",
            "core",
            "--e2e",
            "--model",
            str(MODEL),
            "--stories",
            str(STORIES),
            "--endpoints",
            str(stack.endpoints),
            "--out",
            str(tmp_path),
            "--fail-on-prediction-errors",
            "--no-plot",
            "--quiet",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    report = json.loads((tmp_path / "story_report.json").read_text())
    stories = STORIES.read_text(encoding="utf-8").count("- story:")
    assert stories >= 12
    assert report["conversation_accuracy"]["accuracy"] == 1.0
    assert report["conversation_accuracy"]["total"] == stories
