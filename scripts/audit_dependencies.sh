#!/usr/bin/env bash
# Audit every pinned package (constraints.txt) for known vulnerabilities with pip-audit.
# Fails on any vulnerability not triaged in security/pip-audit-triage.toml.
#
# pip-audit lives in its own venv (build/tools/pip-audit): it needs packaging>=23, which Rasa 3.6
# forbids in the project's venv. It audits the pinned list itself (--no-deps --disable-pip), so
# nothing is resolved or installed for the audit. It needs PyPI's JSON API or OSV on the network;
# where neither answers, it exits 3 with a clear message instead of a false "no vulnerabilities".
set -euo pipefail
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$PROJECT_ROOT/scripts/setup.sh"
TOOL_VENV="$PROJECT_ROOT/build/tools/pip-audit"
PIP_AUDIT_VERSION="2.10.1"
SERVICE="${PIP_AUDIT_SERVICE:-pypi}"  # or osv

# A package we pin, not just any: a mirror may answer for some packages and 404 for the rest.
probe="https://pypi.org/pypi/rasa/3.6.21/json"
[ "$SERVICE" = "osv" ] && probe="https://api.osv.dev/v1/vulns/PYSEC-2021-1"
if ! "$VENV/bin/python" - "$probe" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=15) as answer:
        sys.exit(0 if answer.status == 200 else 1)
except Exception:
    sys.exit(1)
PY
then
  echo "pip-audit cannot run: the vulnerability service ($SERVICE, $probe) does not answer from this machine." >&2
  exit 3
fi

if ! "$TOOL_VENV/bin/pip-audit" --version 2>/dev/null | grep -q "$PIP_AUDIT_VERSION"; then
  python="$(find_python310)" || fail "Python 3.10 is needed for the audit tool's venv."
  "$python" -m venv "$TOOL_VENV"
  "$TOOL_VENV/bin/python" -m pip install --quiet "pip-audit==$PIP_AUDIT_VERSION"
fi


ignores=()
while IFS= read -r id; do ignores+=(--ignore-vuln "$id"); done < <(
  "$TOOL_VENV/bin/python" -c '
import sys, tomli
for entry in tomli.load(open(sys.argv[1], "rb"))["ignore"]:
    print(entry["id"])' "$PROJECT_ROOT/security/pip-audit-triage.toml")

mkdir -p "$PROJECT_ROOT/build/tools"
grep -v -E '^(setuptools|wheel|pip)==' "$PROJECT_ROOT/constraints.txt" | grep -E '^[A-Za-z0-9_.-]+==' \
  > "$PROJECT_ROOT/build/tools/audit-requirements.txt"
# --strict: a package that could not be audited is a failure, never a silent pass.
exec "$TOOL_VENV/bin/pip-audit" --strict --disable-pip --no-deps --progress-spinner off \
  --vulnerability-service "$SERVICE" -r "$PROJECT_ROOT/build/tools/audit-requirements.txt" \
  "${ignores[@]}"
