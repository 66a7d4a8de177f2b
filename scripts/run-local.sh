#!/usr/bin/env bash
# `make run`: loads the demo organisation, starts the service on 3978 and the Microsoft 365
# Agents Playground (the Teams test client) on 56150, and prints the address to open. Their
# logs go to var/service.log and var/playground.log, so the address stays on the screen;
# Ctrl+C stops both and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-3978}"
playground_port="${PLAYGROUND_PORT:-56150}"
# The playground sends every message as its current user; PERSON=EMAIL picks who that is.
playground_user="${PERSON:-alexw@example.com}"
export DATABASE_URL="${DATABASE_URL:-sqlite+aiosqlite:///var/inspection-ready.db}"
# The playground sends unsigned activities: authentication off, on 127.0.0.1 only.
export INSPECTION_READY_DEV_NO_AUTH=1
cli=.venv/bin/inspection-ready
service_log=var/service.log
playground_log=var/playground.log
# The playground's own standard output: only the "Listening on PORT" line that says which
# port it took (it quietly takes another when the one asked for is busy).
playground_out=var/playground.out

for setting in PORT PLAYGROUND_PORT; do
  value="${!setting:-}"
  if [ -n "$value" ] && ! [[ "$value" =~ ^[1-9][0-9]{0,4}$ && "$value" -le 65535 ]]; then
    echo "$setting must be a port number from 1 to 65535, not '$value'." >&2
    exit 2
  fi
done
if [ "$port" = "$playground_port" ]; then
  echo "PORT and PLAYGROUND_PORT are both $port; the service and the playground need one each." >&2
  exit 2
fi
if [ -n "${MicrosoftAppId:-}" ]; then
  echo "MicrosoftAppId is set; the playground talks to a bot with authentication off." >&2
  echo "Unset it (and MicrosoftAppPassword, MicrosoftAppType) for the local demo." >&2
  exit 1
fi

if (exec 3<> "/dev/tcp/127.0.0.1/${port}") 2> /dev/null; then
  # Most likely another make run: the playground would otherwise talk to that one.
  echo "Something is already listening on port ${port}; stop it, or set PORT to another port." >&2
  exit 1
fi

# Job control puts each child in a process group of its own, and gives the terminal to the
# foreground job alone. Ctrl+C then reaches only that job (once all is running, the watch
# below), not make, nor the service and the playground, which this script stops itself;
# otherwise make would report "Error 130" and the two would be left to stop on their own.
set -m
service=""
playground=""
interrupted=""

# Runs a command as a job that Ctrl+C ends with a plain exit status 130. A job killed by
# SIGINT would have bash abandon whatever loop or block it is running, and not say why.
guard() {
  (
    trap 'exit 130' INT
    "$@"
  )
}

stop_all() {
  local group
  local groups=()
  for group in "$playground" "$service"; do
    if [ -n "$group" ] && kill -TERM -- "-$group" 2>/dev/null; then groups+=("$group"); fi
  done
  for _ in $(seq 1 100); do
    local left=()
    for group in "${groups[@]}"; do
      if kill -0 -- "-$group" 2>/dev/null; then left+=("$group"); fi
    done
    [ "${#left[@]}" -eq 0 ] && return 0
    guard sleep 0.1 || true
  done
  for group in "${groups[@]}"; do kill -KILL -- "-$group" 2>/dev/null || true; done
}

stopped() {
  stop_all
  # After the ^C the terminal echoed, which ends no line.
  if [ -t 2 ]; then echo; fi
  echo "Stopped."
  exit 0
}

# Runs one step of the start, its output into the file named first (- for none), stopping
# (as asked) or exiting (as it did) if it does not finish.
step() {
  local into="$1" status=0
  shift
  if [ "$into" = - ]; then
    guard "$@" || status=$?
  else
    guard "$@" > "$into" || status=$?
  fi
  if [ "$status" -eq 130 ] || [ -n "$interrupted" ]; then stopped; fi
  if [ "$status" -ne 0 ]; then exit "$status"; fi
}

# Says what went wrong, with the end of each log that says why.
fail() {
  local problem="$1" log
  shift
  echo "${problem}." >&2
  for log in "$@"; do
    if [ -s "$log" ]; then
      echo "The end of ${log}:" >&2
      tail -n 20 "$log" >&2
    fi
  done
  exit 1
}

