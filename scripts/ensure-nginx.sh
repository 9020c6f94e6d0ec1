#!/bin/sh
# The serving tests run the production recipe's reverse proxy natively: Debian's nginx.
set -e
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's nginx-light for the serving tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
    # Debian starts the packaged site where it can; the tests run their own.
    service nginx stop >/dev/null 2>&1 || true
else
    echo "The serving tests need nginx: sudo apt-get install nginx-light" >&2
    exit 1
fi
