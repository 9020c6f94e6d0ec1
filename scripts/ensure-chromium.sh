#!/bin/sh
# The browser tests drive Debian's Chromium (never a downloaded browser build).
set -e
[ -x /usr/bin/chromium ] && exit 0
exec "$(dirname "$0")/apt-install.sh" "the browser tests" chromium
