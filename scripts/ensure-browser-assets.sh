#!/bin/sh
# The browser tests serve TimelineJS and axe-core from their npm packages, pinned in
# tests/browser/assets/package-lock.json and installed here once (never from a CDN).
set -e
scripts="$(cd "$(dirname "$0")" && pwd)"
cd "$scripts/../tests/browser/assets"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json .installed-lock; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || "$scripts/apt-install.sh" "the browser tests' assets" npm
npm ci --no-audit --no-fund --silent
cp package-lock.json .installed-lock
