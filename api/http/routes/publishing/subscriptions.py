"""`/v1/subscriptions`: webhooks of the list's changes (the ministry), and their delivery log.

A subscription POSTs the feed's entries its filters select to its URL — loopback or a host of
`GREENLEDGER_WEBHOOK_HOSTS` only — signed with HMAC-SHA256 under the secret answered once at its
creation, retried with back-off until the receiver answers 2xx (ADR 0031). A subscription is not
a fact of the green list: it is kept beside the events, not as one.
"""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request

from api.http.deps import LedgerDep, MinistryDep, SettingsDep
from api.http.openapi.responses import query_responses
from api.http.routes.publishing.schemas import (
    DeliveryLogPublic,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
)
from api.http.schemas.problems import problem_responses
from api.publishing.subscriptions import (
    Attempt,
    Delivery,
    Filters,
    Subscription,
    SubscriptionStore,
)
from api.publishing.webhooks import refusal_of_url
from domain.errors import InvalidInputError, NotFoundError
from seal.heads import system_clock

router = APIRouter(prefix="/v1/subscriptions", tags=["feed 名单变化"])


class SubscriptionNotFoundError(NotFoundError):
    """Raised when a subscription id is unknown."""

    kind = "subscription"


def _store(request: Request) -> SubscriptionStore:
    store: SubscriptionStore = request.app.state.subscriptions
    return store


def subscription_document(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "url": subscription.url,
        "filters": subscription.filters.to_document(),
        "cursor": subscription.cursor,
        "active": subscription.active,
        "created_at": subscription.created_at,
        "created_by": subscription.created_by,
    }


def delivery_document(delivery: Delivery, attempts: list[Attempt]) -> dict[str, Any]:
    return {
        "id": delivery.id,
        "after": delivery.after_position,
        "next": delivery.to_position,
        "entries": delivery.entries,
        "state": delivery.state,
        "attempts": [vars(attempt) for attempt in attempts],
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at if delivery.state == "pending" else None,
        "delivered_at": delivery.delivered_at,
    }


@router.post(
    "",
    status_code=201,
    response_model=SubscriptionCreated,
    responses=problem_responses(400, 401, 403, 413, 422, 500),
    summary="订阅名单变化 Subscribe a webhook to the list's changes",
)
def create_subscription(
    request: Request,
    principal: MinistryDep,
    settings: SettingsDep,
    ledger: LedgerDep,
    body: SubscriptionCreate,
) -> dict[str, Any]:
    """The feed's entries after `after` (default: from now on) that `filters` select are POSTed
    to `url`, signed; the answer carries the signing secret, once.

    "From now on" is after the last event stored, not after the last one the read models have
    taken in (they may lag, ADR 0130): an event stored before the subscription is not sent to it."""
    refused = refusal_of_url(body.url, settings.webhook_host_names)
    if refused is not None:
        raise InvalidInputError("url", refused)
    filters = Filters(
        category=body.filters.category.value if body.filters.category else None,
        level=body.filters.level.value if body.filters.level else None,
        region=body.filters.region,
    )
    secret = secrets.token_urlsafe(32)
    subscription = _store(request).create(
        url=body.url,
        secret=secret,
        filters=filters,
        cursor=body.after if body.after is not None else ledger.position,
        by=principal.kind,
        at=system_clock(),
    )
    return {**subscription_document(subscription), "secret": secret}


@router.get(
    "",
    response_model=list[SubscriptionPublic],
    responses=query_responses(401, 403),
    summary="订阅 The webhook subscriptions",
)
def list_subscriptions(request: Request, principal: MinistryDep) -> list[dict[str, Any]]:
    return [subscription_document(s) for s in _store(request).all()]


@router.get(
    "/{subscription_id}/deliveries",
    response_model=DeliveryLogPublic,
    responses=query_responses(401, 403, 404),
    summary="投递记录 A subscription's delivery log",
)
def read_delivery_log(
    request: Request, principal: MinistryDep, subscription_id: UUID
) -> dict[str, Any]:
    """The latest deliveries, newest first, each with every attempt (time, status, error)."""
    store = _store(request)
    subscription = store.find(subscription_id)
    if subscription is None:
        raise SubscriptionNotFoundError(subscription_id)
    return {
        "subscription": subscription_document(subscription),
        "deliveries": [delivery_document(d, a) for d, a in store.log(subscription_id)],
    }
