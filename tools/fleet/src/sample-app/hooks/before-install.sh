#!/bin/sh
# before-install hook: check the server can run this release before `current` is switched.
# Needs: CONVEYOR_RELEASE_DIR, CONVEYOR_STATE_DIR, CONVEYOR_VERSION.
set -eu
: "${CONVEYOR_RELEASE_DIR:?CONVEYOR_RELEASE_DIR is not set}"
: "${CONVEYOR_STATE_DIR:?CONVEYOR_STATE_DIR is not set}"
: "${CONVEYOR_VERSION:?CONVEYOR_VERSION is not set}"
command -v node >/dev/null 2>&1 || { echo "before-install: node is not on PATH" >&2; exit 1; }
artifact_version=$(cat "$CONVEYOR_RELEASE_DIR/VERSION")
if [ "$artifact_version" != "$CONVEYOR_VERSION" ]; then
  echo "before-install: artifact says version $artifact_version but CONVEYOR_VERSION is $CONVEYOR_VERSION" >&2
  exit 1
fi
mkdir -p "$CONVEYOR_STATE_DIR"
echo "before-install: release $CONVEYOR_VERSION ready in $CONVEYOR_RELEASE_DIR"
