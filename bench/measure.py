"""One measurement, run in a process of its own: `python -m bench.measure '<json task>'`.

The suite (`python -m bench`) starts each measurement — the ledger's and its baseline's alike — as
a child process, so that the peak resident memory the kernel reports for that child belongs to
that measurement alone. The child prints `progress DONE TOTAL` lines while it works and writes
its figures as JSON to the task's `out` file.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder

from bench.generator import History
from domain.ledger import Ledger
from domain.persistence.storage import library_environment, parse_database_url
from domain.persistence.transcodings import register_ledger_transcodings

Figures = dict[str, Any]

#: "As of" dates spread over the history, and the filters the list is read with.
AS_OF_DATES = (date(2017, 6, 30), date(2020, 12, 31), date(2023, 6, 30), date(2026, 6, 30))
FILTERS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("all", {}),
    ("region", {"region": "320000"}),
    ("category", {"category": "green_park"}),
    ("region_category", {"region": "440000", "category": "green_factory"}),
    ("removed", {"status": ["removed"]}),
    ("name", {"q": "第1"}),
)


def progress(done: int, total: int) -> None:
    print(f"progress {done} {total}", flush=True)


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.5 → p50, 0.99 → p99)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def latencies(samples: Sequence[float]) -> Figures:
    """p50 and p99 in milliseconds."""
    return {
        "p50_ms": 1000 * percentile(samples, 0.5),
        "p99_ms": 1000 * percentile(samples, 0.99),
        "count": len(samples),
    }


def count_events(ledger: Ledger, stop: int | None = None) -> int:
    """How many events the store holds (up to `stop`), read a page at a time.

    Notification ids can have gaps, so the last id is not the count; and the whole log at once
    would make the counting the measurement's peak memory.
    """
    count, start = 0, 0
    while page := ledger.recorder.select_notifications(
        start=start, stop=stop, limit=10_000, inclusive_of_start=False
    ):
        count += len(page)
        start = page[-1].id
    return count


# -- ingest -----------------------------------------------------------------------------------


class RecordingLedger(Ledger):
    """The ledger, remembering where each of its saves ended (the baseline saves the same)."""

    def __init__(self, env: Any = None) -> None:
        super().__init__(env)
        self.save_ends: list[int] = []

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        recordings = super().save(*objs, **kwargs)
        if recordings:
            self.save_ends.append(recordings[-1].notification.id)
        return recordings


def ingest(task: Figures) -> Figures:
    """The generated history through the ledger's commands, 500 commands a save."""
    ledger = RecordingLedger(env=library_environment(parse_database_url(task["url"])))
    history = History(scale=task["scale"], seed=task["seed"])
    commands = 0
    started = time.perf_counter()
    with ledger.bulk(commands_per_save=500):
        for command in history:
            command.issue(ledger)
            commands += 1
            if commands % 5000 == 0:
                progress(commands, task["expected_commands"])
    seconds = time.perf_counter() - started
    events = count_events(ledger)
    Path(task["save_ends"]).write_text(json.dumps(ledger.save_ends))
    ledger.close()
    starts = [0, *ledger.save_ends]
    sizes = [end - start for start, end in zip(starts, ledger.save_ends, strict=False)]
    return {
        "events": events,
        "commands": commands,
        "saves": len(sizes),
        "largest_save": max(sizes),
        "seconds": seconds,
        "rate": events / seconds,
    }


class BareApplication(Application[UUID]):
    """The bare library: an application with no commands, saving events it is handed.

    It knows how to encode the ledger's value types (dates, decimals, references), as any
    application storing these events must.
    """

    name = "BareLedger"
    log_section_size = 1000

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)


def resave_bare(task: Figures) -> Figures:
    """The bare library saving the ledger's own events, in saves of the same sizes.

    Each save's events are read from the ledger's store and decoded first (untimed); only the
    library's `save()` of them is timed: encoding, and the insert in one transaction.
    """
    source = Ledger.open(task["source_url"])
    bare = BareApplication(env=library_environment(parse_database_url(task["url"])))
    save_ends: list[int] = json.loads(Path(task["save_ends"]).read_text())
    timed = 0.0
    events = 0
    start = 0
    for number, end in enumerate(save_ends, start=1):
        page = source.recorder.select_notifications(
            start=start, stop=end, limit=10**9, inclusive_of_start=False
        )
        decoded = [source.mapper.to_domain_event(n) for n in page]
        began = time.perf_counter()
        bare.save(*decoded)
        timed += time.perf_counter() - began
        events += len(decoded)
        start = end
        if number % 20 == 0:
            progress(number, len(save_ends))
    source.close()
    bare.close()
    return {"events": events, "saves": len(save_ends), "seconds": timed, "rate": events / timed}


