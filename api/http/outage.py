"""When the database does not answer (ADR 0106): a fast 503 with `Retry-After`, never a bare 500.

- **Which failures**: the database unreachable, locked past the busy timeout, or timing out —
  the operational and interface errors of SQLAlchemy, psycopg, sqlite3 and the library
  (`OUTAGES`). Each is answered as a problem, 503, Chinese first, with `Retry-After`.
- **A watch** (`StoreWatch`) probes the store in a thread of its own — PostgreSQL: `SELECT 1` on
  a connection of its own, opened with a one-second connect and statement timeout; SQLite: a
  read of the file's schema with a half-second busy timeout, a lock not counting as an outage —
  every second while the store answers, every quarter of a second while it does not. After two
  failed probes in a row (one slow probe on a loaded machine is not an outage), or as soon as a
  request meets an outage on PostgreSQL, every route but `/health` answers 503 at once
  (`OutageGuard`), instead of waiting for the library's retries; when the probe answers
  again, requests go through again: no restart.
- `/health` answers within two seconds whatever happens (its reads run against a deadline).
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from typing import Any

import psycopg
import sqlalchemy as sa
from eventsourcing.persistence import InterfaceError as LibraryInterfaceError
from eventsourcing.persistence import OperationalError as LibraryOperationalError
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.http.errors import ApiError, problem_response, wants_page
from domain.persistence.storage import Storage

log = logging.getLogger("greenledger.api")

#: Seconds a client is told to wait before retrying.
RETRY_AFTER_SECONDS = 2
#: Seconds between probes while the store answers, and while it does not.
PROBE_INTERVAL_UP = 1.0
PROBE_INTERVAL_DOWN = 0.25

#: Probes that fail in a row before every route answers 503 (a request that meets an outage
#: marks the store down at once).
FAILURES_BEFORE_DOWN = 2

#: Failures of the database itself, not of a request.
OUTAGES: tuple[type[Exception], ...] = (
    sa.exc.OperationalError,
    sa.exc.InterfaceError,
    sa.exc.TimeoutError,
    sa.exc.DisconnectionError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
    sqlite3.InterfaceError,
    LibraryOperationalError,
    LibraryInterfaceError,
)
#: Paths answered even while the store is down (they say so themselves, or need no store).
_ALWAYS_ANSWERED = ("/health", "/static/", "/docs", "/openapi.json")


class DatabaseUnavailableError(ApiError):
    """Raised (or answered) when the ledger's database does not answer."""

    status = 503
    slug = "database-unavailable"
    title = "数据库暂不可用 Database unavailable"
    default_detail_zh = "台账数据库暂时无法访问（不可达、被锁定或超时），请稍后重试"
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}  # noqa: RUF012


def unavailable() -> DatabaseUnavailableError:
    return DatabaseUnavailableError(
        "the ledger's database does not answer (unreachable, locked or timing out); retry later"
    )


def is_outage(error: BaseException) -> bool:
    return isinstance(error, OUTAGES)


