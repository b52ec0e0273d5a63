#!/usr/bin/env bash
# Set up IOP-lotsen on a fresh machine: Python 3.10 venv, pinned packages, the Swedish spaCy
# pipeline and a trained model. Every step is skipped when its inputs have not changed, so a
# second run takes seconds. Source-able: defines PROJECT_ROOT and VENV.
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$PROJECT_ROOT/.venv"
BUILD="$PROJECT_ROOT/build"
SPACY_MODEL="$BUILD/spacy/sv_iop_lotsen"
export PIP_DISABLE_PIP_VERSION_CHECK=1 TF_CPP_MIN_LOG_LEVEL=2 SQLALCHEMY_SILENCE_UBER_WARNING=1
# No telemetry (the network is closed anyway) and no deprecation noise from pinned libraries.
export RASA_TELEMETRY_ENABLED=false PYTHONWARNINGS="ignore::DeprecationWarning"

# Each line says the minutes:seconds since the script started, so a slow step shows in CI's log.
say() { printf '\033[1m[iop-lotsen %02d:%02d]\033[0m %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }
fail() { printf '\033[31m[iop-lotsen] %s\033[0m\n' "$*" >&2; exit 1; }

hash_of() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }

find_python310() {
  local candidate
  for candidate in "${PYTHON310:-}" python3.10 \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 \
      /usr/local/bin/python3.10 /usr/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
      command -v "$candidate" || echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    return
  fi
  local python
  python="$(find_python310)" || fail "Python 3.10 is required (Rasa 3.6 supports 3.8–3.10) but no working python3.10 was found. Install it (e.g. 'apt install python3.10' or 'pyenv install 3.10') or set PYTHON310=/path/to/python3.10."
  say "Creating virtual environment with $python"
  rm -rf "$VENV"
  "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade "pip<25" "setuptools==70.3.0" wheel
}

ensure_packages() {
  local stamp="$VENV/.installed" want
  want="$(hash_of "$PROJECT_ROOT/pyproject.toml" "$PROJECT_ROOT/constraints.txt")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "Installing pinned packages (first run takes a few minutes)"
  "$VENV/bin/python" -m pip install --quiet -c "$PROJECT_ROOT/constraints.txt" -e "$PROJECT_ROOT[dev]"
  echo "$want" > "$stamp"
}

ensure_spacy_model() {
  local stamp="$SPACY_MODEL/.built-from" want
  want="$(hash_of "$PROJECT_ROOT/scripts/build_spacy_model.py" "$PROJECT_ROOT/devstack/spacy_model.py" \
    "$PROJECT_ROOT/bot/spacy_lemmatizer.py" "$PROJECT_ROOT/bot/text.py" "$PROJECT_ROOT/constraints.txt")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  say "Building the Swedish spaCy pipeline (lookup lemmatizer) in build/"
  rm -rf "$SPACY_MODEL"
  "$VENV/bin/python" "$PROJECT_ROOT/scripts/build_spacy_model.py" "$SPACY_MODEL"
  echo "$want" > "$stamp"
}

training_fingerprint() {
  (cd "$PROJECT_ROOT" && find config.yml domain.yml data bot/nlu_components.py bot/linear_intents.py bot/text.py \
      "$SPACY_MODEL/.built-from" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

ensure_model() {
  local stamp="$PROJECT_ROOT/models/.trained-from" want
  want="$(training_fingerprint)"
  if [ -f "$stamp" ] && [ -f "$PROJECT_ROOT/models/iop-lotsen.tar.gz" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "Model is up to date"
    return
  fi
  say "Training the model (data, config or domain changed)"
  (cd "$PROJECT_ROOT" && "$VENV/bin/rasa" train --fixed-model-name iop-lotsen --out models --quiet)
  echo "$want" > "$stamp"
}

setup_all() {
  ensure_venv
  ensure_packages
  ensure_spacy_model
  ensure_model
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  setup_all
fi
