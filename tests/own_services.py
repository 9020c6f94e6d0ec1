"""Servers a test starts for itself, to break at will: never the shared PostgreSQL and
Redis. Each on a free loopback port; PostgreSQL 15's binaries from Debian's package."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, log: Path | None = None) -> None:
    """Until `condition()` is true (an exception counts as not yet), or fail saying what."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: BLE001 - a server on its way up or down
            pass
        time.sleep(0.2)
    tail = log.read_text()[-6000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


class OwnPostgres:
    """A throwaway cluster: initdb into `root`, trust authentication, fsync off."""

    def __init__(self, root: Path):
        if not (PG_BIN / "initdb").exists():
            raise AssertionError(f"PostgreSQL 15's binaries are needed in {PG_BIN}")
        self.root, self.port = root, free_port()
        self.data = root / "pgdata"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if os.geteuid() == 0:
            shutil.chown(root, "postgres")
        subprocess.run(
            [
                *self.as_postgres,
                PG_BIN / "initdb",
                "-D",
                self.data,
                "-U",
                "postgres",
                "-A",
                "trust",
            ],
            check=True,
            capture_output=True,
        )

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -h 127.0.0.1 -c fsync=off"
        command = [*self.as_postgres, PG_BIN / "pg_ctl", "-D", self.data, "-o", options, "-w"]
        command += ["-l", self.root / "postgres.log", *args]
        subprocess.run(command, check=True, capture_output=True)

    @property
    def pid(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


class OwnRedis:
    """Nothing kept on disk: a restart loses the queue."""

    def __init__(self):
        self.port, self.proc = free_port(), None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        self.proc = subprocess.Popen(
            [*command, "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
        )
        import redis

        wait_for(lambda: redis.Redis(port=self.port).ping(), timeout=30, what="redis")

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait(10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"
