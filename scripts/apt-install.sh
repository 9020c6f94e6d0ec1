#!/bin/sh
# scripts/apt-install.sh "WHO" PACKAGE...: install Debian's packages that WHO needs, when
# running as root on a machine with apt; otherwise say which command would, and fail.
set -e
who="$1"
shift
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's $* for $who" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
else
    echo "$who need $*: sudo apt-get install $*" >&2
    exit 1
fi
