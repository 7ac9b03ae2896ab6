"""`POST /v1/imports/published-lists` over real HTTP: counts per file and batch, rows not imported,
and a second import that writes nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from domain.loading.published_lists import read_published_lists
from tests.builders import announcement_fixtures
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

    api.positions.saw(first)  # the batch is read after the import's events
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


def annex_files(directory: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [
        ("files", (path.name, path.read_bytes(), "application/octet-stream"))
        for path in sorted(directory.iterdir())
    ]


def test_the_ministry_imports_announcements_and_a_second_import_writes_nothing(
    api: LiveApi, tmp_path: Path
) -> None:
    files = annex_files(announcement_fixtures(tmp_path / "annexes"))
    ministry = api.ministry()

    first = api.client.post("/v1/imports/announcements", files=files, headers=ministry.headers())
    again = api.client.post("/v1/imports/announcements", files=files, headers=ministry.headers())

    api.positions.saw(first)  # the batch is read after the import's events
    report = expect(first, 201)
    assert report["written"] is True
    design = next(c for c in report["counts"] if c["file"].endswith(".xlsx"))
    assert (design["batch_year"], design["batch_label"], design["imported"]) == (
        2022,
        "2022年度",
        3,
    )
    refused = {(r["file"], r["line"]) for r in report["rejected"]}
    assert ("2023-附件4-移出名单.csv", 8) in refused
    assert ("2022-附件1-绿色工厂名单.csv", 9) in refused
    second = expect(again, 200)
    assert second["written"] is False
    assert second["position"] == report["position"]
    batch = expect(ministry.get("/v1/batches/2023"), 200)
    assert [p["announcement"]["doc_no"] for p in batch["publications"]] == [
        "测试厅节函〔2024〕384号"
    ]


def test_a_province_may_not_import_announcements(api: LiveApi, tmp_path: Path) -> None:
    files = annex_files(announcement_fixtures(tmp_path / "annexes"))

    response = api.client.post(
        "/v1/imports/announcements", files=files, headers=api.province().headers()
    )

    expect(response, 403)


def test_announcements_without_their_manifest_are_refused_naming_it(
    api: LiveApi, tmp_path: Path
) -> None:
    directory = announcement_fixtures(tmp_path / "annexes")
    (directory / "announcements.csv").unlink()

    response = api.client.post(
        "/v1/imports/announcements",
        files=annex_files(directory),
        headers=api.ministry().headers(),
    )

    problem = expect(response, 422)
    assert "announcements.csv is missing" in str(problem)


class HeldBetweenChunks:
    """The process's command gate, holding the first thread to enter it (the import) before its
    second save — its first chunk committed — until the test lets it go."""

    def __init__(self, gate: AbstractContextManager[object]) -> None:
        self.gate = gate
        self.importer: int | None = None
        self.entries = 0
        self.between_chunks = threading.Event()
        self.go_on = threading.Event()

    def __enter__(self) -> object:
        if self.importer is None:
            self.importer = threading.get_ident()
        if threading.get_ident() == self.importer:
            self.entries += 1
            # 1: the claim of the request; 2: the first chunk's save; 3: the second chunk's.
            if self.entries == 3:
                self.between_chunks.set()
                if not self.go_on.wait(timeout=60):
                    raise TimeoutError("the test never let the import go on")
        return self.gate.__enter__()

    def __exit__(self, *details: Any) -> None:
        self.gate.__exit__(*details)


def what_it_answered(answers: list[httpx.Response]) -> str:
    """The import's answer, when it answered before its second chunk (why it did not get there)."""
    if not answers:
        return "it has not answered"
    return f"it answered {answers[0].status_code}: {answers[0].text[:600]}"


#: The published factories with their announcements: an import of several chunks.
FACTORY_FILES = [
    ("files", ("announcements.csv", (PUBLISHED_LISTS / "announcements.csv").read_bytes())),
    ("files", ("green_factories.csv", (PUBLISHED_LISTS / "green_factories.csv").read_bytes())),
]

T = TypeVar("T")


def while_an_import_is_between_its_chunks(
    api: LiveApi, meanwhile: Callable[[], T]
) -> tuple[httpx.Response, T]:
    """The ministry's upload of `FACTORY_FILES`, held after its first chunk's save while
    `meanwhile` runs, then let go: its answer and what `meanwhile` returned."""
    held = HeldBetweenChunks(api.app.state.gate)
    api.app.state.gate = held
    headers = api.ministry().headers()
    answers: list[httpx.Response] = []

    def run_import() -> None:
        with httpx.Client(base_url=api.base_url, timeout=300) as own_client:
            answers.append(
                own_client.post("/v1/imports/published-lists", files=FACTORY_FILES, headers=headers)
            )

    importing = threading.Thread(target=run_import)
    importing.start()
    try:
        deadline = time.monotonic() + 120
        while importing.is_alive() and time.monotonic() < deadline:
            if held.between_chunks.wait(timeout=0.1):
                break
        why = what_it_answered(answers)
        assert held.between_chunks.is_set(), f"the import never reached its second chunk: {why}"
        done_meanwhile = meanwhile()
    finally:
        held.go_on.set()
        importing.join(timeout=300)
    (imported,) = answers
    return imported, done_meanwhile


def test_a_command_completes_while_a_large_import_is_between_its_chunks(api: LiveApi) -> None:
    province = api.province("320000")

    imported, command = while_an_import_is_between_its_chunks(
        api,
        lambda: province.post(
            "/v1/enterprises", {"name": "江苏导入期间登记有限公司", "region": "320000"}
        ),
    )

    registered = expect(command, 201)
    report = expect(imported, 201)
    assert report["imported"] == 2783
    assert report["events_written"] > report["position"] - registered["position"] > 0


def test_an_upload_that_loses_a_race_between_its_chunks_is_run_again_and_completes(
    api: LiveApi,
) -> None:
    """While the import is held between chunks, the unit's own province registers a factory of a
    later chunk: the import's save of that chunk is refused as a concurrent write, the server runs
    the import again (ADR 0111), and the upload answers 201 with the province's enterprise listed,
    not a second one."""
    ministry = api.ministry()
    factories = [
        row
        for row in read_published_lists(PUBLISHED_LISTS).rows
        if row.file == "green_factories.csv"
    ]
    last = factories[-1]  # in the import's last chunk
    rival = api.province(last.region.code)

    imported, registered = while_an_import_is_between_its_chunks(
        api,
        lambda: rival.post("/v1/enterprises", {"name": last.name, "region": last.region.code}),
    )

    rivals_enterprise = expect(registered, 201)["id"]
    report = expect(imported, 201)
    # run again, the import counts what its first run saved as already present
    assert report["imported"] + report["already_present"] == 2783
    assert report["already_present"] > 0
    assert report["enterprises_registered"] < report["imported"]
    api.positions.saw(imported)
    found = expect(ministry.get("/v1/list", q=last.name, page_size=200), 200)
    ours = [item for item in found["items"] if item["name"] == last.name]
    assert ours, f"{last.name} is not on the list"
    assert {item["enterprise_id"] for item in ours} == {rivals_enterprise}
    again = expect(
        api.client.post(
            "/v1/imports/published-lists", files=FACTORY_FILES, headers=ministry.headers()
        ),
        200,
    )
    assert again["written"] is False
    assert again["already_present"] == 2783
