"""The benchmark suite: the ledger against its baselines, in one run, on SQLite and PostgreSQL.

    python -m bench [--quick] [--scale N] [--only NAME ...] [--postgres-url URL]
                    [--no-postgres] [--out var/bench/results.json]

`--quick` writes var/bench/results-quick.json unless told otherwise, so that it never overwrites
the full run's results.

Each benchmark measures the ledger and its baseline one after the other in the same run, on the
same machine and store, so a noisy machine slows both (ADR 0060); the ratio is value / baseline.
Each measurement runs in a child process of its own (bench/measure.py), and its peak resident
memory is the child's `ru_maxrss` as `os.wait4` reports it.

PostgreSQL: scratch databases `greenledger_bench_<random>_*` are created on the server of
`--postgres-url` (an admin URL) and dropped afterwards; when the server does not answer, the
PostgreSQL half is skipped and the results say why.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bench.generator import DEFAULT_SCALE, DEFAULT_SEED

BENCHMARKS = ("ingest", "import", "rebuild", "replay", "seal", "queries", "command", "http")
STORES = ("sqlite", "postgres")
QUICK_SCALE = 400
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_OUT = Path("var/bench/results.json")
#: A quick run writes beside the full run's results, not over them.
QUICK_OUT = Path("var/bench/results-quick.json")
ROOT = Path(__file__).resolve().parents[1]

Result = dict[str, Any]


def ratio(value: float | None, baseline: float | None) -> float | None:
    """value / baseline, or None when either is missing or the baseline is zero."""
    if value is None or baseline is None or baseline == 0:
        return None
    return value / baseline


def result(value: float | None, unit: str, baseline: float | None) -> Result:
    return {"value": value, "unit": unit, "baseline": baseline, "ratio": ratio(value, baseline)}


@dataclass(frozen=True)
class Plan:
    """What to run: the benchmarks, at what scale, how many samples."""

    scale: int
    seed: int
    benchmarks: tuple[str, ...]
    query_rounds: int
    http_requests: int
    clients: int = 8
    #: Runs of each measurement that can run again on the same store; the figures are medians.
    repeats: int = 1
    #: Commands of the single-client stage.
    commands: int = 100

    @classmethod
    def of(cls, *, quick: bool, scale: int | None, seed: int, only: Sequence[str]) -> Plan:
        return cls(
            scale=scale or (QUICK_SCALE if quick else DEFAULT_SCALE),
            seed=seed,
            benchmarks=tuple(name for name in BENCHMARKS if not only or name in only),
            query_rounds=40 if quick else 200,
            http_requests=200 if quick else 2000,
            repeats=3 if quick else 1,
            commands=100 if quick else 500,
        )


@dataclass
class Measured:
    figures: dict[str, Any]
    peak_rss_mb: float


@dataclass
class Runner:
    """Runs measurements as child processes, a progress bar each."""

    progress: Progress
    scratch: Path
    measured: dict[str, Measured] = field(default_factory=dict)

    def run(self, label: str, measurement: str, repeats: int = 1, **task: Any) -> Measured:
        """The measurement in a child process, `repeats` times: the median of each figure."""
        runs = [
            self.run_once(
                f"{label} ({n + 1}/{repeats})" if repeats > 1 else label,
                measurement,
                repeat=n,
                **task,
            )
            for n in range(repeats)
        ]
        measured = Measured(
            median_figures([r.figures for r in runs]),
            statistics.median(r.peak_rss_mb for r in runs),
        )
        if repeats > 1:
            measured.figures["runs"] = repeats
        self.measured[label] = measured
        return measured

    def run_once(self, label: str, measurement: str, **task: Any) -> Measured:
        out = self.scratch / f"{label.replace(' ', '_').replace('/', '_')}.json"
        task = {**task, "measurement": measurement, "out": str(out)}
        bar = self.progress.add_task(label, total=None)
        child = subprocess.Popen(
            [sys.executable, "-m", "bench.measure", json.dumps(task)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        for line in child.stdout:
            words = line.split()
            if len(words) == 3 and words[0] == "progress":
                self.progress.update(bar, completed=int(words[1]), total=int(words[2]))
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stdout.close()
        self.progress.update(bar, completed=1, total=1)
        if child.returncode != 0:
            raise RuntimeError(f"{label}: the measurement failed (exit {child.returncode})")
        return Measured(json.loads(out.read_text()), usage.ru_maxrss / 1024)


def _rate(measured: Measured) -> float:
    return float(measured.figures["requests"] / measured.figures["seconds"])


def median_figures(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Each number the median of its runs (nested figures alike); anything else the first's."""
    merged: dict[str, Any] = {}
    for key, first in runs[0].items():
        values = [run.get(key) for run in runs]
        if isinstance(first, dict):
            merged[key] = median_figures([v for v in values if isinstance(v, dict)])
        elif isinstance(first, int | float) and not isinstance(first, bool):
            numbers = [v for v in values if isinstance(v, int | float)]
            merged[key] = statistics.median(numbers)
        else:
            merged[key] = first
    return merged