class StoreWatch:
    """Whether the store answers, as a probe in a thread of its own last found."""

    def __init__(self, storage: Storage, *, timeout_seconds: float = 1.0) -> None:
        self.storage = storage
        self.timeout_seconds = timeout_seconds
        self.down = False
        self.reason = ""
        #: Probes failed in a row: one slow probe on a loaded machine is not an outage.
        self.failures = 0
        self._stop = threading.Event()
        self._connection: Any = None
        self._thread = threading.Thread(target=self._run, name="store-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._close()

    def mark_down(self, error: BaseException) -> None:
        """A request met an outage: answer 503 until the probe finds the store again."""
        if not self.down:
            log.warning("the database does not answer: %s", first_line(error))
        self.down = True
        self.reason = first_line(error)

    def _run(self) -> None:
        while not self._stop.is_set():
            answered = self.probe()
            self.record(answered)
            self._stop.wait(PROBE_INTERVAL_UP if answered else PROBE_INTERVAL_DOWN)

    def record(self, answered: bool) -> None:
        """What a probe found: down after `FAILURES_BEFORE_DOWN` failures in a row, up at once."""
        self.failures = 0 if answered else self.failures + 1
        if answered and self.down:
            log.warning("the database answers again")
            self.down = False
        elif self.failures >= FAILURES_BEFORE_DOWN and not self.down:
            log.warning("the database does not answer: %s", self.reason)
            self.down = True

    def probe(self) -> bool:
        try:
            if self.storage.kind == "postgres":
                self._probe_postgres()
            elif self.storage.kind == "sqlite":
                self._probe_sqlite()
        except Exception as error:
            self.reason = first_line(error)
            self._close()
            return False
        return True

    def _probe_postgres(self) -> None:
        if self._connection is None:
            milliseconds = int(self.timeout_seconds * 1000)
            self._connection = psycopg.connect(
                self.storage.libpq_url,
                autocommit=True,
                connect_timeout=max(int(self.timeout_seconds), 1),
                options=f"-c statement_timeout={milliseconds}",
            )
        self._connection.execute("SELECT 1").fetchone()

    def _probe_sqlite(self) -> None:
        path = self.storage.sqlite_path
        if path is None or not path.exists():
            raise FileNotFoundError(f"the ledger's file {path} is gone")
        connection = sqlite3.connect(path, timeout=self.timeout_seconds / 2)
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise  # a lock is not an outage: the file answers, a write waits its turn
        finally:
            connection.close()

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):  # a broken connection may refuse to close
                connection.close()


def _is_busy(error: sqlite3.OperationalError) -> bool:
    """SQLite's "database is locked" (another connection holds the lock past the busy timeout)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(error)


def first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


class OutageGuard:
    """Answers 503 at once while the watch finds the store down (every path but `/health`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(_ALWAYS_ANSWERED):
            watch: StoreWatch | None = getattr(scope["app"].state, "store_watch", None)
            if watch is not None and watch.down:
                await unavailable_response(Headers(scope=scope), scope["path"])(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)


#: The page a browser gets while the store does not answer: it needs nothing the store holds
#: (no viewer, no template), and reloads itself after a while.
UNAVAILABLE_PAGE = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{RETRY_AFTER_SECONDS * 5}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>数据库暂不可用 Database unavailable · 绿色制造名单动态管理台账</title>
<style>body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:4rem auto;
padding:0 1rem;color:#1f2d1f}}h1{{font-size:1.4rem}}p{{line-height:1.6}}
.en{{color:#555}}</style></head>
<body><main>
<h1>数据库暂不可用 <span class="en">Database unavailable</span></h1>
<p role="alert">台账数据库暂时无法访问（不可达、被锁定或超时）。本页将在 {RETRY_AFTER_SECONDS * 5}
秒后自动重试；已提交的数据不会丢失。</p>
<p class="en">The ledger's database does not answer (unreachable, locked or timing out). This page
tries again by itself in {RETRY_AFTER_SECONDS * 5} seconds; what was stored is not lost.</p>
<p><a href="/health">/health</a></p>
</main></body></html>
"""


def unavailable_response(headers: Headers | None = None, path: str = "/v1/") -> Response:
    """The 503 problem, or for a browser's page the 503 page; what failed is logged, not
    disclosed."""
    refusal = unavailable()
    if headers is not None and wants_page(headers, path):
        return HTMLResponse(UNAVAILABLE_PAGE, status_code=503, headers=refusal.headers)
    return problem_response(refusal.problem(), headers=refusal.headers)


def install_outage_handlers(app: FastAPI) -> None:
    """Answer every outage as the 503 problem, and tell the watch."""

    async def on_outage(request: Request, error: Exception) -> Response:
        watch: StoreWatch | None = getattr(request.app.state, "store_watch", None)
        if watch is not None and watch.storage.kind == "postgres":
            watch.mark_down(error)  # every request answers 503 at once until the probe answers
        else:  # SQLite: a lock held past the busy timeout fails writes; reads go on (WAL)
            log.warning("the database does not answer: %s", first_line(error))
        return unavailable_response(request.headers, request.url.path)

    for outage in OUTAGES:
        app.add_exception_handler(outage, on_outage)
    app.add_middleware(OutageGuard)
