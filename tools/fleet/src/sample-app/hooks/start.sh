#!/bin/sh
# start hook: start this release as a detached background process and write its pid file.
# Needs: CONVEYOR_RELEASE_DIR, CONVEYOR_STATE_DIR, CONVEYOR_PORT, CONVEYOR_SERVER_ID.
# The app reads its version from the VERSION file of the release (so validate checks the real bytes).
set -eu
: "${CONVEYOR_RELEASE_DIR:?CONVEYOR_RELEASE_DIR is not set}"
: "${CONVEYOR_STATE_DIR:?CONVEYOR_STATE_DIR is not set}"
: "${CONVEYOR_PORT:?CONVEYOR_PORT is not set}"
: "${CONVEYOR_SERVER_ID:?CONVEYOR_SERVER_ID is not set}"
mkdir -p "$CONVEYOR_STATE_DIR"
log_file="$CONVEYOR_STATE_DIR/app.log"
pid_file="$CONVEYOR_STATE_DIR/app.pid"

# setsid puts the app in its own session, so killing the hook's process group leaves it running
launcher=""
if command -v setsid >/dev/null 2>&1; then launcher="setsid"; fi

cd "$CONVEYOR_RELEASE_DIR"
PORT="$CONVEYOR_PORT" SERVER_ID="$CONVEYOR_SERVER_ID" \
  $launcher nohup node "$CONVEYOR_RELEASE_DIR/server.js" >>"$log_file" 2>&1 </dev/null &
echo "$!" >"$pid_file"
echo "start: started pid $! on port $CONVEYOR_PORT, log $log_file"
