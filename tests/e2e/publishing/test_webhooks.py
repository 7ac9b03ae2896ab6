"""Webhook subscriptions (issue 19): deliveries signed with HMAC-SHA256, retried with back-off,
at least once with a delivery id, durable across a restart of the server.

Time is the publisher's clock, moved by the test: a receiver down for 30 s takes no 30 s. The
receiver (`tests/api/receiver.py`) checks every signature and applies each delivery id once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.auth import Role
from api.publishing.publisher import Publisher
from api.settings import Settings
from domain.ledger import Ledger
from tests.builders import by_ministry, by_province, listed_factory, nominate, publish, register
from tests.e2e.publishing.clock import TestClock
from tests.e2e.publishing.receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    the_receiver = Receiver()
    the_receiver.up()
    yield the_receiver
    the_receiver.down()


def settings_for(database_url: str, **more: Any) -> Settings:
    return Settings(
        database_url=database_url,
        publish_interval_seconds=0,
        webhook_retry_seconds=1,
        webhook_retry_max_seconds=8,
        webhook_timeout_seconds=5,
        **more,
    )


def ministry_headers(client: TestClient) -> dict[str, str]:
    issued = client.app.state.tokens.create(Role.MINISTRY, name="test")  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {issued.token}"}


def subscribe(client: TestClient, url: str, **body: Any) -> dict[str, Any]:
    response = client.post(
        "/v1/subscriptions", json={"url": url, **body}, headers=ministry_headers(client)
    )
    assert response.status_code == 201, response.text
    answer: dict[str, Any] = response.json()
    return answer


def publisher_of(client: TestClient) -> Publisher:
    publisher: Publisher = client.app.state.publisher  # type: ignore[attr-defined]
    return publisher


def ledger_of(client: TestClient) -> Ledger:
    ledger: Ledger = client.app.state.ledger  # type: ignore[attr-defined]
    return ledger


def feed_positions(client: TestClient) -> list[int]:
    page = client.get("/v1/feed", params={"after": 0, "limit": 1000}).json()
    return [entry["position"] for entry in page["entries"]]


def run_for(client: TestClient, clock: TestClock, seconds: int) -> int:
    """A publisher round every second of the publisher's clock; the attempts made."""
    attempts = 0
    for _ in range(seconds):
        attempts += publisher_of(client).run_round().attempts
        clock.advance(1)
    return attempts


def test_deliveries_survive_a_receiver_down_30_s_and_a_restart_none_lost_none_twice(
    sql_database_url: str, receiver: Receiver
) -> None:
    clock = TestClock()
    settings = settings_for(sql_database_url)
    with TestClient(create_app(settings, clock=clock)) as first:
        subscription = subscribe(first, receiver.url, after=0)
        receiver.secret = subscription["secret"]
        unit = listed_factory(ledger_of(first))
        receiver.down()
        failed = run_for(first, clock, 30)
        ledger_of(first).remove_listing(
            unit.listing_id, reasons=["withdrawn"], provenance=by_ministry(date(2024, 1, 5))
        )
        failed += run_for(first, clock, 3)
    assert failed >= 5  # 1, 2, 4, 8, 8 … seconds apart
    assert receiver.arrivals == []

    with TestClient(create_app(settings, clock=clock)) as second:  # the server restarted
        receiver.up()
        receiver.answers_to_lose = 1  # applied, but the answer is lost: it will come again
        run_for(second, clock, 20)
        ledger_of(second).rename_enterprise(
            unit.enterprise_id,
            name="江苏绿源更名有限公司",
            provenance=by_province(date(2024, 2, 1)),
        )
        run_for(second, clock, 3)
        log = second.get(
            f"/v1/subscriptions/{subscription['id']}/deliveries", headers=ministry_headers(second)
        ).json()
        expected = feed_positions(second)

    assert receiver.bad_signatures == 0
    assert receiver.applied_positions() == expected  # none lost, in order, none applied twice
    assert len(expected) == 3  # listed, removed, renamed
    assert len(receiver.arrivals) == len(receiver.applied) + 1  # the lost answer's delivery again
    first_delivery = log["deliveries"][-1]
    assert first_delivery["state"] == "delivered"
    statuses = [attempt["status_code"] for attempt in first_delivery["attempts"]]
    assert statuses[-2:] == [500, 204]
    assert all(status is None for status in statuses[:-2])
    assert all(attempt["error"] for attempt in first_delivery["attempts"][:-1])
    assert all(delivery["state"] == "delivered" for delivery in log["deliveries"])
    assert log["subscription"]["cursor"] >= expected[-1]


