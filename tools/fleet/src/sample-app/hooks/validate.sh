#!/bin/sh
# validate hook: succeed once /health answers 200 with this release's version.
# Needs: CONVEYOR_RELEASE_DIR, CONVEYOR_STATE_DIR, CONVEYOR_PORT, CONVEYOR_VERSION.
# Optional: VALIDATE_TIMEOUT_MS (default 20000; keep it below the hook's timeout).
set -eu
: "${CONVEYOR_RELEASE_DIR:?CONVEYOR_RELEASE_DIR is not set}"
: "${CONVEYOR_STATE_DIR:?CONVEYOR_STATE_DIR is not set}"
: "${CONVEYOR_PORT:?CONVEYOR_PORT is not set}"
: "${CONVEYOR_VERSION:?CONVEYOR_VERSION is not set}"
if ! node "$CONVEYOR_RELEASE_DIR/healthcheck.js" --port "$CONVEYOR_PORT" --version "$CONVEYOR_VERSION" \
  --timeout-ms "${VALIDATE_TIMEOUT_MS:-20000}" --pid-file "$CONVEYOR_STATE_DIR/app.pid"; then
  echo "validate: last lines of $CONVEYOR_STATE_DIR/app.log:" >&2
  tail -n 20 "$CONVEYOR_STATE_DIR/app.log" >&2 2>/dev/null || true
  exit 1
fi
