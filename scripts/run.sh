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
"$VENV/bin/python" scripts/write_endpoints.py "$BUILD/endpoints.yml" \
  --actions-url "http://127.0.0.1:$ACTIONS_PORT/webhook"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

say "Starting the action server on port $ACTIONS_PORT"
"$VENV/bin/rasa" run actions --actions actions --port "$ACTIONS_PORT" >"$LOGS/actions.log" 2>&1 &
pids+=($!)
say "Starting the Rasa server on 127.0.0.1:$RASA_PORT"
"$VENV/bin/rasa" run --model models/iop-lotsen.tar.gz --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints "$BUILD/endpoints.yml" --credentials credentials.yml --cors "http://localhost:$WEB_PORT" \
  --cors "http://127.0.0.1:$WEB_PORT" >"$LOGS/rasa.log" 2>&1 &
pids+=($!)
"$VENV/bin/python" -m bot.web.serve --port "$WEB_PORT" --rasa-url "http://localhost:$RASA_PORT" \
  >"$LOGS/web.log" 2>&1 &
pids+=($!)

"$VENV/bin/python" scripts/wait_for.py "http://127.0.0.1:$ACTIONS_PORT/health" \
  "http://127.0.0.1:$RASA_PORT/" --timeout 180 || { tail -n 30 "$LOGS"/*.log; exit 1; }

say "Ready. Chat in your browser: http://localhost:$WEB_PORT/"
say "Or over REST: curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{\"sender\":\"test\",\"message\":\"Hej! Vad är IOP?\"}'"
say "Logs in build/logs/. Stop with Ctrl+C."
wait -n "${pids[@]}"
