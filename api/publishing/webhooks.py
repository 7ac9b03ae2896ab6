"""Webhooks: where they may go, how a delivery is signed, and one POST of it (ADR 0031).

A subscription's URL must be http(s) on loopback or on a host named in
`GREENLEDGER_WEBHOOK_HOSTS`: the server never posts to a place nobody configured. Each delivery is
signed with HMAC-SHA256 under the subscription's secret (given once, when it is created):

    X-Greenledger-Delivery:  <delivery id>          the same on every retry: dedupe on it
    X-Greenledger-Timestamp: <unix seconds>         when this attempt was signed
    X-Greenledger-Signature: sha256=<hex>           HMAC-SHA256(secret, "<timestamp>." + body)

A receiver recomputes the HMAC over the raw body and compares in constant time; it may refuse a
timestamp far from its own clock. Redirects are not followed (a redirect could lead elsewhere).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

DELIVERY_HEADER = "X-Greenledger-Delivery"
TIMESTAMP_HEADER = "X-Greenledger-Timestamp"
SIGNATURE_HEADER = "X-Greenledger-Signature"
USER_AGENT = "greenledger-webhooks/1"


def refusal_of_url(url: str, hosts: frozenset[str]) -> str | None:
    """Why a webhook may not go to `url` (None: it may)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "只接受 http 或 https 地址 only http or https URLs"
    if parts.username is not None or parts.password is not None:
        return "地址不得含用户名或密码 the URL must not carry credentials"
    host = (parts.hostname or "").lower()
    if not host:
        return "地址缺少主机名 the URL has no host"
    if host == "localhost" or _is_loopback(host) or host in hosts:
        return None
    return (
        f"主机 {host} 不在允许的范围内（本机或 GREENLEDGER_WEBHOOK_HOSTS） "
        f"host {host} is neither loopback nor in GREENLEDGER_WEBHOOK_HOSTS"
    )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for this body, signed at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: the receiver's status, or why there was none."""

    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(
    url: str,
    body: bytes,
    *,
    delivery_id: str,
    secret: str,
    timestamp: int,
    timeout: float,
) -> Outcome:
    """POST one delivery; never raises for the receiver's failures."""
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            DELIVERY_HEADER: delivery_id,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: signature(secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            return Outcome(int(response.status), None)
    except urllib.error.HTTPError as error:
        return Outcome(int(error.code), f"HTTP {error.code}")
    except (OSError, ValueError) as error:
        return Outcome(None, f"{type(error).__name__}: {error}"[:500])