# -- import of the published lists -------------------------------------------------------------


def import_lists(task: Figures) -> Figures:
    """Read the four shipped files and import them into a new ledger."""
    from domain.loading.importing import import_published_lists
    from domain.loading.published_lists import read_published_lists

    shipped = Path(__file__).resolve().parents[1] / "data" / "published-lists"
    ledger = RecordingLedger(env=library_environment(parse_database_url(task["url"])))
    started = time.perf_counter()
    report = import_published_lists(ledger, read_published_lists(shipped))
    seconds = time.perf_counter() - started
    # The issue's figure is the import with its projections: the read models caught up too.
    from readside.engine.database import Views
    from readside.engine.projector import Projector

    views = Views.open(task["url"])
    projecting = time.perf_counter()
    Projector(ledger, views).catch_up()
    projected = time.perf_counter() - projecting
    views.close()
    Path(task["save_ends"]).write_text(json.dumps(ledger.save_ends))
    ledger.close()
    return {
        "events": report.events_written,
        "imported": report.imported,
        "seconds": seconds,
        "projections_seconds": projected,
        "with_projections_seconds": seconds + projected,
        "rate": report.events_written / seconds,
    }


# -- the read side ------------------------------------------------------------------------------


def rebuild(task: Figures) -> Figures:
    """Drop every read model and replay every event into it."""
    from readside.engine.database import Views
    from readside.engine.projector import Projector

    ledger = Ledger.open(task["url"])
    views = Views.open(task["url"])
    total = ledger.position
    started = time.perf_counter()
    position = Projector(ledger, views).rebuild(progress=lambda at: progress(at, total))
    seconds = time.perf_counter() - started
    events = count_events(ledger, position)
    views.close()
    ledger.close()
    return {"events": events, "seconds": seconds, "rate": events / seconds}


def read_and_decode(task: Figures) -> Figures:
    """The bare library reading the notification log, a section at a time, decoding each."""
    ledger = Ledger.open(task["url"])
    total = ledger.position
    log = ledger.notification_log
    events = 0
    start = 0
    started = time.perf_counter()
    while True:
        section = log.select(start=start, limit=ledger.log_section_size, inclusive_of_start=False)
        if not section:
            break
        events += len([ledger.mapper.to_domain_event(n) for n in section])
        start = section[-1].id
        if events % 50_000 < ledger.log_section_size:
            progress(start, total)
    seconds = time.perf_counter() - started
    ledger.close()
    return {"events": events, "seconds": seconds, "rate": events / seconds}


# -- the auditor's report ---------------------------------------------------------------------


def audit_report(task: Figures) -> Figures:
    """A full stored audit report (ADR 0015): every decision re-derived and written with its
    findings, then the tree head; and, for the breakdown, the bare replay without storage."""
    from audit.reports import ReportParameters
    from audit.running import run_report
    from audit.store import ReportStore
    from domain.replay import replay
    from seal.sealing import Seal

    ledger = Ledger.open(task["url"])
    seal = Seal.open(ledger, task["url"])
    started = time.perf_counter()
    seal.catch_up()  # the projector keeps the seal current; timed apart
    sealing = time.perf_counter() - started
    started = time.perf_counter()
    replayed = replay(ledger)
    replay_seconds = time.perf_counter() - started
    store = ReportStore.open(task["url"], ledger.name)
    claimed, _ = store.claim(ReportParameters(), "bench")
    started = time.perf_counter()
    report = run_report(ledger, store, seal, claimed, progress=progress)
    seconds = time.perf_counter() - started
    store.close()
    seal.engine.dispose()
    ledger.close()
    decisions = report.counts.decisions
    return {
        "events": report.events_read,
        "decisions": decisions,
        "differing": report.counts.differing,
        "seconds": seconds,
        "rate": report.events_read / seconds,
        "decisions_rate": decisions / seconds,
        "replay_seconds": replay_seconds,
        "replay_rate": replayed.events_read / replay_seconds,
        "seal_seconds": sealing,
    }


