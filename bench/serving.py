"""The API served for real: `greenledger serve` in a process of its own on a free loopback port.

The server gets its own process (and its own interpreter lock), as in production, so the load of
the benchmark's clients does not slow the server down.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx


@dataclass
class Server:
    base_url: str
    #: The server's peak resident memory in MB, once it has stopped.
    peak_rss_mb: float | None = None
    #: The projector worker's, when it ran in a process of its own.
    worker_peak_rss_mb: float | None = None


#: The projector worker's look at the log when it found nothing new (the CLI's default is 0.5 s).
WORKER_POLL_SECONDS = 0.05
#: How long a stopped process may take to end before it is killed.
STOP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(
    database_url: str,
    *,
    start_timeout: float = 60.0,
    workers: int = 1,
    projector_worker: bool = False,
) -> Iterator[Server]:
    """`greenledger serve [--workers N]` on `database_url`; yields once `/health` answers, stops
    it after. With several workers the peak memory is the supervisor's own.

    With `projector_worker`, the deployment of docker-compose.yml: the server runs no projector
    (`GREENLEDGER_BACKGROUND_PROJECTOR=false`) and `greenledger project --follow` keeps the read
    models current in a process of its own."""
    port = free_port()
    env = {
        **os.environ,
        "GREENLEDGER_DATABASE_URL": database_url,
        "GREENLEDGER_LOG_LEVEL": "warning",
    }
    if projector_worker:
        env["GREENLEDGER_BACKGROUND_PROJECTOR"] = "false"
    worker = (
        _greenledger(env, "project", "--follow", "--poll-seconds", str(WORKER_POLL_SECONDS))
        if projector_worker
        else None
    )
    child = _greenledger(env, "serve", "--port", str(port), "--workers", str(workers))
    server = Server(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(f"{server.base_url}/health", timeout=5).status_code < 500:
                    break
            except httpx.TransportError:
                pass
            if child.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start (exit {child.returncode})")
            time.sleep(0.05)
        if worker is not None and worker.poll() is not None:
            raise RuntimeError(f"the projector worker stopped (exit {worker.returncode})")
        yield server
        if worker is not None and worker.poll() is not None:
            raise RuntimeError(f"the projector worker stopped (exit {worker.returncode})")
    finally:
        server.peak_rss_mb = _stop(child)
        if worker is not None:
            server.worker_peak_rss_mb = _stop(worker)


def _greenledger(env: dict[str, str], *arguments: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from api.cli.main import main; main()", *arguments],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop(child: subprocess.Popen[bytes]) -> float | None:
    """Stop `child` with SIGTERM, as a service manager does, and wait for it (SIGKILL after
    `STOP_SECONDS`): its peak resident memory in MB. Not SIGINT: a process started in the
    background by a non-interactive shell (`nohup python -m bench &`) inherits SIGINT ignored, and
    `project --follow` would not stop on it before it installs its own handler."""
    if child.returncode is not None:
        return None
    child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid == child.pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_maxrss / 1024
        if time.monotonic() > deadline:
            child.kill()
            deadline = float("inf")
        time.sleep(0.05)