# -- stores ---------------------------------------------------------------------------------------


@contextmanager
def sqlite_stores(scratch: Path) -> Iterator[dict[str, str]]:
    directory = Path(tempfile.mkdtemp(prefix="sqlite-", dir=scratch))
    yield {
        role: f"sqlite:///{directory / f'{role}.db'}"
        for role in ("ledger", "bare", "import", "import_bare")
    }


@contextmanager
def postgres_stores(admin_url: str) -> Iterator[dict[str, str]]:
    prefix = f"greenledger_bench_{secrets.token_hex(4)}"
    names = {role: f"{prefix}_{role}" for role in ("ledger", "bare", "import", "import_bare")}
    parts = urlsplit(admin_url)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        try:
            for name in names.values():
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            yield {
                role: urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))
                for role, name in names.items()
            }
        finally:
            for name in names.values():
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def postgres_version(admin_url: str) -> str | None:
    """The server's version, or None when it does not answer."""
    try:
        with psycopg.connect(admin_url, connect_timeout=3) as connection:
            row = connection.execute("SHOW server_version").fetchone()
    except psycopg.Error:
        return None
    return str(row[0]) if row else None


# -- the run --------------------------------------------------------------------------------------


def run_store(runner: Runner, store: str, urls: dict[str, str], plan: Plan) -> dict[str, Result]:
    """Every benchmark of the plan on one store; the results named `<store>.<benchmark>...`."""
    run = _StoreRun(runner, store, urls, plan)
    wanted = run.wanted
    if wanted & {"ingest", "rebuild", "replay", "seal", "queries", "command", "http"}:
        run.ingest()
    if "import" in wanted:
        run.import_lists()
    if wanted & {"rebuild", "queries", "command", "http"}:
        run.rebuild()
    if "seal" in wanted:  # before the audit report and a server's publisher seal the store
        run.seal()
    if "replay" in wanted:
        run.results.update(_replay_results(runner, store, urls["ledger"], plan.repeats))
    if "queries" in wanted:
        run.queries()
    if "command" in wanted:
        run.command()
    if "http" in wanted:
        run.http()
    return run.results


