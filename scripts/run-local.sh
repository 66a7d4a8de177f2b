#!/usr/bin/env bash
# `make run`: loads the demo organisation, starts the service on 3978 and the Microsoft 365
# Agents Playground (the Teams test client) on 56150, and prints the address to open.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-3978}"
playground_port="${PLAYGROUND_PORT:-56150}"
export DATABASE_URL="${DATABASE_URL:-sqlite+aiosqlite:///var/inspection-ready.db}"
# The playground sends unsigned activities: authentication off, on 127.0.0.1 only.
export INSPECTION_READY_DEV_NO_AUTH=1
cli=.venv/bin/inspection-ready

if [ -n "${MicrosoftAppId:-}" ]; then
  echo "MicrosoftAppId is set; the playground talks to a bot with authentication off." >&2
  echo "Unset it (and MicrosoftAppPassword, MicrosoftAppType) for the local demo." >&2
  exit 1
fi

"$cli" demo

# The playground sends every message as its current user; PERSON=EMAIL picks who that is.
playground_user="${PERSON:-alexw@example.com}"
mkdir -p var
.venv/bin/python -m demo.playground "$playground_user" > var/playground.json
export M365_AGENTS_PLAYGROUND_CONFIG_PATH="$PWD/var/playground.json"
export M365_AGENTS_PLAYGROUND_LOGFILE="$PWD/var/playground.log"
"$cli" serve --host 127.0.0.1 --port "$port" &
service=$!
trap 'kill "$service" 2>/dev/null; wait "$service" 2>/dev/null' EXIT

for _ in $(seq 1 60); do
  if curl -fsS "http://127.0.0.1:${port}/readyz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$service" 2>/dev/null; then echo "The service did not start." >&2; exit 1; fi
  sleep 0.5
done

cat <<MSG

  Inspection Ready is running on http://127.0.0.1:${port}/api/messages
  Open http://localhost:${playground_port} in your browser to chat with it as ${playground_user}.
  To be someone else, stop (Ctrl+C) and run e.g. make run PERSON=adelev@example.com
  (a practitioner) or PERSON=meganb@example.com (a manager). Ctrl+C stops both.

MSG

TEAMSAPPTESTER_BROWSER=none npx --no-install agentsplayground start \
  -e "http://127.0.0.1:${port}/api/messages" -c msteams -p "$playground_port" --disable-telemetry
