#!/bin/sh
# Conveyor's HAProxy reload hook: save every server's runtime state, then reload gracefully.
#
# The pool manager takes servers out of the customer pool over the Runtime API (drain, maint).
# Those states live in the running process only: a plain reload starts workers from the config,
# where every server is ready, and customers reach a server under deployment until the reconciler
# takes it out again. This hook closes that gap:
#   1. check the new config (nothing changes if it is invalid);
#   2. dump `show servers state` from the running worker into the server-state-file, atomically
#      (temporary file + rename) and under the file's lock (<file>.lock, held until the new worker
#      runs, so no other writer lands an older dump before it reads the file); HAProxy loads it at start (`server-state-file` in global,
#      `load-server-state-from-file global` in defaults); a failed dump stops the reload;
#   3. reload through the master CLI (`reload`, or SIGUSR2 to the master): old workers stop
#      accepting and finish the sessions they hold; the new worker starts with the saved states;
#   4. wait until the master counts the reload, and fail if it counts it as failed;
#   5. compare the new worker's states with the dump and put back any drain or maint it lost (another
#      writer of the state file, such as the pool manager, can land an older dump just before the new
#      worker reads it). Only ever takes servers out, never puts one back in.
#
# Used as systemd's ExecReload (deploy/haproxy/systemd/conveyor-reload.conf) and in the container
# (`docker compose exec haproxy haproxy-reload`). Needs socat. Settings (environment):
#   HAPROXY_CONFIG             /etc/haproxy/haproxy.cfg
#   HAPROXY_STATS_SOCKET       /run/haproxy/admin.sock   (level admin; a path or host:port)
#   HAPROXY_MASTER_SOCKET      /run/haproxy-master.sock  (`-S` of the master; a path or host:port)
#   HAPROXY_SERVER_STATE_FILE  /var/lib/haproxy/server-state (the config's `server-state-file`)
#   HAPROXY_MASTER_PID         the master's pid, used with SIGUSR2 when the master socket is absent
#                              (systemd's $MAINPID is used when set)
#   HAPROXY_BIN                haproxy
#   HAPROXY_RELOAD_WAIT_SECONDS 10
set -eu

CONFIG=${HAPROXY_CONFIG:-/etc/haproxy/haproxy.cfg}
STATS_SOCKET=${HAPROXY_STATS_SOCKET:-/run/haproxy/admin.sock}
MASTER_SOCKET=${HAPROXY_MASTER_SOCKET:-/run/haproxy-master.sock}
STATE_FILE=${HAPROXY_SERVER_STATE_FILE:-/var/lib/haproxy/server-state}
MASTER_PID=${HAPROXY_MASTER_PID:-${MAINPID:-}}
HAPROXY_BIN=${HAPROXY_BIN:-haproxy}
WAIT_SECONDS=${HAPROXY_RELOAD_WAIT_SECONDS:-10}

say() { echo "haproxy-reload: $*" >&2; }

