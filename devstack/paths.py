"""Where the project and its virtual environment are (devstack is installed in editable mode)."""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# The venv's bin directory: servers are started with the same Python as the caller.
VENV_BIN = Path(sys.executable).parent
