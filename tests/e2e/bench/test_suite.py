"""The suite end to end at a tiny scale: it writes results.json in the promised shape, with ratios
of value over baseline, and the report renders it. No timing is asserted: figures are facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.__main__ import main, ratio, result
from bench.report import BEGIN, END, render, target_of, write_into
from tests.conftest import ADMIN_URL


def test_ratio_is_value_over_baseline():
    assert ratio(3.0, 4.0) == 0.75
    assert result(3.0, "events/s", 4.0) == {
        "value": 3.0,
        "unit": "events/s",
        "baseline": 4.0,
        "ratio": 0.75,
    }


@pytest.mark.parametrize(("value", "baseline"), [(3.0, None), (None, 4.0), (3.0, 0)])
def test_ratio_without_a_baseline_is_none(value, baseline):
    assert ratio(value, baseline) is None


def test_targets_judge_the_ratio_or_the_value():
    ingest = target_of("sqlite.ingest")
    list_p50 = target_of("postgres.list.p50")
    assert ingest is not None
    assert list_p50 is not None
    assert ingest.met(result(70.0, "events/s", 100.0)) is True
    assert ingest.met(result(69.0, "events/s", 100.0)) is False
    assert list_p50.met(result(50.0, "ms", None)) is True
    assert list_p50.met(result(50.1, "ms", None)) is False
    assert target_of("sqlite.list.region.p50") is None
    report = target_of("postgres.replay.seconds")
    assert report is not None
    assert report.met(result(59.0, "s", 3.0)) is True
    assert report.met(result(61.0, "s", 3.0)) is False


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_tiny_run_writes_results_in_the_promised_shape(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
):
    if store == "postgres":
        request.getfixturevalue("postgres_database")  # skips when the server does not answer
    out = tmp_path / "results.json"
    main(
        [
            "--quick",
            "--scale",
            "40",
            "--stores",
            store,
            "--postgres-url",
            ADMIN_URL,
            "--out",
            str(out),
            "--only",
            "ingest",
            "rebuild",
            "replay",
            "queries",
            "seal",
            "command",
            "http",
        ]
    )
    document = json.loads(out.read_text())
    assert {"machine", "date", "scale", "results"} <= set(document)
    assert document["scale"]["listings"] == 40
    names = set(document["results"])
    for name in ("ingest", "rebuild", "list.p50", "list.p99", "timeline.p99", "http.p99"):
        assert f"{store}.{name}" in names
    for name in ("replay", "replay.decisions", "replay.seconds", "replay.without_storage"):
        assert f"{store}.{name}" in names
    replayed = document["measurements"][f"{store} replay: stored audit report"]
    ingested = document["results"][f"{store}.ingest.events"]["value"]
    assert replayed["events"] == ingested
    assert replayed["decisions"] > 0
    assert replayed["differing"] == 0
    assert f"{store}.ingest.peak_rss" in names
    for figures in document["results"].values():
        assert set(figures) == {"value", "unit", "baseline", "ratio"}
        assert figures["ratio"] == ratio(figures["value"], figures["baseline"])
    assert document["results"][f"{store}.http.errors"]["value"] == 0
    for name in ("seal", "verify", "command.p50", "command.p99"):
        assert document["results"][f"{store}.{name}"]["baseline"] is not None
    assert document["results"][f"{store}.command.errors"]["value"] == 0
    assert document["measurements"][f"{store} queries: read models"]["runs"] == 3  # medians
    if store == "postgres":  # two server processes (ADR 0131)
        assert document["results"]["postgres.http2.errors"]["value"] == 0
        assert document["results"]["postgres.http2.throughput"]["baseline"] is not None
        # the projector in a worker process of its own, as docker-compose.yml deploys it
        results = document["results"]
        assert results["postgres.http_worker.errors"]["value"] == 0
        assert results["postgres.command_worker.errors"]["value"] == 0
        assert results["postgres.command_worker.p50"]["baseline"] is not None
        worker = document["measurements"]["postgres http: 8 clients, projector worker"]
        assert worker["worker_peak_rss_mb"] > 0  # it ran, and was stopped
    assert f"`{store}.ingest`" in render(document)


def test_report_replaces_only_the_part_between_its_markers(tmp_path: Path):
    page = tmp_path / "benchmarks.md"
    page.write_text(f"# Benchmarks\n\nprose\n\n{BEGIN}\nold table\n{END}\n\nmore prose\n")
    write_into(page, "new table\n")
    assert page.read_text() == (
        f"# Benchmarks\n\nprose\n\n{BEGIN}\nnew table\n{END}\n\nmore prose\n"
    )
