#!/usr/bin/env bash
# Set everything up, then run the action server, the Rasa server and the chat page.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
setup_all

RASA_PORT="${RASA_PORT:-5005}"
ACTIONS_PORT=5055  # endpoints.yml points here
WEB_PORT="${WEB_PORT:-8080}"
LOGS="$BUILD/logs"
mkdir -p "$LOGS"
cd "$PROJECT_ROOT"

# One database for the intake queue and the conversations: DATABASE_URL, or var/iop-lotsen.db.
say "Preparing the database ($("$VENV/bin/python" -c 'from bot.intake_queue.database import database_url, describe; print(describe(database_url()))'))"
"$VENV/bin/iop-handlaggare" db upgrade
# Secrets shared between our own processes only, made once and kept in build/ (mode 600).
secret() {
  [ -s "$BUILD/$1" ] || (umask 077 && "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))' >"$BUILD/$1")
  cat "$BUILD/$1"
}
export ACTION_SERVER_TOKEN="${ACTION_SERVER_TOKEN:-$(secret action-server-token)}"
"$VENV/bin/python" scripts/write_endpoints.py "$BUILD/endpoints.yml" \
  --actions-url "http://127.0.0.1:$ACTIONS_PORT/webhook"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

say "Starting the action server on 127.0.0.1:$ACTIONS_PORT (only Rasa, with the shared token)"
"$VENV/bin/python" -m actions.serve --port "$ACTIONS_PORT" >"$LOGS/actions.log" 2>&1 &
pids+=($!)
# Rasa's HTTP API (read a conversation, pause/resume it for a caseworker) is on loopback only and
# needs this token; only the web gateway knows it.
export RASA_TOKEN="${RASA_TOKEN:-$(secret rasa-token)}" RASA_URL="http://127.0.0.1:$RASA_PORT"

say "Starting the Rasa server on 127.0.0.1:$RASA_PORT"
"$VENV/bin/python" -m bot.rasa_server run --model models/iop-lotsen.tar.gz --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints "$BUILD/endpoints.yml" --credentials credentials.yml --enable-api \
  --auth-token="$RASA_TOKEN" >"$LOGS/rasa.log" 2>&1 &
pids+=($!)
say "Starting the web gateway (widget, demo page, caseworker console) on port $WEB_PORT"
"$VENV/bin/python" -m bot.web.serve --port "$WEB_PORT" >"$LOGS/web.log" 2>&1 &
pids+=($!)

"$VENV/bin/python" scripts/wait_for.py "http://127.0.0.1:$ACTIONS_PORT/health" \
  "http://127.0.0.1:$RASA_PORT/" "http://127.0.0.1:$WEB_PORT/health" --timeout 180 || { tail -n 30 "$LOGS"/*.log; exit 1; }

say "Ready. The demo page with the chat widget: http://localhost:$WEB_PORT/"
say "Caseworker console: http://localhost:$WEB_PORT/handlaggare/ (create an account first: $VENV/bin/iop-handlaggare konto skapa <namn>)"
say "Logs in build/logs/. Stop with Ctrl+C."
wait -n "${pids[@]}"
