"""`GET /v1/feed`: a client that replays the feed from position 0 holds the list (issue 19).

A story with every kind of list change — listings of two rounds, a rename, a removal and its
rescission, a removal that stands, a flagged unit, a nomination not listed, a nominee renamed —
is recorded; a client pages through the feed three entries at a time, folds it, and must hold
exactly the units `GET /v1/list` answers at the same position, with their names and places.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from api.http.app import create_app
from api.settings import Settings
from domain.ledger import Ledger
from domain.values import ON_LIST
from tests.builders import (
    ANNOUNCEMENT,
    by_ministry,
    by_province,
    energy,
    nominate,
    open_batch,
    publish,
    register,
)

ON_THE_LIST = {status.value for status in ON_LIST}
ANONYMOUS_KINDS = {"listed", "removed", "removal_rescinded", "renamed"}


@dataclass(frozen=True)
class Story:
    rejected: UUID
    nominee_enterprise: UUID
    removed: UUID
    rescinded: UUID


def record_story(ledger: Ledger) -> Story:
    """Two rounds of listings and what happened to them afterwards."""
    open_batch(ledger, 2022)
    enterprises = [register(ledger, f"江苏第{n}绿色工厂有限公司") for n in range(1, 7)]
    listings = [nominate(ledger, e) for e in enterprises]
    publish(ledger, listings[:5], rejected=listings[5:])
    ledger.rename_enterprise(
        enterprises[1], name="江苏更名后绿色工厂有限公司", provenance=by_province(date(2023, 6, 1))
    )
    ledger.remove_listing(
        listings[2],
        reasons=["withdrawn"],
        announcement=ANNOUNCEMENT,
        provenance=by_ministry(date(2024, 1, 5)),
    )
    ledger.rescind_removal(listings[2], reason="误移出", provenance=by_ministry(date(2024, 1, 6)))
    ledger.remove_listing(
        listings[3], reasons=["withdrawn"], provenance=by_ministry(date(2024, 2, 1))
    )
    ledger.submit_filing(
        listings[4], report_year=2023, indicators=energy(), provenance=by_province(date(2024, 3, 1))
    )
    ledger.review_filing(
        listings[4],
        report_year=2023,
        outcome="non_compliant",
        findings=["单位产品能耗超标"],
        provenance=by_province(date(2024, 3, 20)),
    )
    open_batch(ledger, 2023, date(2023, 9, 1))
    nominee = register(ledger, "江苏只被推荐的企业有限公司")
    nominate(ledger, nominee, year=2023, day=date(2023, 10, 20))
    ledger.rename_enterprise(
        nominee, name="江苏只被推荐的企业更名有限公司", provenance=by_province(date(2023, 11, 1))
    )
    second = [
        nominate(
            ledger, register(ledger, f"江苏第二轮{n}号有限公司"), year=2023, day=date(2023, 10, 20)
        )
        for n in (1, 2)
    ]
    publish(ledger, second, year=2023, day=date(2024, 3, 1))
    return Story(listings[5], nominee, listings[3], listings[2])


@pytest.fixture
def client(sql_database_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=sql_database_url, publish_interval_seconds=0))
    with TestClient(app) as the_client:
        yield the_client


def ledger_of(client: TestClient) -> Ledger:
    ledger: Ledger = client.app.state.ledger  # type: ignore[attr-defined]
    return ledger


def catch_up(client: TestClient) -> None:
    client.app.state.read_side.catch_up()  # type: ignore[attr-defined]


def replay_feed(client: TestClient, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Every entry from position 0, page by page as a client reads it; and the last `next`."""
    entries: list[dict[str, Any]] = []
    after = 0
    while True:
        page = client.get("/v1/feed", params={"after": after, "limit": limit}).json()
        entries.extend(page["entries"])
        if len(page["entries"]) < limit:
            return entries, page["next"]
        after = page["next"]


def fold(entries: list[dict[str, Any]], on: date) -> dict[str, tuple[str, str, str, str]]:
    """The list as a feed client keeps it: each unit's last entry says whether it is on the list;
    its name is its enterprise's latest rename in force on `on`, else the name its entry gave."""
    units: dict[str, dict[str, Any]] = {}
    renames: dict[str, list[tuple[str, str]]] = {}
    for entry in entries:
        if entry["kind"] == "renamed":
            renames.setdefault(entry["enterprise_id"], []).append(
                (entry["effective_on"], entry["name"])
            )
        elif entry["status"] in ON_THE_LIST:
            units[entry["listing_id"]] = entry
        else:
            units.pop(entry["listing_id"], None)
    held = {}
    for listing_id, entry in units.items():
        in_force = [
            n for day, n in renames.get(entry["enterprise_id"], []) if day <= on.isoformat()
        ]
        name = in_force[-1] if in_force else entry["name"]
        held[listing_id] = (name, entry["region"], entry["category"], entry["level"])
    return held


