#!/bin/sh
# after-install hook: confirm the agent switched `current` to this release.
# Needs: CONVEYOR_RELEASE_DIR, CONVEYOR_CURRENT_DIR.
set -eu
: "${CONVEYOR_RELEASE_DIR:?CONVEYOR_RELEASE_DIR is not set}"
: "${CONVEYOR_CURRENT_DIR:?CONVEYOR_CURRENT_DIR is not set}"
current=$(cd "$CONVEYOR_CURRENT_DIR" && pwd -P)
release=$(cd "$CONVEYOR_RELEASE_DIR" && pwd -P)
if [ "$current" != "$release" ]; then
  echo "after-install: $CONVEYOR_CURRENT_DIR points to $current, expected $release" >&2
  exit 1
fi
echo "after-install: current -> $release"
