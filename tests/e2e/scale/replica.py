"""A real PostgreSQL streaming replica of the test server, made on this machine for a test.

`pg_basebackup -R` copies the local primary's cluster into a temporary directory, and `pg_ctl`
starts it on a free port as a hot standby; at the end it is stopped and its directory removed.
It needs the primary on this machine, PostgreSQL's programs, and a `replication` entry in the
primary's pg_hba.conf (`.ci/run` adds `host replication all 127.0.0.1/32 trust` when it is
missing); without them the test is skipped, saying which is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from tests.e2e.scale.servers import free_port


class ReplicaUnavailableError(Exception):
    """Raised when no replica can be made here; the message says why."""


def _bin_dir(admin: psycopg.Connection[tuple[object, ...]]) -> Path:
    row = admin.execute("SHOW server_version_num").fetchone()
    major = int(str(row[0] if row else 0)) // 10000
    for candidate in (Path(f"/usr/lib/postgresql/{major}/bin"),):
        if (candidate / "pg_ctl").exists() and (candidate / "pg_basebackup").exists():
            return candidate
    found = shutil.which("pg_config")
    if found:
        bindir = Path(
            subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip()
        )
        if (bindir / "pg_ctl").exists():
            return bindir
    raise ReplicaUnavailableError(
        f"PostgreSQL {major}'s pg_ctl and pg_basebackup are not installed"
    )


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's server refuses to run as root: run its programs as the `postgres` user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


def _run(command: list[str], what: str, timeout: float = 180) -> None:
    done = subprocess.run(_as_postgres(command), capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise ReplicaUnavailableError(
            f"{what} failed: {done.stderr.strip() or done.stdout.strip()}"
        )


@contextmanager
def streaming_replica(admin_url: str) -> Iterator[int]:
    """A hot standby of the server of `admin_url` on a free port of 127.0.0.1; yields the port."""
    info = psycopg.conninfo.conninfo_to_dict(admin_url)
    host, port = str(info.get("host") or "127.0.0.1"), str(info.get("port") or "5432")
    user = str(info.get("user") or "postgres")
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ReplicaUnavailableError(f"the test server {host} is not on this machine")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        bindir = _bin_dir(admin)
        inherited = {name: _setting(admin, name) for name in AT_LEAST_THE_PRIMARY_S}
    folder = Path(tempfile.mkdtemp(prefix="greenledger-replica-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    folder.chmod(0o700)
    data = folder / "data"
    replica_port = free_port()
    try:
        _run(
            [str(bindir / "pg_basebackup"), "-h", host, "-p", port, "-U", user, "-D", str(data),
             "-R", "-X", "stream", "-c", "fast"],
            "pg_basebackup -R (is there a `host replication` entry in the primary's pg_hba.conf?)",
        )  # fmt: skip
        configure(data, folder, replica_port, inherited)
        log = folder / "replica.log"
        try:
            _run(
                [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "120",
                 "start"],
                "pg_ctl start",
            )  # fmt: skip
        except ReplicaUnavailableError as error:
            said = log.read_text()[-800:] if log.exists() else ""
            raise ReplicaUnavailableError(f"{error}; its log: {said}") from None
        try:
            wait_until_standby(replica_port)
            yield replica_port
        finally:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


#: A hot standby needs these at least as high as its primary's.
AT_LEAST_THE_PRIMARY_S = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def _setting(admin: psycopg.Connection[tuple[object, ...]], name: str) -> str:
    row = admin.execute("SELECT setting FROM pg_settings WHERE name = %s", (name,)).fetchone()
    return str(row[0]) if row else ""


def configure(data: Path, folder: Path, port: int, inherited: dict[str, str]) -> None:
    """What the copy lacks (a packaged cluster keeps its configuration outside its data)."""
    settings = (
        f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{folder}'\n"
        "hot_standby = on\nshared_buffers = 32MB\nfsync = off\n"
        + "".join(f"{name} = {value}\n" for name, value in inherited.items() if value)
    )
    (data / "postgresql.conf").write_text(settings)
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (data / "pg_ident.conf").write_text("")
    for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
        if os.geteuid() == 0:
            shutil.chown(data / name, "postgres", "postgres")


def wait_until_standby(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
            with psycopg.connect(url, connect_timeout=3) as connection:
                row = connection.execute("SELECT pg_is_in_recovery()").fetchone()
            if row and row[0]:
                return
        except psycopg.OperationalError:
            pass
        if time.monotonic() > deadline:
            raise ReplicaUnavailableError("the replica did not accept connections")
        time.sleep(0.2)
