#!/bin/sh
# Make sure PostgreSQL and Redis answer on localhost; start them when they are down
# (the commands used by this project's machines). Exits non-zero if one stays down.
set -u
pg_up() { pg_isready -h "${PGHOST:-127.0.0.1}" -p "${PGPORT:-5432}" -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! pg_up; then
    echo "PostgreSQL is down; starting it" >&2
    if command -v pg_ctlcluster >/dev/null 2>&1; then
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -1)" main start || true
    fi
    for _ in 1 2 3 4 5 6 7 8 9 10; do pg_up && break; sleep 1; done
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
