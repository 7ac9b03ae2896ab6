"""The API served for real: uvicorn on a free loopback port in a thread, httpx clients per role.

The listening socket is bound before the server starts; `served` yields once the application's
lifespan has run (`Server.started`), so a test that changes `app.state` changes what its requests
use, not what the startup captures (a test once swapped the command gate before the startup handed
it to the projector, and its projector took the test's place at the gate).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from api.http.app import create_app
from api.http.auth import Role, TokenStore
from api.http.database import api_engine, create_api_tables
from api.settings import Settings
from domain.persistence.storage import parse_database_url

#: How long a served application may take to start (its lifespan: the ledger, the read side).
STARTUP_SECONDS = 120


@contextmanager
def served(app: FastAPI) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 in a thread; yields its base URL, stops it afterwards."""
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind(("127.0.0.1", 0))
    listening.listen(128)
    port = listening.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.started, "the server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listening.close()
        assert not thread.is_alive(), "the server did not stop"


@dataclass
class Positions:
    """The highest ledger position the commands of a test were answered (`X-Ledger-Position`):
    its reads pass it as `min_position`, so they see its writes (ADR 0130), as a client that
    reads its own writes does."""

    last: int = 0

    def saw(self, response: httpx.Response) -> httpx.Response:
        position = response.headers.get("X-Ledger-Position")
        if position is not None:
            self.last = max(self.last, int(position))
        return response

    def wanted(self, path: str) -> dict[str, int]:
        return {"min_position": self.last} if self.last and path.startswith("/v1/") else {}


@dataclass
class Caller:
    """An HTTP client holding one principal's token (or none); the callers of one test share
    the positions they were answered."""

    client: httpx.Client
    token: str | None = None
    positions: Positions = field(default_factory=Positions)

    def headers(self, idempotency_key: str | None = None) -> dict[str, str]:
        headers = {}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    def post(
        self, path: str, body: Any = None, *, idempotency_key: str | None = None
    ) -> httpx.Response:
        return self.positions.saw(
            self.client.post(
                path, json=body if body is not None else {}, headers=self.headers(idempotency_key)
            )
        )

    def get(self, path: str, **params: Any) -> httpx.Response:
        query = {
            **self.positions.wanted(path),
            **{k: v for k, v in params.items() if v is not None},
        }
        return self.client.get(path, params=query, headers=self.headers())

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
        if method == "GET":
            return self.get(path, **params)
        return self.post(path, body)


@dataclass
class LiveApi:
    """A served API on one database, and the means to call it as anyone."""

    base_url: str
    database_url: str
    client: httpx.Client
    tokens: TokenStore
    app: FastAPI
    positions: Positions = field(default_factory=Positions)

    def as_role(self, role: Role, *, region: str | None = None, assessor_id: Any = None) -> Caller:
        issued = self.tokens.create(role, region=region, assessor_id=assessor_id, name="test")
        return Caller(self.client, issued.token, self.positions)

    @property
    def anonymous(self) -> Caller:
        return Caller(self.client, positions=self.positions)

    def ministry(self) -> Caller:
        return self.as_role(Role.MINISTRY)

    def province(self, region: str = "320000") -> Caller:
        return self.as_role(Role.PROVINCE, region=region)

    def auditor(self) -> Caller:
        return self.as_role(Role.AUDITOR)

    def assessor(self, assessor_id: Any) -> Caller:
        return self.as_role(Role.ASSESSOR, assessor_id=assessor_id)

    def settled(self) -> None:
        """Wait until the read side reflects every command answered so far: a fixture that writes
        through the API and then serves pages to readers who pass no `min_position` (anyone
        opening the list) calls it, or a first page may be read before the projector has the
        writes (ADR 0130: commands do not wait for the views)."""
        if self.positions.last:
            answer = self.anonymous.get("/v1/list", page_size=1)
            assert answer.status_code == 200, answer.text


@contextmanager
def live_api(database_url: str, **settings: Any) -> Iterator[LiveApi]:
    """The API served on `database_url`, with a token store on the same database."""
    app = create_app(Settings(database_url=database_url, **settings))
    engine = api_engine(parse_database_url(database_url), pool_size=1)
    create_api_tables(engine)
    try:
        with served(app) as base_url, httpx.Client(base_url=base_url, timeout=60) as client:
            yield LiveApi(base_url, database_url, client, TokenStore(engine), app)
    finally:
        engine.dispose()