def read_bare(task: Figures) -> Figures:
    """The bare library reading the notification log, 1,000 at a time, decoding nothing."""
    ledger = Ledger.open(task["url"])
    events, start = 0, 0
    started = time.perf_counter()
    while page := ledger.recorder.select_notifications(
        start=start, limit=1000, inclusive_of_start=False
    ):  # the pages replay reads
        events += len(page)
        start = page[-1].id
    seconds = time.perf_counter() - started
    ledger.close()
    return {"events": events, "seconds": seconds, "rate": events / seconds}


def _sample_listings(ledger: Ledger, count: int, seed: int) -> list[UUID]:
    """Listing ids of the store, a sample (read from the log, a page at a time: no read model)."""
    ids: list[UUID] = []
    start = 0
    while page := ledger.recorder.select_notifications(
        start=start, limit=10_000, topics=(_nominated_topic(),), inclusive_of_start=False
    ):
        ids.extend(UUID(str(n.originator_id)) for n in page)
        start = page[-1].id
    return random.Random(seed).sample(ids, min(count, len(ids)))


def _nominated_topic() -> str:
    from domain.listing import Listing

    return f"{Listing.Nominated.__module__}:{Listing.Nominated.__qualname__}"


def queries(task: Figures) -> Figures:
    """The list at several `as_of` dates and filters; timelines and explanations."""
    from readside.decisions.explanations import get_explanation
    from readside.engine.database import Views
    from readside.listings.queries import ListQuery, list_listings
    from readside.timeline.queries import list_listing_history

    ledger = Ledger.open(task["url"])
    views = Views.open(task["url"])
    rounds = task["rounds"]
    rng = random.Random(task["seed"])
    list_times: dict[str, list[float]] = {name: [] for name, _ in FILTERS}
    all_times: list[float] = []
    for done in range(rounds):
        for name, arguments in FILTERS:
            as_of = AS_OF_DATES[done % len(AS_OF_DATES)]
            page = 1 + (rng.randrange(3) if name == "all" else 0)
            began = time.perf_counter()
            list_listings(views, ListQuery.of(as_of=as_of, page=page, page_size=50, **arguments))
            elapsed = time.perf_counter() - began
            list_times[name].append(elapsed)
            all_times.append(elapsed)
        progress(done + 1, 2 * rounds)
    listings = _sample_listings(ledger, rounds, task["seed"])
    timeline: list[float] = []
    explanation: list[float] = []
    for done, listing_id in enumerate(listings):
        began = time.perf_counter()
        list_listing_history(views, listing_id)
        timeline.append(time.perf_counter() - began)
        began = time.perf_counter()
        get_explanation(views, listing_id)
        explanation.append(time.perf_counter() - began)
        progress(rounds + done + 1, 2 * rounds)
    views.close()
    ledger.close()
    return {
        "list": latencies(all_times),
        "list_by_filter": {name: latencies(times) for name, times in list_times.items()},
        "timeline": latencies(timeline),
        "explanation": latencies(explanation),
    }


def queries_bare(task: Figures) -> Figures:
    """What the bare library can do instead: load aggregates from their events.

    The list: the 50 listings of a page, each `repository.get` by id (even knowing the ids, it
    cannot filter by date or region without loading them all). A timeline or an explanation: the
    listing's own events, read and decoded (`select_events` + `to_domain_event`).
    """
    ledger = Ledger.open(task["url"])
    ledger.repository.cache = None  # no warm cache: as a fresh request would find it
    rounds = task["rounds"]
    listings = _sample_listings(ledger, max(rounds, 50), task["seed"])
    rng = random.Random(task["seed"])
    pages: list[float] = []
    for done in range(rounds):
        page = rng.sample(listings, min(50, len(listings)))
        began = time.perf_counter()
        for listing_id in page:
            ledger.repository.get(listing_id)
        pages.append(time.perf_counter() - began)
        progress(done + 1, 2 * rounds)
    reads: list[float] = []
    for done, listing_id in enumerate(listings[:rounds]):
        began = time.perf_counter()
        events = ledger.recorder.select_events(listing_id)
        [ledger.mapper.to_domain_event(e) for e in events]
        reads.append(time.perf_counter() - began)
        progress(rounds + done + 1, 2 * rounds)
    ledger.close()
    return {"list": latencies(pages), "events_of_one": latencies(reads)}