def whole_list(client: TestClient) -> tuple[dict[str, tuple[str, str, str, str]], int]:
    page = client.get("/v1/list", params={"page_size": 500}).json()
    assert page["total"] <= 500
    items = {
        item["listing_id"]: (item["name"], item["region"], item["category"], item["level"])
        for item in page["items"]
    }
    return items, page["position"]


def test_the_feed_replayed_from_0_is_the_list_at_the_feed_s_position(client: TestClient) -> None:
    record_story(ledger_of(client))
    catch_up(client)

    entries, position = replay_feed(client, limit=3)
    listed, list_position = whole_list(client)

    assert position == list_position == ledger_of(client).position
    assert fold(entries, Ledger.today()) == listed
    assert len(listed) == 6  # five of the first round, less one removed, plus two


def test_the_feed_holds_published_facts_only_in_position_order(client: TestClient) -> None:
    story = record_story(ledger_of(client))
    catch_up(client)

    entries, _ = replay_feed(client, limit=100)

    assert {entry["kind"] for entry in entries} == ANONYMOUS_KINDS
    assert [e["position"] for e in entries] == sorted(e["position"] for e in entries)
    assert str(story.rejected) not in {e["listing_id"] for e in entries}
    assert str(story.nominee_enterprise) not in {e["enterprise_id"] for e in entries}
    assert {e["status"] for e in entries if e["kind"] != "renamed"} <= {"listed", "removed"}
    (removal,) = [
        e for e in entries if e["kind"] == "removed" and e["listing_id"] == str(story.removed)
    ]
    assert removal["reasons"] == ["withdrawn"]


def test_nothing_changed_answers_304_and_a_change_a_new_etag(client: TestClient) -> None:
    record_story(ledger_of(client))
    catch_up(client)
    first = client.get("/v1/feed", params={"after": 0, "limit": 100})

    again = client.get(
        "/v1/feed",
        params={"after": 0, "limit": 100},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert (first.status_code, again.status_code) == (200, 304)
    assert again.content == b""
    assert first.headers["Cache-Control"] == "public, no-cache"

    ledger_of(client).rename_enterprise(
        UUID(first.json()["entries"][0]["enterprise_id"]),
        name="江苏又一次更名有限公司",
        provenance=by_province(date(2024, 6, 1)),
    )
    catch_up(client)
    changed = client.get(
        "/v1/feed",
        params={"after": 0, "limit": 100},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert changed.status_code == 200
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert changed.json()["entries"][-1]["kind"] == "renamed"


def test_a_full_page_is_cacheable_and_its_etag_does_not_move(client: TestClient) -> None:
    record_story(ledger_of(client))
    catch_up(client)
    full = client.get("/v1/feed", params={"after": 0, "limit": 2})

    ledger_of(client).remove_listing(
        UUID(full.json()["entries"][0]["listing_id"]),
        reasons=["withdrawn"],
        provenance=by_ministry(date(2024, 6, 1)),
    )
    catch_up(client)
    later = client.get(
        "/v1/feed", params={"after": 0, "limit": 2}, headers={"If-None-Match": full.headers["ETag"]}
    )

    assert full.headers["Cache-Control"] == "public, max-age=86400"
    assert later.status_code == 304


def test_the_atom_feed_lists_the_latest_changes_newest_first(client: TestClient) -> None:
    record_story(ledger_of(client))
    catch_up(client)

    response = client.get("/v1/feed.atom", params={"limit": 3})

    assert response.headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert len(titles) == 3
    assert all(title and title.startswith("列入：江苏第二轮") for title in titles[:2])
    links = [link.get("href") for link in feed.iter(f"{atom}link") if link.get("rel") == "related"]
    assert links
    assert all("/certificate?on=" in (link or "") for link in links)


def test_an_unknown_parameter_is_refused_naming_it(client: TestClient) -> None:
    response = client.get("/v1/feed", params={"since": 3})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "since"
