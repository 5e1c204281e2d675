#!/usr/bin/env bash
# Install what the browser tests (tests/browser, pytest -m browser) need: Debian's
# chromium. The maps' scripts come from Python packages, so nothing else is needed.
set -euo pipefail
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
