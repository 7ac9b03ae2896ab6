"""How fast the seal is: sealing and full verification of N events, against reading them bare.

    python -m bench.seal_bench --events 100000 [--database-url sqlite:///var/bench/seal.db]

Writes N events (enterprises registered, then renamed twice, saved 100 aggregates per
transaction), then times, each in a fresh pass over the same store:
- reading the notification log bare (pages of 1,000, no decoding): the baseline;
- `Seal.catch_up()` from nothing (leaves, nodes and tracking, one transaction per page);
- `verify_ledger` against the signed head (recompute every leaf and the root from the events,
  and compare with the stored seal's leaves);
- 1,000 inclusion proofs and 1,000 consistency proofs served from the stored nodes.
Prints one JSON object; rates in events per second, ratios as multiples of the bare read.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from domain.enterprise import Enterprise
from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from domain.values import Provenance, Region
from seal.sealing import Seal
from seal.signing import TreeHead, utc_timestamp
from seal.verification import verify_ledger

PAGE = 1000


def write_events(ledger: Ledger, count: int) -> None:
    region = Region.of("320000")
    provenance = Provenance(actor="province:320000", effective_on=date(2023, 1, 5))
    later = Provenance(actor="province:320000", effective_on=date(2023, 6, 1))
    batch: list[Enterprise] = []
    written = 0
    serial = 0
    while written < count:
        serial += 1
        enterprise = Enterprise.register(
            enterprise_id=Enterprise.create_id(),
            name=f"江苏第{serial}号绿色工厂有限公司",
            region=region,
            uscc=None,
            industry="钢铁",
            provenance=provenance,
        )
        for suffix in ("新材料", "特钢")[: min(2, count - written - 1)]:
            enterprise.rename(name=f"江苏第{serial}号{suffix}有限公司", provenance=later)
        written += len(enterprise.pending_events)
        batch.append(enterprise)
        if len(batch) == 100:
            ledger.save(*batch)
            batch = []
    if batch:
        ledger.save(*batch)


def read_bare(ledger: Ledger) -> int:
    start, count = 0, 0
    while page := ledger.recorder.select_notifications(
        start=start, limit=PAGE, inclusive_of_start=False
    ):
        count += len(page)
        start = page[-1].id
    return count


def database_bytes(url: str) -> int | None:
    """The SQLite file's size once its write-ahead log is folded in (None for other stores)."""
    storage = parse_database_url(url)
    if storage.kind != "sqlite":
        return None
    with sqlite3.connect(str(storage.sqlite_path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        size = connection.execute("PRAGMA page_size").fetchone()[0]
    return int(pages * size)


def timed(work: Any) -> tuple[float, Any]:
    began = time.perf_counter()
    result = work()
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--page-size", type=int, default=PAGE)
    arguments = parser.parse_args()
    scratch = None
    url = arguments.database_url
    if url is None:
        scratch = Path(tempfile.mkdtemp(prefix="seal-bench-"))
        url = f"sqlite:///{scratch / 'ledger.db'}"
    ledger = Ledger.open(url)
    try:
        t_write, _ = timed(lambda: write_events(ledger, arguments.events))
        events = read_bare(ledger)  # warm the page cache before any timing
        t_read, _ = timed(lambda: read_bare(ledger))
        before = database_bytes(url)
        seal = Seal.open(ledger, url, page_size=arguments.page_size)
        t_seal, state = timed(seal.catch_up)
        after = database_bytes(url)
        size, root = seal.root()
        head = TreeHead(tree_size=size, root_hash=root, timestamp=utc_timestamp())
        t_verify, report = timed(lambda: verify_ledger(ledger, head, seal=seal))
        t_recompute, bare_report = timed(lambda: verify_ledger(ledger, head, seal=None))
        rng = random.Random(1)
        positions = [n.id for n in ledger.recorder.select_notifications(start=None, limit=size)]
        sample = rng.sample(positions, min(1000, len(positions)))
        t_inclusion, _ = timed(lambda: [seal.inclusion_proof(p) for p in sample])
        pairs = [tuple(sorted(rng.sample(range(1, size + 1), 2))) for _ in range(1000)]
        t_consistency, _ = timed(lambda: [seal.consistency_proof(a, b) for a, b in pairs])
        if not (report.intact and bare_report.intact and state.tree_size == events):
            raise SystemExit("the benchmark store did not verify")
        figures = {
            "backend": parse_database_url(url).kind,
            "events": events,
            "write_events_per_s": round(events / t_write),
            "read_bare_s": round(t_read, 3),
            "read_bare_events_per_s": round(events / t_read),
            "seal_s": round(t_seal, 3),
            "seal_events_per_s": round(events / t_seal),
            "seal_vs_read": round(t_seal / t_read, 2),
            "verify_s": round(t_verify, 3),
            "verify_events_per_s": round(events / t_verify),
            "verify_vs_read": round(t_verify / t_read, 2),
            "verify_without_seal_s": round(t_recompute, 3),
            "verify_without_seal_vs_read": round(t_recompute / t_read, 2),
            "seal_bytes_per_event": (
                None if before is None or after is None else round((after - before) / events)
            ),
            "inclusion_proof_ms": round(1000 * t_inclusion / len(sample), 3),
            "consistency_proof_ms": round(1000 * t_consistency / len(pairs), 3),
        }
        print(json.dumps(figures, indent=2))
        seal.engine.dispose()
    finally:
        ledger.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
