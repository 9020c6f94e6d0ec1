#!/bin/sh
# Print the path of a Python >= 3.12 (Django 6 needs it), looking at the usual names
# and at pyenv's versions, newest first. Exit 1 with a message when there is none.
ok() { "$1" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for candidate in "$PYTHON" python3.14 python3.13 python3.12; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 && ok "$candidate" && {
        command -v "$candidate"; exit 0; }
done
# pyenv may be installed but not on the PATH (CI, cron, a bare shell): look where it lives.
for root in "$(pyenv root 2>/dev/null)" "${PYENV_ROOT:-}" "${HOME:-/root}/.pyenv" /root/.pyenv; do
    [ -n "$root" ] || continue
    for candidate in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -V -r); do
        ok "$candidate/bin/python3" && { echo "$candidate/bin/python3"; exit 0; }
    done
done
for candidate in python3 python; do
    command -v "$candidate" >/dev/null 2>&1 && ok "$candidate" && { command -v "$candidate"; exit 0; }
done
echo "No Python 3.12 or newer found: install one, or set PYTHON=/path/to/python3.12" >&2
exit 1