# -- HTTP ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """One call of the mix: a command or a query, over HTTP or in-process."""

    kind: str
    listing_id: UUID
    region: str
    as_of: date


def _mix(url: str, count: int, seed: int, part: int, repeat: int = 0) -> list[Operation]:
    """A fifth commands (the 2026 filing of a listing on the list), the rest queries.

    Each filing names a listing of its own (a listing files once a year); `part` 0 and 1 (and
    each `repeat` of a run, up to `MIX_REPEATS`) draw them from disjoint slices of the listings,
    so that runs on one store never collide.
    """
    from readside.engine.database import Views
    from readside.listings.queries import get_listing

    ledger = Ledger.open(url)
    slices = 2 * MIX_REPEATS
    candidates = _sample_listings(ledger, 10**9, seed)[part + 2 * repeat :: slices]
    ledger.close()
    views = Views.open(url)
    on_list: list[tuple[UUID, str]] = []
    for listing_id in candidates:
        state = get_listing(views, listing_id)
        if state.status in ("listed", "flagged"):
            on_list.append((listing_id, state.region))
        if len(on_list) >= count:
            break
    views.close()
    rng = random.Random(seed)
    kinds = ("list", "listing", "history", "explanation")
    operations = []
    for number in range(count):
        listing_id, region = on_list[number % len(on_list)]
        kind = "filing" if number % 5 == 0 and number < len(on_list) else rng.choice(kinds)
        operations.append(Operation(kind, listing_id, region, rng.choice(AS_OF_DATES)))
    return operations


#: The runs of one mix a store can take (a quick run's median of 3).
MIX_REPEATS = 3

FILING_BODY = {
    "report_year": 2026,
    "indicators": {"recycling_rate": {"value": 81.5, "unit": "%"}},
    "effective_on": "2026-11-24",
}


def _run_concurrently(
    operations: Sequence[Operation],
    clients: int,
    call: Callable[[int, Operation], bool],
    by_kind_figures: Figures,
) -> tuple[list[float], int, float]:
    """The operations shared out among `clients` threads: latencies, errors, wall time (and
    the latencies of each kind of operation into `by_kind_figures`)."""
    times: list[float] = []
    by_kind: dict[str, list[float]] = {}
    errors = 0
    lock = threading.Lock()
    cursor = iter(operations)

    def client(number: int) -> None:
        nonlocal errors
        while True:
            with lock:
                operation = next(cursor, None)
            if operation is None:
                return
            began = time.perf_counter()
            ok = call(number, operation)
            elapsed = time.perf_counter() - began
            with lock:
                times.append(elapsed)
                by_kind.setdefault(operation.kind, []).append(elapsed)
                errors += not ok
                if len(times) % 50 == 0:
                    progress(len(times), len(operations))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    by_kind_figures.update({kind: latencies(samples) for kind, samples in by_kind.items()})
    return times, errors, wall


def http(task: Figures) -> Figures:
    """8 clients on loopback against the served app, mixed commands and queries."""
    import httpx

    from api.http.auth import Role, TokenStore
    from api.http.database import api_engine, create_api_tables
    from bench.serving import serving

    url = task["url"]
    operations = _mix(url, task["requests"], task["seed"], part=0, repeat=task.get("repeat", 0))
    engine = api_engine(parse_database_url(url), pool_size=1)
    create_api_tables(engine)
    tokens = TokenStore(engine)
    reader = tokens.create(Role.MINISTRY, name="bench").token
    provinces = {
        o.region: tokens.create(Role.PROVINCE, region=o.region, name="bench").token
        for o in operations
        if o.kind == "filing"
    }
    kinds: Counter[str] = Counter()
    kinds_lock = threading.Lock()
    with serving(
        url,
        workers=task.get("workers", 1),
        projector_worker=task.get("projector_worker", False),
    ) as server:
        sessions = [
            httpx.Client(base_url=server.base_url, timeout=60) for _ in range(task["clients"])
        ]

        def call(number: int, operation: Operation) -> bool:
            client = sessions[number]
            if operation.kind == "filing":
                response = client.post(
                    f"/v1/listings/{operation.listing_id}/filings",
                    json=FILING_BODY,
                    headers={"Authorization": f"Bearer {provinces[operation.region]}"},
                )
            else:
                response = client.get(
                    _query_path(operation),
                    params=_query_params(operation),
                    headers={"Authorization": f"Bearer {reader}"},
                )
            if not response.is_success:
                with kinds_lock:
                    kinds[f"{operation.kind}: {response.status_code}"] += 1
            return response.is_success

        by_kind: Figures = {}
        times, errors, wall = _run_concurrently(operations, task["clients"], call, by_kind)
        for session in sessions:
            session.close()
    engine.dispose()
    return {
        **latencies(times),
        "server_peak_rss_mb": server.peak_rss_mb,
        "worker_peak_rss_mb": server.worker_peak_rss_mb,
        "errors": errors,
        "error_kinds": dict(kinds),
        "by_kind": by_kind,
        "requests": len(times),
        "seconds": wall,
    }


