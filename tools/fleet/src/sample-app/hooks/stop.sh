#!/bin/sh
# stop hook: gracefully stop the release running on this server (whichever version it is).
# Runs after HAProxy has drained the server. Idempotent: nothing running is success.
# Needs: CONVEYOR_STATE_DIR. Optional: STOP_GRACE_SECONDS (default 10) before SIGKILL.
set -eu
: "${CONVEYOR_STATE_DIR:?CONVEYOR_STATE_DIR is not set}"
pid_file="$CONVEYOR_STATE_DIR/app.pid"
grace_seconds="${STOP_GRACE_SECONDS:-10}"

# true while the process is alive and is our server (not a zombie, not a recycled pid)
is_our_server() {
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  case "$state" in Z*) return 1 ;; esac
  ps -o args= -p "$1" 2>/dev/null | grep -q 'server\.js'
}

if [ ! -f "$pid_file" ]; then
  echo "stop: no pid file at $pid_file, nothing to stop"
  exit 0
fi
pid=$(cat "$pid_file")
if ! is_our_server "$pid"; then
  echo "stop: process $pid from $pid_file is not running, nothing to stop"
  rm -f "$pid_file"
  exit 0
fi

echo "stop: sending SIGTERM to $pid"
kill -TERM "$pid" 2>/dev/null || true
ticks=0
while is_our_server "$pid"; do
  if [ "$ticks" -ge $((grace_seconds * 10)) ]; then
    echo "stop: $pid still running after ${grace_seconds}s, sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    break
  fi
  sleep 0.1
  ticks=$((ticks + 1))
done
rm -f "$pid_file"
echo "stop: $pid stopped"