pause() {
  guard sleep 0.5 || interrupted=1
}

answers() {
  local status=0
  guard curl -fsS "$1" > /dev/null 2>&1 || status=$?
  if [ "$status" -eq 130 ]; then interrupted=1; fi
  return "$status"
}

trap stop_all EXIT
# A signal to the script itself (rather than Ctrl+C in its terminal) stops it too.
trap 'interrupted=1' INT TERM HUP

mkdir -p var
# Before anything starts, so a mistyped PERSON is told the six there are at once.
step var/playground.json .venv/bin/python -m demo.playground "$playground_user"
step var/playground.person .venv/bin/python -m demo.playground --describe "$playground_user"
chatting_as="$(< var/playground.person)"
case "${playground_user,,}" in
  *adelev@*) other=meganb@example.com ;;
  *) other=adelev@example.com ;;
esac
step - "$cli" demo

"$cli" serve --host 127.0.0.1 --port "$port" < /dev/null > "$service_log" 2>&1 &
service=$!
# Polled with kill -0 and stopped by stop_all: out of the job table, so bash reports no
# "Terminated" line when they stop.
disown "$service"
ready=""
for _ in $(seq 1 120); do
  if answers "http://127.0.0.1:${port}/readyz"; then ready=1 && break; fi
  if [ -n "$interrupted" ]; then stopped; fi
  if ! kill -0 "$service" 2>/dev/null; then fail "The service did not start" "$service_log"; fi
  pause
done
if [ -n "$interrupted" ]; then stopped; fi
if [ -z "$ready" ]; then fail "The service did not get ready in time" "$service_log"; fi

export M365_AGENTS_PLAYGROUND_CONFIG_PATH="$PWD/var/playground.json"
export M365_AGENTS_PLAYGROUND_LOGFILE="$PWD/$playground_log"
# The playground writes its log only once it is running: an old one would mislead.
rm -f "$playground_log"
# Made empty here, not only by the redirection below: that happens in the child, which on a
# busy machine may not have run yet when the loop first reads the file.
: > "$playground_out"
TEAMSAPPTESTER_BROWSER=none npx --no-install agentsplayground start \
  -e "http://127.0.0.1:${port}/api/messages" -c msteams -p "$playground_port" \
  --disable-telemetry < /dev/null > "$playground_out" 2>&1 &
playground=$!
disown "$playground"
listening=""
ready=""
for _ in $(seq 1 120); do
  if [ -z "$listening" ]; then
    listening="$(sed -n 's/.*Listening on \([0-9][0-9]*\).*/\1/p' "$playground_out" | head -n 1)"
  fi
  if [ -n "$listening" ] && answers "http://127.0.0.1:${listening}/_internal/v1/testConfig"; then
    ready=1 && break
  fi
  if [ -n "$interrupted" ]; then stopped; fi
  if ! kill -0 "$playground" 2>/dev/null; then
    fail "The playground did not start" "$playground_out" "$playground_log"
  fi
  pause
done
if [ -n "$interrupted" ]; then stopped; fi
if [ -z "$ready" ]; then
  fail "The playground did not get ready in time" "$playground_out" "$playground_log"
fi

cat <<MSG

  Open http://localhost:${listening} in your browser.
  You are chatting as ${chatting_as}.
  To be someone else, press Ctrl+C, then run e.g. make run PERSON=${other}
  Ctrl+C stops the service and the playground.

MSG

both_running() {
  kill -0 "$service" 2>/dev/null && kill -0 "$playground" 2>/dev/null
}

# Ends when Ctrl+C is pressed (status 0), or when either child stops.
watch_both() {
  trap 'exit 0' INT
  while both_running; do sleep 1; done
}

if [ -n "$interrupted" ]; then stopped; fi
if [ -t 2 ]; then
  # In the foreground, holding the terminal.
  (watch_both) || true
else
  # No terminal to hold: the script itself takes the signal, and looks for it between naps.
  while [ -z "$interrupted" ] && both_running; do pause; done
fi

if [ -z "$interrupted" ] && ! kill -0 "$service" 2>/dev/null; then
  fail "The service stopped" "$service_log"
elif [ -z "$interrupted" ] && ! kill -0 "$playground" 2>/dev/null; then
  fail "The playground stopped" "$playground_out" "$playground_log"
fi
stopped
