"""`greenledger serve` as separate processes on one database: started, waited for, stopped."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

SETTINGS_PREFIX = "GREENLEDGER_"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path


def greenledger() -> str:
    executable = shutil.which("greenledger", path=str(Path(sys.executable).parent))
    assert executable is not None, f"greenledger is installed beside {sys.executable}"
    return executable


def environment(database_url: str, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS_PREFIX)}
    env["GREENLEDGER_DATABASE_URL"] = database_url
    env["GREENLEDGER_LOG_LEVEL"] = "warning"
    env["GREENLEDGER_PUBLISH_INTERVAL_SECONDS"] = "0"
    env.update({f"{SETTINGS_PREFIX}{k.upper()}": v for k, v in settings.items()})
    return env


def wait_for_health(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server stopped: {server.log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{server.base_url}/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the server did not answer in {timeout} s: {server.log.read_text()}")


@contextmanager
def serving(
    database_url: str, folder: Path, *options: str, name: str = "server", **settings: str
) -> Iterator[Server]:
    """One `greenledger serve` process on a free port, stopped (SIGTERM) at the end."""
    port = free_port()
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [greenledger(), "serve", "--port", str(port), *options],
            env=environment(database_url, **settings),
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        server = Server(f"http://127.0.0.1:{port}", process, log)
        try:
            wait_for_health(server)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def several(database_url: str, folder: Path, count: int, **settings: str) -> Iterator[list[Server]]:
    """`count` server processes on one database, each on its own port."""
    with ExitStack() as stack:
        yield [
            stack.enter_context(serving(database_url, folder, name=f"server{i}", **settings))
            for i in range(count)
        ]