# One command on a runtime socket (unix path or host:port); prints the answer.
runtime() {
  case "$1" in
    /*) address="unix-connect:$1" ;;
    unix:*) address="unix-connect:${1#unix:}" ;;
    *) address="tcp:${1#tcp://}" ;;
  esac
  printf '%s\n' "$2" | socat -t 5 stdio "$address"
}

# "<reloads> <failed>" of the master, from `show proc`.
master_counts() {
  runtime "$MASTER_SOCKET" 'show proc' |
    awk '$2 == "master" { failed = $5; sub(/\]/, "", failed); print $3, failed; exit }'
}

# "set server" commands for every server the dump had in drain or maint that the new worker has not
# (admin state bits: 1 = forced maint, 8 = forced drain). Reads the dump, then the live states.
lost_state_commands() {
  awk '
    FNR == 1 { file += 1 }
    FNR <= 2 || NF < 7 { next }
    file == 1 { saved[$2 "/" $4] = $7; next }
    {
      key = $2 "/" $4
      if (!(key in saved)) next
      want = saved[key]; have = $7
      if (want % 2 == 1 && have % 2 == 0) print "set server " key " state maint"
      else if (want % 2 == 0 && int(want / 8) % 2 == 1 && have % 2 == 0 && int(have / 8) % 2 == 0)
        print "set server " key " state drain"
    }' "$1" "$2"
}

restore_lost_states() {
  dump=$(mktemp) live=$(mktemp)
  printf '%s\n' "$saved_states" >"$dump"
  attempt=0
  until runtime "$STATS_SOCKET" 'show servers state' >"$live" 2>/dev/null && [ "$(sed -n 1p "$live")" = "1" ]; do
    attempt=$((attempt + 1))
    if [ "$attempt" -ge 30 ]; then
      say "could not read the new worker's states to check them; the pool manager's reconciler is the backstop"
      rm -f "$dump" "$live"
      return 0
    fi
    sleep 0.1
  done
  commands=$(lost_state_commands "$dump" "$live")
  rm -f "$dump" "$live"
  unrestored=0
  while IFS= read -r command; do
    [ -n "$command" ] || continue
    say "the new worker lost a state; restoring: $command"
    if ! runtime "$STATS_SOCKET" "$command" >/dev/null; then
      say "could not restore ($command); the pool manager's reconciler is the backstop"
      unrestored=1
    fi
  done <<EOF_COMMANDS
$commands
EOF_COMMANDS
  return "$unrestored"
}

command -v socat >/dev/null 2>&1 || { say "socat is required"; exit 2; }

# 1. The new config must be valid before anything else happens.
if ! "$HAPROXY_BIN" -c -q -f "$CONFIG"; then
  say "configuration $CONFIG is invalid; nothing reloaded"
  exit 1
fi

# 2. Save the runtime states atomically; refuse to reload without them. The state file's lock
#    (`<file>.lock`, a directory: mkdir is atomic) is held from the dump until the new worker has
#    started, so no other writer (the pool manager rewrites the file after each change) can land an
#    older dump in between. A lock older than a minute was left by a writer that died.
LOCK_DIR="$STATE_FILE.lock"
waited=0
until mkdir "$LOCK_DIR" 2>/dev/null; do
  if [ -n "$(find "$LOCK_DIR" -maxdepth 0 -mmin +1 2>/dev/null)" ]; then
    say "breaking a stale lock $LOCK_DIR"
    rm -rf "$LOCK_DIR"
    continue
  fi
  waited=$((waited + 1))
  if [ "$waited" -ge $((WAIT_SECONDS * 10)) ]; then
    say "$LOCK_DIR held for more than ${WAIT_SECONDS}s by another writer; not reloading"
    exit 1
  fi
  sleep 0.1
done
state_dir=$(dirname "$STATE_FILE")
temporary=$(mktemp "$state_dir/.server-state.XXXXXX")
trap 'rm -f "$temporary"; rmdir "$LOCK_DIR" 2>/dev/null' EXIT
if ! runtime "$STATS_SOCKET" 'show servers state' >"$temporary"; then
  say "could not read the server states from $STATS_SOCKET; not reloading (states would be lost)"
  exit 1
fi
if [ "$(sed -n 1p "$temporary")" != "1" ] || ! sed -n 2p "$temporary" | grep -q '^# be_id be_name srv_id srv_name'; then
  say "unexpected answer to 'show servers state' from $STATS_SOCKET; not reloading: $(head -c 200 "$temporary")"
  exit 1
fi
chmod 644 "$temporary"
saved_states=$(cat "$temporary")
mv -f "$temporary" "$STATE_FILE"
trap 'rmdir "$LOCK_DIR" 2>/dev/null' EXIT
say "saved $(awk 'NR > 2 && NF > 0' "$STATE_FILE" | wc -l) server states to $STATE_FILE"

# 3. Graceful reload through the master.
if [ -S "$MASTER_SOCKET" ] || case "$MASTER_SOCKET" in /*) false ;; *) true ;; esac; then
  before=$(master_counts)
  runtime "$MASTER_SOCKET" 'reload' >/dev/null 2>&1 || true
elif [ -n "$MASTER_PID" ]; then
  before=""
  kill -USR2 "$MASTER_PID"
  say "sent SIGUSR2 to master $MASTER_PID (no master socket to confirm the reload)"
  exit 0
else
  say "no master socket at $MASTER_SOCKET and no master pid: cannot reload"
  exit 2
fi

# 4. Wait until the master counts the reload (it re-executes itself, so its socket blinks).
reloads_before=${before% *}
failed_before=${before#* }
waited=0
while [ "$waited" -lt $((WAIT_SECONDS * 10)) ]; do
  sleep 0.1
  waited=$((waited + 1))
  now=$(master_counts 2>/dev/null || true)
  [ -n "$now" ] || continue
  if [ "${now#* }" -gt "$failed_before" ]; then
    say "the master counted a failed reload; the previous workers keep serving"
    exit 1
  fi
  if [ "${now% *}" -gt "$reloads_before" ]; then
    say "reloaded (reload ${now% *}); old workers finish their sessions"
    restore_lost_states || exit 1
    exit 0
  fi
done
say "the master did not count the reload within ${WAIT_SECONDS}s"
exit 1