def test_the_filters_choose_the_entries_delivered(sqlite_url: str, receiver: Receiver) -> None:
    clock = TestClock()
    with TestClient(create_app(settings_for(sqlite_url), clock=clock)) as client:
        ledger = ledger_of(client)
        listed_factory(ledger)  # Jiangsu
        subscription = subscribe(client, receiver.url, after=0, filters={"region": "330000"})
        receiver.secret = subscription["secret"]
        zhejiang = nominate(
            ledger, register(ledger, "浙江绿色工厂有限公司", "330000"), region="330000"
        )
        publish(ledger, [zhejiang])
        run_for(client, clock, 2)

    (body,) = receiver.applied.values()
    assert [entry["region"] for entry in body["entries"]] == ["330000"]


def test_a_webhook_goes_to_loopback_or_a_configured_host_only(sqlite_url: str) -> None:
    with TestClient(create_app(settings_for(sqlite_url))) as client:
        elsewhere = client.post(
            "/v1/subscriptions",
            json={"url": "https://bank.example.com/hook"},
            headers=ministry_headers(client),
        )
    with TestClient(
        create_app(settings_for(sqlite_url, webhook_hosts="bank.example.com"))
    ) as client:
        configured = client.post(
            "/v1/subscriptions",
            json={"url": "https://bank.example.com/hook"},
            headers=ministry_headers(client),
        )

    assert elsewhere.status_code == 422
    assert elsewhere.json()["errors"][0]["field"] == "url"
    assert "GREENLEDGER_WEBHOOK_HOSTS" in elsewhere.json()["errors"][0]["message"]
    assert configured.status_code == 201
    assert configured.json()["secret"]


def test_the_server_s_own_loop_delivers_without_being_driven(
    sqlite_url: str, receiver: Receiver
) -> None:
    settings = settings_for(sqlite_url).model_copy(update={"publish_interval_seconds": 0.05})
    with TestClient(create_app(settings)) as client:
        subscription = subscribe(client, receiver.url, after=0)
        receiver.secret = subscription["secret"]
        listed_factory(ledger_of(client))

        delivered = receiver.first_applied.wait(timeout=60)

    assert delivered
    (body,) = receiver.applied.values()
    assert body["entries"][0]["kind"] == "listed"


def test_a_subscription_from_now_on_is_sent_nothing_stored_before_it(
    sql_database_url: str, receiver: Receiver
) -> None:
    """The read models lag the ledger (here: no background projector, so they lag until caught up
    by hand): "from now on" is after the last event stored, not the last one the views took in."""
    clock = TestClock()
    settings = settings_for(sql_database_url, background_projector=False)
    with TestClient(create_app(settings, clock=clock)) as client:
        ledger = ledger_of(client)
        listed_factory(ledger)  # stored before the subscription, not yet in the views
        stored = ledger.position
        subscription = subscribe(client, receiver.url)
        receiver.secret = subscription["secret"]
        zhejiang = nominate(
            ledger, register(ledger, "浙江此后公布有限公司", "330000"), region="330000"
        )
        publish(ledger, [zhejiang])
        client.app.state.read_side.catch_up()  # type: ignore[attr-defined]
        run_for(client, clock, 2)

    assert subscription["cursor"] == stored
    assert receiver.applied_positions()  # the listing published after it arrived
    assert all(position > stored for position in receiver.applied_positions())
    assert {e["region"] for b in receiver.applied.values() for e in b["entries"]} == {"330000"}