class _StoreRun:
    """The benchmarks of one store, adding to `results`."""

    def __init__(self, runner: Runner, store: str, urls: dict[str, str], plan: Plan) -> None:
        self.runner, self.store, self.urls, self.plan = runner, store, urls, plan
        self.results: dict[str, Result] = {}
        self.wanted = set(plan.benchmarks)
        self.common = {"scale": plan.scale, "seed": plan.seed}

    def peak(self, name: str, ledger: Measured, baseline: Measured) -> None:
        self.results[f"{self.store}.{name}.peak_rss"] = result(
            round(ledger.peak_rss_mb, 1), "MB", round(baseline.peak_rss_mb, 1)
        )

    def ingest(self) -> None:
        """The ledger's commands against the bare library's saves of the same events."""
        save_ends = str(self.runner.scratch / f"{self.store}-ingest-saves.json")
        ingest = self.runner.run(
            f"{self.store} ingest: ledger commands",
            "ingest",
            url=self.urls["ledger"],
            save_ends=save_ends,
            expected_commands=_expected_commands(self.plan.scale),
            **self.common,
        )
        if "ingest" in self.wanted:
            bare = self.runner.run(
                f"{self.store} ingest: bare library",
                "ingest_bare",
                url=self.urls["bare"],
                source_url=self.urls["ledger"],
                save_ends=save_ends,
            )
            self.results[f"{self.store}.ingest"] = result(
                ingest.figures["rate"], "events/s", bare.figures["rate"]
            )
            self.results[f"{self.store}.ingest.events"] = result(
                ingest.figures["events"], "events", None
            )
            self.peak("ingest", ingest, bare)

    def import_lists(self) -> None:
        """The import of the published lists, with its projections, against the bare save."""
        save_ends = str(self.runner.scratch / f"{self.store}-import-saves.json")
        imported = self.runner.run(
            f"{self.store} import: ledger", "import", url=self.urls["import"], save_ends=save_ends
        )
        bare = self.runner.run(
            f"{self.store} import: bare library",
            "ingest_bare",
            url=self.urls["import_bare"],
            source_url=self.urls["import"],
            save_ends=save_ends,
        )
        # The import with its projections (the issue's ≤ 10 s) against the bare save alone.
        self.results[f"{self.store}.import"] = result(
            imported.figures["with_projections_seconds"], "s", bare.figures["seconds"]
        )
        self.results[f"{self.store}.import.projections"] = result(
            imported.figures["projections_seconds"], "s", None
        )
        self.results[f"{self.store}.import.rate"] = result(
            imported.figures["rate"], "events/s", bare.figures["rate"]
        )
        self.peak("import", imported, bare)

    def rebuild(self) -> None:
        """The projector's rebuild against reading and decoding the log bare."""
        repeats = self.plan.repeats if "rebuild" in self.wanted else 1
        rebuilt = self.runner.run(
            f"{self.store} rebuild: projector", "rebuild", repeats, url=self.urls["ledger"]
        )
        if "rebuild" in self.wanted:
            bare = self.runner.run(
                f"{self.store} rebuild: bare read + decode",
                "read_decode",
                repeats,
                url=self.urls["ledger"],
            )
            self.results[f"{self.store}.rebuild"] = result(
                rebuilt.figures["rate"], "events/s", bare.figures["rate"]
            )
            self.peak("rebuild", rebuilt, bare)

    def queries(self) -> None:
        """The read models' answers against the bare library's reads."""
        task = {
            "url": self.urls["ledger"],
            "rounds": self.plan.query_rounds,
            "seed": self.plan.seed,
        }
        repeats = self.plan.repeats
        answered = self.runner.run(f"{self.store} queries: read models", "queries", repeats, **task)
        bare = self.runner.run(
            f"{self.store} queries: bare library", "queries_bare", repeats, **task
        )
        f, b = answered.figures, bare.figures
        for quantile in ("p50", "p99"):
            key = f"{quantile}_ms"
            self.results[f"{self.store}.list.{quantile}"] = result(
                f["list"][key], "ms", b["list"][key]
            )
            for name in ("timeline", "explanation"):
                self.results[f"{self.store}.{name}.{quantile}"] = result(
                    f[name][key], "ms", b["events_of_one"][key]
                )
        for name, figures in f["list_by_filter"].items():
            self.results[f"{self.store}.list.{name}.p50"] = result(figures["p50_ms"], "ms", None)
        self.peak("queries", answered, bare)

    def compare(
        self,
        name: str,
        measured: Measured,
        baseline: Measured,
        *,
        errors_baseline: float | None = None,
        throughput: bool = False,
    ) -> None:
        """`<store>.<name>.p50` and `.p99` against the baseline's, `.errors`, and with `throughput`
        the requests per second against the baseline's."""
        for quantile in ("p50", "p99"):
            key = f"{quantile}_ms"
            self.results[f"{self.store}.{name}.{quantile}"] = result(
                measured.figures[key], "ms", baseline.figures[key]
            )
        self.results[f"{self.store}.{name}.errors"] = result(
            measured.figures["errors"], "requests", errors_baseline
        )
        if throughput:
            self.results[f"{self.store}.{name}.throughput"] = result(
                _rate(measured), "requests/s", _rate(baseline)
            )

    def http(self) -> None:
        """The HTTP API under concurrent clients against the same calls in-process."""
        task = {
            "url": self.urls["ledger"],
            "requests": self.plan.http_requests,
            "clients": self.plan.clients,
            "seed": self.plan.seed,
        }
        repeats = self.plan.repeats
        clients = self.plan.clients
        served = self.runner.run(f"{self.store} http: {clients} clients", "http", repeats, **task)
        direct = self.runner.run(f"{self.store} http: in-process", "in_process", repeats, **task)
        self.compare(
            "http", served, direct, errors_baseline=direct.figures["errors"], throughput=True
        )
        # The server's own process, against the process that made the same calls in-process.
        self.results[f"{self.store}.http.peak_rss"] = result(
            served.figures["server_peak_rss_mb"], "MB", round(direct.peak_rss_mb, 1)
        )
        if self.store == "postgres":  # several server processes need PostgreSQL (ADR 0131)
            self.http_two_processes(task, served)
            self.http_projector_worker(task, served)

    def http_projector_worker(self, task: dict[str, Any], one: Measured) -> None:
        """The same mix against one server whose projector runs in a worker process of its own
        (docker-compose.yml's deployment): against the server that runs it in the background."""
        label = f"{self.store} http: {self.plan.clients} clients, projector worker"
        worker = self.runner.run(label, "http", self.plan.repeats, **task, projector_worker=True)
        self.compare("http_worker", worker, one, throughput=True)

    def http_two_processes(self, task: dict[str, Any], one: Measured) -> None:
        """The same mix against `serve --workers 2`: against one process's figures."""
        label = f"{self.store} http: {self.plan.clients} clients, 2 processes"
        two = self.runner.run(label, "http", self.plan.repeats, **task, workers=2)
        self.compare("http2", two, one, throughput=True)
        reads = {k: v for k, v in two.figures["by_kind"].items() if k != "filing"}
        self.results[f"{self.store}.http2.reads.p50"] = result(
            statistics.median(v["p50_ms"] for v in reads.values()), "ms", None
        )

    def command(self) -> None:
        """One client, one command at a time: over HTTP against in-process (the ledger call)."""
        task = {"url": self.urls["ledger"], "commands": self.plan.commands}
        repeats = self.plan.repeats
        direct = self.runner.run(
            f"{self.store} command: in-process", "command_in_process", repeats, **task
        )
        served = self.runner.run(
            f"{self.store} command: over HTTP", "command_http", repeats, **task
        )
        self.compare("command", served, direct)
        if self.store == "postgres":  # the projector's worker process, as docker-compose runs it
            self.command_projector_worker(task, direct)

    def command_projector_worker(self, task: dict[str, Any], direct: Measured) -> None:
        """The commands over HTTP to a server whose projector runs in a worker process."""
        worker = self.runner.run(
            f"{self.store} command: over HTTP, projector worker",
            "command_http",
            self.plan.repeats,
            **task,
            projector_worker=True,
        )
        self.compare("command_worker", worker, direct)

    def seal(self) -> None:
        """The seal from nothing, then a full verification, against the bare notification read."""
        url = self.urls["ledger"]
        bare = self.runner.run(
            f"{self.store} seal: bare read", "read_bare", self.plan.repeats, url=url
        )
        sealed = self.runner.run(f"{self.store} seal: catch-up", "seal", url=url)
        checked = self.runner.run(f"{self.store} verify", "verify", self.plan.repeats, url=url)
        self.results[f"{self.store}.seal"] = result(
            sealed.figures["rate"], "events/s", bare.figures["rate"]
        )
        self.results[f"{self.store}.verify"] = result(
            checked.figures["rate"], "events/s", bare.figures["rate"]
        )
        self.peak("seal", sealed, bare)


