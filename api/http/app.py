"""The one place that wires the HTTP application: settings → ledger, tables → routers.

`create_app()` is what `greenledger serve` runs and what the end-to-end tests drive. The ledger and
the API's own tables (tokens, idempotency keys) are opened when the application starts and closed
when it stops; routes receive them through `api.http.deps`. The library is synchronous, so route
handlers are plain `def` (FastAPI runs them in its thread pool).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, nullcontext
from importlib.metadata import version

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from api.http import health
from api.http.auth import TokenStore
from api.http.database import api_engine, create_api_tables
from api.http.deps import RefuseUnknownQuery
from api.http.errors import install_problem_handlers
from api.http.gate import FairGate
from api.http.idempotency import IdempotencyStore
from api.http.middleware import (
    AccessLog,
    BodySizeLimit,
    CrossSiteGuard,
    InputGuard,
    SecurityHeaders,
)
from api.http.openapi.pages import install_offline_docs
from api.http.openapi.responses import document_read_waits
from api.http.outage import StoreWatch, install_outage_handlers
from api.http.readside import ReadSide
from api.http.routes import (
    assessors,
    audit,
    batches,
    enterprises,
    exports,
    filings,
    green_list,
    imports,
    indicators,
    ledger,
    listings,
    statistics,
)
from api.http.routes.national import routers as national_routers
from api.http.routes.publishing import routers as publishing_routers
from api.publishing.wiring import close_publishing, open_publishing
from api.settings import Settings, open_ledger, projector_leadership
from api.web import audit_pages, national_pages, pages, publishing_pages
from api.web import year as year_pages
from api.web.commands import routes as command_pages
from audit.running import AuditDesk
from audit.store import ReportStore
from domain.ledger import Ledger
from seal.checking import SealCheck
from seal.heads import Clock
from seal.sealing import Seal
from seal.signing import load_private_key

log = logging.getLogger("greenledger.api")

DESCRIPTION = """\
绿色制造名单动态管理台账的 HTTP 接口。The HTTP interface of the Green List Ledger (api.md).

- 认证 Authentication: `Authorization: Bearer <token>` (`greenledger token create`). Without a
  token, only the current published list (`GET /v1/list` without `known_at`) and `/health`.
- 命令 Commands answer `201`/`200` with the affected ids and the ledger `position`, and accept an
  `Idempotency-Key` header. 查询 Queries accept `known_at` (RFC 3339) and `as_of` (a date).
