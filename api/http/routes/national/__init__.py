"""The routers of the 2024 regime's national side (issue 17, ADR 0150–0152): the publicity (公示)
that precedes the national list and the objections raised during it."""

from __future__ import annotations

from api.http.routes.national import green_codes, publicity, rebenchmark

routers = (publicity.router, green_codes.router, rebenchmark.router)