def _query_path(operation: Operation) -> str:
    if operation.kind == "list":
        return "/v1/list"
    suffix = {"listing": "", "history": "/history", "explanation": "/explanation"}[operation.kind]
    return f"/v1/listings/{operation.listing_id}{suffix}"


def _query_params(operation: Operation) -> dict[str, str]:
    if operation.kind == "list":
        return {"as_of": operation.as_of.isoformat(), "region": operation.region}
    return {}


def in_process(task: Figures) -> Figures:
    """The same mix and the same 8 threads, calling the ledger and the queries directly; as the
    API, a command answers once stored (ADR 0130), and the read models follow in a catch-up
    after the mix."""
    from domain.values import Indicator, Provenance
    from readside.decisions.explanations import get_explanation
    from readside.engine.database import Views
    from readside.engine.projector import Projector
    from readside.listings.queries import ListQuery, get_listing, list_listings
    from readside.timeline.queries import list_listing_history

    url = task["url"]
    operations = _mix(url, task["requests"], task["seed"], part=1, repeat=task.get("repeat", 0))
    ledger = Ledger.open(url)
    views = Views.open(url)
    projector = Projector(ledger, views)
    projector.catch_up()
    command_lock = threading.Lock()  # one command at a time per process (ADR 0053)
    kinds: Counter[str] = Counter()
    kinds_lock = threading.Lock()
    indicators = {"recycling_rate": Indicator(Decimal("81.5"), "%")}

    def call(_number: int, operation: Operation) -> bool:
        try:
            if operation.kind == "filing":
                with command_lock:
                    ledger.submit_filing(
                        operation.listing_id,
                        report_year=2026,
                        indicators=indicators,
                        provenance=Provenance(f"province:{operation.region}", date(2026, 11, 24)),
                    )
            elif operation.kind == "list":
                list_listings(views, ListQuery.of(as_of=operation.as_of, region=operation.region))
            elif operation.kind == "listing":
                get_listing(views, operation.listing_id)
            elif operation.kind == "history":
                list_listing_history(views, operation.listing_id)
            else:
                get_explanation(views, operation.listing_id)
        except Exception as error:  # counted, as the HTTP side counts its errors
            with kinds_lock:
                kinds[f"{operation.kind}: {type(error).__name__}"] += 1
            return False
        return True

    by_kind: Figures = {}
    times, errors, wall = _run_concurrently(operations, task["clients"], call, by_kind)
    projector.catch_up()
    views.close()
    ledger.close()
    return {
        **latencies(times),
        "errors": errors,
        "error_kinds": dict(kinds),
        "by_kind": by_kind,
        "requests": len(times),
        "seconds": wall,
    }


MEASUREMENTS: dict[str, Callable[[Figures], Figures]] = {
    "ingest": ingest,
    "ingest_bare": resave_bare,
    "import": import_lists,
    "import_bare": resave_bare,
    "rebuild": rebuild,
    "read_decode": read_and_decode,
    "audit_report": audit_report,
    "read_bare": read_bare,
    "queries": queries,
    "queries_bare": queries_bare,
    "http": http,
    "in_process": in_process,
}


def main(argv: list[str]) -> None:
    from bench import stages

    MEASUREMENTS.update(
        {
            "command_in_process": stages.command_in_process,
            "command_http": stages.command_http,
            "seal": stages.seal,
            "verify": stages.verify,
        }
    )
    task = json.loads(argv[0])
    figures = MEASUREMENTS[task["measurement"]](task)
    Path(task["out"]).write_text(json.dumps(figures))


if __name__ == "__main__":
    main(sys.argv[1:])
