#!/usr/bin/env bash
# Set everything up, then run the whole test suite: lint, unit tests, data validation,
# held-out NLU evaluation and end-to-end conversations against the real servers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all
cd "$PROJECT_ROOT"

say "Lint (ruff)"
"$VENV/bin/ruff" check bot actions tests scripts

say "Validate training data and domain (warnings fail)"
"$VENV/bin/python" scripts/validate_data.py

say "pytest: unit, NLU held-out evaluation, end-to-end"
"$VENV/bin/pytest" -q "$@"
