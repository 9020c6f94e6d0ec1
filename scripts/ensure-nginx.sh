#!/bin/sh
# The serving tests run the production recipe's reverse proxy natively: Debian's nginx.
set -e
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] && exit 0
"$(dirname "$0")/apt-install.sh" "the serving tests" nginx-light
# Debian starts the packaged site where it can; the tests run their own.
service nginx stop >/dev/null 2>&1 || true
