"""The routers that publish the list outward (issue 19, ADR 0031): the feed, the changes between
two dates, webhook subscriptions and certificates; the kept heads are in `ledger`."""

from __future__ import annotations

from api.http.routes.publishing import certificates, changes, feed, subscriptions

routers = (feed.router, changes.router, subscriptions.router, certificates.router)
