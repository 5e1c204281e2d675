#!/usr/bin/env bash
# Install what the browser tests (tests/browser, pytest -m browser) need:
# Debian's chromium and local npm copies of the JS/CSS that folium maps load from CDNs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
cd "$here/browser-assets"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