def _replay_results(runner: Runner, store: str, url: str, repeats: int) -> dict[str, Result]:
    """A full stored audit report of the ingested history (issue 21) against the bare read."""
    report = runner.run(f"{store} replay: stored audit report", "audit_report", repeats, url=url)
    bare = runner.run(f"{store} replay: bare notification read", "read_bare", repeats, url=url)
    f = report.figures
    return {
        f"{store}.replay": result(f["rate"], "events/s", bare.figures["rate"]),
        f"{store}.replay.decisions": result(f["decisions_rate"], "decisions/s", None),
        f"{store}.replay.seconds": result(f["seconds"], "s", bare.figures["seconds"]),
        f"{store}.replay.without_storage": result(f["replay_rate"], "events/s", None),
        f"{store}.replay.peak_rss": result(
            round(report.peak_rss_mb, 1), "MB", round(bare.peak_rss_mb, 1)
        ),
    }


def _expected_commands(scale: int) -> int:
    """About how many commands the history issues (for the progress bar only)."""
    return int(scale * 13.3)


def machine(admin_url: str | None) -> dict[str, Any]:
    """The machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    memory_gb: float | None = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(admin_url) if admin_url else None,
    }


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"a small scale ({QUICK_SCALE})")
    parser.add_argument("--scale", type=int, help=f"listings (default {DEFAULT_SCALE:,})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=())
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES_URL, help="an admin URL")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--stores", nargs="+", choices=STORES, default=STORES, help="default: both")
    parser.add_argument("--out", type=Path, help=f"default {DEFAULT_OUT}; {QUICK_OUT} with --quick")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    arguments = _arguments(argv)
    if arguments.out is None:
        arguments.out = QUICK_OUT if arguments.quick else DEFAULT_OUT
    plan = Plan.of(
        quick=arguments.quick, scale=arguments.scale, seed=arguments.seed, only=arguments.only
    )
    console = Console(stderr=True)
    without_postgres = arguments.no_postgres or "postgres" not in arguments.stores
    admin_url = None if without_postgres else arguments.postgres_url
    about = machine(admin_url)
    skipped: dict[str, str] = {}
    stores = [store for store in arguments.stores if store == "sqlite"]
    if without_postgres:
        skipped["postgres"] = "not asked for (--no-postgres or --stores)"
    elif about["postgresql"] is None:
        skipped["postgres"] = (
            f"the PostgreSQL server at {_without_password(admin_url)} did not answer"
        )
    else:
        stores.append("postgres")
    for store, reason in skipped.items():
        console.print(f"[yellow]{store} skipped: {reason}[/yellow]")
    started = time.perf_counter()
    results: dict[str, Result] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with (
        tempfile.TemporaryDirectory(prefix="greenledger-bench-") as scratch,
        Progress(*columns, console=console) as progress,
    ):
        runner = Runner(progress, Path(scratch))
        for store in stores:
            with ExitStack() as stack:
                if store == "sqlite":
                    urls = stack.enter_context(sqlite_stores(Path(scratch)))
                else:
                    urls = stack.enter_context(postgres_stores(str(admin_url)))
                results.update(run_store(runner, store, urls, plan))
    document = {
        "machine": about,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": {"listings": plan.scale, "seed": plan.seed, "quick": arguments.quick},
        "results": results,
        "skipped": skipped,
        "measurements": {
            label: {**m.figures, "peak_rss_mb": round(m.peak_rss_mb, 1)}
            for label, m in runner.measured.items()
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print_summary(console, document, arguments.out)
    return document


def _without_password(url: str | None) -> str:
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def print_summary(console: Console, document: dict[str, Any], out: Path) -> None:
    table = Table(title=f"greenledger bench, {document['scale']['listings']:,} listings")
    for column in ("name", "value", "unit", "baseline", "ratio"):
        table.add_column(column, justify="left" if column in ("name", "unit") else "right")
    for name, figures in document["results"].items():
        table.add_row(
            name,
            _number(figures["value"]),
            figures["unit"],
            _number(figures["baseline"]),
            _number(figures["ratio"], 2),
        )
    console.print(table)
    console.print(f"{document['seconds']} s; written to {out}")


def _number(value: float | None, places: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and abs(value) < 10:
        return f"{value:.{max(places, 2)}f}"
    return f"{value:,.{places}f}" if isinstance(value, float) else f"{value:,}"


if __name__ == "__main__":
    main()
