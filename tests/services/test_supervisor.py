"""runstack keeps the stack up: a child that dies is started again, the others untouched."""

import os
import signal
import sys
import time

from negotiations.management.commands.runstack import Supervisor

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


def test_a_dead_child_is_started_again_and_the_others_keep_running(tmp_path):
    said = []
    supervisor = Supervisor(
        {"worker": SLEEPER, "beat": SLEEPER}, cwd=tmp_path, env=dict(os.environ), report=said.append
    )
    supervisor.FIRST_PAUSE = 0.1
    supervisor.start_all()
    try:
        worker, beat = supervisor.processes["worker"], supervisor.processes["beat"]
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        deadline = time.monotonic() + 30
        while supervisor.processes["worker"] is worker and time.monotonic() < deadline:
            supervisor.tend()
            time.sleep(0.05)
        assert supervisor.processes["worker"] is not worker
        assert supervisor.processes["worker"].poll() is None
        assert supervisor.processes["beat"] is beat and beat.poll() is None
        assert any("worker exited with -9; starting it again" in line for line in said)
    finally:
        supervisor.stop_all(timeout=10)
    assert all(proc.poll() is not None for proc in supervisor.processes.values())
