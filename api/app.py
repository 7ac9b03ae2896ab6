"""The one place that wires the HTTP application: settings → ledger, read models → routers.

`create_app()` is what `greenledger serve` runs and what the end-to-end tests drive. The ledger is
opened when the application starts and closed when it stops; routes receive it through
`api.deps`. The library is synchronous, so route handlers are plain `def` (FastAPI runs them in
its thread pool).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version

from fastapi import FastAPI

from api.routes import health, ledger
from api.settings import Settings, open_ledger
from projections.database import Views
from projections.projector import Projector
from projections.seal import Seal
from projections.signing import load_private_key


def create_app(settings: Settings | None = None) -> FastAPI:
    """The HTTP application on the ledger that `settings` (default: the environment) names."""
    the_settings = settings if settings is not None else Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A configured signing key that cannot be read stops the start, before anything opens.
        key_path = the_settings.signing_key_path
        app.state.signing_key = load_private_key(key_path) if key_path is not None else None
        app.state.ledger = open_ledger(the_settings)
        app.state.seal = Seal.open(app.state.ledger, the_settings.database_url)
        app.state.views = None
        app.state.projector = None
        try:
            if the_settings.database_kind != "memory":
                # The read models live beside the events; the API catches them up after each
                # command (`api.deps.caught_up`), a worker (`greenledger project --follow`) keeps
                # them current between commands.
                app.state.views = Views.open(the_settings.database_url)
                # A few pages' worth of rows in memory: the worker remembers the rest.
                app.state.projector = Projector(
                    app.state.ledger, app.state.views, memory_capacity=5_000
                )
            yield
        finally:
            app.state.seal.engine.dispose()
            if app.state.views is not None:
                app.state.views.close()
            app.state.ledger.close()

    app = FastAPI(
        title="绿色制造名单动态管理台账 Green List Ledger",
        summary="绿色制造名单的事件溯源合规台账 An event-sourced compliance ledger for "
        "China's green manufacturing list",
        version=version("greenledger"),
        lifespan=lifespan,
    )
    app.state.settings = the_settings
    app.include_router(health.router)
    app.include_router(ledger.router)
    return app
