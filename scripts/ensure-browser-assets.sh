#!/bin/sh
# The browser tests serve TimelineJS and axe-core from their npm packages, pinned in
# tests/browser/assets/package-lock.json and installed here once (never from a CDN).
set -e
cd "$(dirname "$0")/../tests/browser/assets"
if [ -f node_modules/.package-lock.json ] && cmp -s package-lock.json .installed-lock; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing Debian's npm for the browser tests' assets" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    else
        echo "The browser tests need npm (apt-get install npm)" >&2
        exit 1
    fi
fi
npm ci --no-audit --no-fund --silent
cp package-lock.json .installed-lock
