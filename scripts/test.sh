#!/usr/bin/env bash
# Set everything up, then run the whole test suite: lint, unit tests, data validation,
# held-out NLU evaluation and end-to-end conversations against the real servers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all
# The integration and end-to-end tests start their own PostgreSQL server from Debian's packages.
source "$PROJECT_ROOT/scripts/ensure_postgres.sh"
ensure_postgres
bash "$PROJECT_ROOT/scripts/ensure_scale_out.sh"  # nginx + Redis for the scale-out test
# The browser tests drive Debian's chromium headless.
source "$PROJECT_ROOT/scripts/ensure_chromium.sh"
ensure_chromium
cd "$PROJECT_ROOT"
# Keep Python's compiled modules (in __pycache__, which git ignores), even where the shell sets
# PYTHONDONTWRITEBYTECODE: the suite starts some forty Python processes importing the same
# modules, and without the cache each pytest worker rewrites and compiles every test module again.
unset PYTHONDONTWRITEBYTECODE

say "Lint (ruff)"
"$VENV/bin/ruff" check bot actions devstack tests scripts
"$VENV/bin/ruff" format --check bot actions devstack tests scripts

# Training data and domain are validated by tests/unit/test_validate_data.py (warnings fail).

say "pytest: unit, NLU held-out evaluation, end-to-end"
# Unbuffered, so CI's log shows how far the run got; the slowest tests are listed at the end,
# and a test still running after 15 minutes has every thread's stack printed (it is hung).
# Modules run on IOP_TEST_WORKERS workers (pytest-xdist; default one more than the CPUs, since
# much of an end-to-end test is waiting for a server), each module whole on one worker and the
# modules sharing a server set-up together (SHARED_SET_UPS), the longest first
# (tests/conftest.py). IOP_TEST_WORKERS=0 runs everything in one process.
workers="${IOP_TEST_WORKERS:-$(( $(nproc) + 1 ))}"
PYTHONUNBUFFERED=1 "$VENV/bin/pytest" -q --durations=30 -o faulthandler_timeout=900 \
  -n "$workers" --dist loadgroup --no-loadscope-reorder -m "not alone" "$@" || [ $? -eq 5 ]
say "pytest: timed tests, alone on the machine"
# Their figures must not depend on what another worker happens to run (marker `alone`).
# Exit status 5 (in either call) means the arguments selected none of its tests.
PYTHONUNBUFFERED=1 "$VENV/bin/pytest" -q -o faulthandler_timeout=900 -m alone "$@" || [ $? -eq 5 ]
say "Tests done"
