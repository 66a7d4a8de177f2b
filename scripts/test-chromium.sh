#!/usr/bin/env bash
# Prints the path of the Chromium the browser tests drive (tests/browser), installing it from
# the system packages when it is missing.
#   scripts/test-chromium.sh   # prints /usr/bin/chromium
set -euo pipefail

chromium="${INSPECTION_READY_TEST_CHROMIUM:-/usr/bin/chromium}"

log() { echo "test-chromium: $*" >&2; }

if [ ! -x "$chromium" ]; then
  if [ "$chromium" != /usr/bin/chromium ]; then
    log "INSPECTION_READY_TEST_CHROMIUM is $chromium, which is not an executable file."
    exit 1
  fi
  if [ "$(id -u)" -ne 0 ]; then
    log "Chromium is not installed and this is not root; install the 'chromium' package."
    exit 1
  fi
  log "installing Chromium from the system packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # Liberation fonts so that the screenshots show text, whatever else the machine has.
  apt-get install -y -qq chromium fonts-liberation >&2
fi

echo "$chromium"
