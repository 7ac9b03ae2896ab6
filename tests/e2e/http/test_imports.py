"""`POST /v1/imports/published-lists` over real HTTP: counts per file and batch, rows not imported,
and a second import that writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.http.live import LiveApi, live_api
from tests.e2e.http.world import expect
from tests.paths import PUBLISHED_LISTS


@pytest.fixture
def api(sql_database_url: str) -> Iterator[LiveApi]:
    with live_api(sql_database_url) as served:
        yield served


def first_parks(rows: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    parks = (PUBLISHED_LISTS / "green_parks.csv").read_bytes().splitlines(keepends=True)
    return [
        (
            "files",
            ("announcements.csv", (PUBLISHED_LISTS / "announcements.csv").read_bytes(), "text/csv"),
        ),
        ("files", ("green_parks.csv", b"".join(parks[: rows + 1]), "text/csv")),
        ("files", ("notes.csv", "说明\n".encode(), "text/csv")),
    ]


def test_the_ministry_imports_published_parks_and_a_second_import_writes_nothing(
    api: LiveApi,
) -> None:
    ministry = api.ministry()

    first = api.client.post(
        "/v1/imports/published-lists", files=first_parks(3), headers=ministry.headers()
    )
    again = api.client.post(
        "/v1/imports/published-lists", files=first_parks(3), headers=ministry.headers()
    )

    report = expect(first, 201)
    assert report["written"] is True
    assert report["imported"] == 3
    assert report["enterprises_registered"] == 3
    (parks,) = [c for c in report["counts"] if c["file"] == "green_parks.csv"]
    assert (parks["batch_year"], parks["batch_label"], parks["rows"]) == (1, "第一批", 3)
    assert [(r["file"], r["line"]) for r in report["rejected"]] == [("notes.csv", 1)]
    second = expect(again, 200)
    assert second["written"] is False
    assert second["already_present"] == 3
    assert second["position"] == report["position"]
    batch = expect(ministry.get("/v1/batches/1"), 200)
    assert batch["publications"][0]["listed"] == 3
