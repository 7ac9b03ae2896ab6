"""The OpenAPI documentation pages, `/docs` (Swagger UI) and `/redoc`, served with their scripts and
styles from this server: nothing is fetched from another host, so the pages work on a network
without the internet, as on a government intranet (ADR 0073).

The assets come pinned in the `fastapi-offline` package (its `static/` folder: swagger-ui-bundle.js,
swagger-ui.css, redoc.standalone.js, favicon.png); FastAPI's own page builders point at them. The
Swagger UI's online validator badge and ReDoc's web fonts, both fetched from elsewhere, are off.
ReDoc still draws a logo from its makers' server in its menu; the pages' Content-Security-Policy
lets them load nothing but from this server, so the browser never asks.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_ASSETS = "/docs-assets"
DOCS_ASSET_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
#: Everything from this server only; the page builders write an inline script and inline styles,
#: ReDoc runs its search in a worker made from a blob.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def _only_this_server(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page


def install_offline_docs(app: FastAPI) -> None:
    """`/docs`, `/docs/oauth2-redirect` and `/redoc`, with their assets under `/docs-assets`."""
    app.mount(
        DOCS_ASSETS, StaticFiles(packages=[("fastapi_offline", "static")]), name="docs-assets"
    )
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect = "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _only_this_server(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=f"{app.title} · Swagger UI",
                oauth2_redirect_url=oauth2_redirect,
                swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
                # No badge that asks the public validator (another host) about our document.
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    @app.get(oauth2_redirect, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _only_this_server(
            get_redoc_html(
                openapi_url=openapi_url,
                title=f"{app.title} · ReDoc",
                redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
                redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
                with_google_fonts=False,
            )
        )
