"""Cookie forms are posted only from this site's pages (ADR 0071, ADR 0075).

The sign-in cookie is SameSite=Strict, so a browser does not send it with a form another site
posts; this check is the second lock, and the one that holds for browsers without SameSite: a
post that changes something must carry an `Origin` (or, without one, a `Referer`) naming the host
it was sent to. The same rule as the security middleware's check of the sign-in forms; one rule
for every cookie form.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers


def posted_from_this_site(headers: Headers) -> bool:
    """Whether the request's Origin (or Referer) names the host it was sent to."""
    host = headers.get("host", "").lower()
    source = headers.get("origin") or headers.get("referer")
    if not host or not source or source == "null":
        return False
    return urlsplit(source).netloc.lower() == host
