#!/bin/sh
# Make sure PostgreSQL and Redis answer on localhost; start them when they are down, and
# install them first (Debian's packages, as root: scripts/apt-install.sh) when the machine
# has neither. Exits non-zero if one stays down.
set -u
pg_up() { pg_isready -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }
apt_install() { "$(dirname "$0")/apt-install.sh" "the test suite and the application" "$@"; }

if ! pg_up && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    if apt_install postgresql postgresql-client; then
        version="$(ls /etc/postgresql | sort -V | tail -1)"
        # A developer machine: the postgres user connects over loopback without a password,
        # as DATABASE_URL's default expects. Only on a cluster this script created.
        hba="/etc/postgresql/$version/main/pg_hba.conf"
        printf '%s\n%s\n' "host all postgres 127.0.0.1/32 trust" "host all postgres ::1/128 trust" \
            | cat - "$hba" > "$hba.new" && mv "$hba.new" "$hba" && chown postgres "$hba"
    fi
fi
if ! pg_up; then
    echo "PostgreSQL is down; starting it" >&2
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    fi
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
fi

if ! redis_up && ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server || true
fi
if ! redis_up; then
    echo "Redis is down; starting it" >&2
    if command -v redis-server >/dev/null 2>&1; then
        redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
    fi
    for _ in 1 2 3 4 5 6 7 8 9 10; do redis_up && break; sleep 1; done
fi
pg_up || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
redis_up || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
echo "PostgreSQL and Redis are up."