- 错误 Errors are problem details (RFC 9457, `application/problem+json`).
"""


def operation_id(route: APIRoute) -> str:
    """Operation ids are the handlers' names (`register_enterprise`, `read_list` …)."""
    return route.name


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the ledger, the seal, the audit desk, the read side, the API's tables and the
    publisher; close them at the end."""
    the_settings: Settings = app.state.settings
    clock: Clock | None = app.state.clock
    # A configured signing key that cannot be read stops the start, before anything opens.
    key_path = the_settings.signing_key_path
    app.state.signing_key = load_private_key(key_path) if key_path is not None else None
    the_ledger = open_ledger(the_settings)
    engine = api_engine(
        the_settings.storage,
        lock_timeout_seconds=the_settings.postgres_lock_timeout,
        pool_size=the_settings.postgres_pool_size,
    )
    try:
        create_api_tables(engine)
        app.state.ledger = the_ledger
        app.state.seal = Seal.open(the_ledger, the_settings.database_url)
        app.state.audit_store = ReportStore.open(the_settings.database_url, the_ledger.name)
        app.state.audit_desk = AuditDesk(
            the_ledger,
            app.state.audit_store,
            app.state.seal,
            signing_key=app.state.signing_key,
            gate=app.state.write_gate,
        )
        if the_settings.database_kind != "memory":
            app.state.read_side = _open_read_side(app, the_ledger)
        app.state.tokens = TokenStore(engine)
        app.state.idempotency_keys = IdempotencyStore(
            engine,
            stale_seconds=the_settings.idempotency_stale_seconds,
            position=lambda: the_ledger.position,
        )
        resolve_stale_claims(app.state.idempotency_keys)
        open_publishing(app, engine, clock)
        if the_settings.database_kind != "memory":
            app.state.store_watch = StoreWatch(the_settings.storage)
            app.state.store_watch.start()
        yield
    finally:
        if app.state.store_watch is not None:
            app.state.store_watch.stop()
        if hasattr(app.state, "audit_desk"):
            app.state.audit_desk.close()  # stops a running report before the ledger closes
            app.state.audit_store.close()
        close_publishing(app)
        if getattr(app.state, "read_side", None) is not None:
            app.state.read_side.close()
        if hasattr(app.state, "seal"):
            app.state.seal.engine.dispose()
        engine.dispose()
        the_ledger.close()


def _open_read_side(app: FastAPI, the_ledger: Ledger) -> ReadSide:
    """The read side, and its projector in the background when the settings say so (ADR 0130):
    it catches up with what was stored while this process was down before the server answers
    (a failure is logged, ADR 0105, and the server starts regardless)."""
    the_settings: Settings = app.state.settings
    read_side = ReadSide.open(
        the_ledger,
        the_settings.database_url,
        app.state.gate,
        wait_seconds=the_settings.read_wait_seconds,
        replica=the_settings.read_storage,
        check=SealCheck(app.state.seal),
        busy_timeout_seconds=max(the_settings.postgres_lock_timeout, 1),
    )
    if not the_settings.background_projector:
        catch_up_on_start(read_side)
    else:
        storage = the_settings.storage
        read_side.start_following(
            projector_leadership(the_settings),
            the_settings.projector_poll_seconds,
            settle_seconds=the_settings.projector_settle_seconds,
            listen_url=storage.libpq_url if storage.kind == "postgres" else None,
        )
    return read_side


def catch_up_on_start(read_side: ReadSide) -> None:
    """What other processes wrote while this one was down. An event the projector cannot apply
    is quarantined (ADR 0105); any other failure is logged and the server starts regardless:
    a projector tries again, and `/health` shows the lag."""
    try:
        read_side.catch_up()
    except Exception:
        log.exception("the read side could not catch up on start; serving what it holds")


def resolve_stale_claims(keys: IdempotencyStore) -> None:
    """Claims left unanswered by a process that died (ADR 0107): answered or released."""
    try:
        resolved = keys.resolve_stale()
    except Exception:
        log.exception("the Idempotency-Key claims left behind could not be resolved on start")
        return
    if resolved:
        log.warning("resolved %d Idempotency-Key claims left unanswered", resolved)


#: Every router of the API, then the pages for people (issue 8, ADR 0070): outside the OpenAPI
#: document, same rules.
ROUTERS = (
    health.router,
    green_list.router,
    green_list.lookup_router,
    indicators.router,
    enterprises.router,
    batches.router,
    listings.router,
    assessors.router,
    assessors.evaluations_router,
    ledger.router,
    imports.router,
    statistics.router,
    audit.router,
    exports.router,
    filings.router,
    *publishing_routers,
    *national_routers,
    pages.router,
    audit_pages.router,
    command_pages.router,
    year_pages.router,
    publishing_pages.router,
    national_pages.router,
)


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """The HTTP application on the ledger that `settings` (default: the environment) names;
    `clock` (tests) is the time the publisher goes by."""
    the_settings = settings if settings is not None else Settings()

    app = FastAPI(
        title="绿色制造名单动态管理台账 Green List Ledger",
        summary="绿色制造名单的事件溯源合规台账 An event-sourced compliance ledger for "
        "China's green manufacturing list",
        description=DESCRIPTION,
        version=version("greenledger"),
        lifespan=_lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,  # served with their assets from this server (api/http/openapi/pages.py)
        redoc_url=None,
    )
    app.state.settings = the_settings
    app.state.clock = clock
    app.state.read_side = None
    app.state.store_watch = None
    app.state.gate = FairGate()  # one command at a time in this process, in turn (ADR 0053, 0154)
    sqlite = the_settings.database_kind == "sqlite"
    app.state.write_gate = app.state.gate if sqlite else nullcontext()
    install_problem_handlers(app, not_found_page=pages.not_found_page)
    install_outage_handlers(app)  # innermost: answers 503 while the store is down (ADR 0106)
    app.add_middleware(CrossSiteGuard)  # a cross-site form is refused before it reaches the store
    app.add_middleware(InputGuard)
    app.add_middleware(BodySizeLimit, max_body_bytes=the_settings.max_body_bytes)
    app.add_middleware(AccessLog)
    app.add_middleware(SecurityHeaders)
    for router in ROUTERS:
        # Every route and page refuses the query parameters it does not take (ADR 0121).
        app.include_router(router, dependencies=[RefuseUnknownQuery])
    app.mount("/static", StaticFiles(packages=[("api.web", "static")]), name="static")
    install_offline_docs(app)
    document_read_waits(app)
    return app
