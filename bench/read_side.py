"""Read side speed: rebuild rate against the bare library's read + decode of the same log, and
the list query's latency.

    python -m bench.read_side --database-url sqlite:///var/bench/read_side.db --listings 2000
    python -m bench.read_side --database-url postgresql://postgres@127.0.0.1:5432/bench

It fills an empty ledger with listings through the `Ledger` commands (register, nominate, publish,
yearly filings and reviews; a non-compliant review leads to an on-site assessment, a proposal and a
removal: about ten events a listing),
then measures, on the same notification log:

Each is run `--runs` times and the best run counts (the machine may be shared).

- read + decode: the log read in pages of 1,000 with `recorder.select_notifications` and every
  notification decoded with `mapper.to_domain_event` (what the bare library must do anyway);
- rebuild: `Projector.rebuild()` (drop the read models, replay every event into them);
- the list: a page of 50 of the list filtered by region, at random `as_of` dates, p50 and p95.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

from domain.ledger import Ledger
from domain.values import Indicator, Provenance, Reference, Region
from readside.engine.database import Views
from readside.engine.projector import Projector
from readside.queries import list_listings

ANNOUNCEMENT = Reference(doc_no="工信厅节函〔2023〕64号", title="2022年度绿色制造名单")
CATEGORIES = ("green_factory", "green_supply_chain")  # parks: at most 3 per region a year


def province(region: str, day: date) -> Provenance:
    return Provenance(actor=f"province:{region}", effective_on=day)


def ministry(day: date) -> Provenance:
    return Provenance(actor="ministry", effective_on=day, basis=(ANNOUNCEMENT,))


def fill(ledger: Ledger, listings: int, seed: int = 7) -> None:
    """About ten events per listing, over batches 2019–2023."""
    rng = random.Random(seed)
    regions = [r.code for r in Region.all()]
    years = (2019, 2020, 2021, 2022, 2023)
    per_year = listings // len(years)
    for year in years:
        opened = date(year, 3, 1)
        ledger.open_batch(level="national", batch_year=year, provenance=ministry(opened))
        ids = []
        for i in range(per_year):
            region = rng.choice(regions)
            receipt = ledger.register_enterprise(
                name=f"测试企业{year}-{i}有限公司",
                region=region,
                provenance=province(region, opened),
            )
            assert receipt.id is not None
            nominated = ledger.nominate_listing(
                enterprise_id=receipt.id,
                category=CATEGORIES[i % len(CATEGORIES)] if i % 7 else "green_factory",
                level="national",
                batch_year=year,
                provenance=province(region, opened + timedelta(days=30)),
            )
            assert nominated.id is not None
            ids.append((nominated.id, region))
        published = date(year, 9, 1)
        ledger.publish_batch(
            level="national",
            batch_year=year,
            announcement=ANNOUNCEMENT,
            listed=[listing_id for listing_id, _ in ids],
            provenance=ministry(published),
        )
        for listing_id, region in ids:
            for report_year in range(year, 2024):
                day = date(report_year + 1, 3, 1)
                ledger.submit_filing(
                    listing_id,
                    report_year=report_year,
                    indicators={"energy_per_unit_product": Indicator(Decimal("512.3"), "kgce/t")},
                    provenance=province(region, day),
                )
                outcome = "non_compliant" if rng.random() < 0.05 else "compliant"
                ledger.review_filing(
                    listing_id,
                    report_year=report_year,
                    outcome=outcome,
                    provenance=province(region, day + timedelta(days=20)),
                )
                if outcome == "non_compliant":  # DYN-2: assessment, proposal, removal
                    assessment = ledger.order_assessment(
                        listing_id,
                        reason="关键指标不达标",
                        provenance=province(region, day + timedelta(days=30)),
                    )
                    assert assessment.id is not None
                    ledger.conclude_assessment(
                        listing_id,
                        assessment.id,
                        outcome="does_not_meet",
                        provenance=province(region, day + timedelta(days=40)),
                    )
                    ledger.propose_adjustment(
                        listing_id,
                        action="remove",
                        reasons=["现场评估不符合要求"],
                        provenance=province(region, day + timedelta(days=45)),
                    )
                    ledger.remove_listing(
                        listing_id,
                        reasons=["indicators"],
                        provenance=ministry(day + timedelta(days=60)),
                    )
                    break


def read_and_decode(ledger: Ledger) -> tuple[int, float]:
    started = time.perf_counter()
    count, start = 0, 0
    while True:
        page = ledger.recorder.select_notifications(
            start=start, limit=1000, inclusive_of_start=False
        )
        if not page:
            break
        count += len([ledger.mapper.to_domain_event(n) for n in page])
        start = page[-1].id
    return count, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--listings", type=int, default=2000)
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    arguments = parser.parse_args()
    ledger = Ledger.open(arguments.database_url)
    views = Views.open(arguments.database_url)
    try:
        if ledger.position == 0:
            started = time.perf_counter()
            fill(ledger, arguments.listings)
            print(f"filled: {ledger.position} events in {time.perf_counter() - started:.1f} s")
        # The best of a few runs of each: the machine may be shared.
        runs = [read_and_decode(ledger) for _ in range(arguments.runs)]
        events, bare = min(runs, key=lambda run: run[1])
        print(f"read + decode: {events} events in {bare:.2f} s = {events / bare:,.0f} events/s")
        projector = Projector(ledger, views, page_size=arguments.page_size)
        rebuilds = []
        for _ in range(arguments.runs):
            started = time.perf_counter()
            projector.rebuild()
            rebuilds.append(time.perf_counter() - started)
        rebuilt = min(rebuilds)
        print(
            f"rebuild:       {events} events in {rebuilt:.2f} s = {events / rebuilt:,.0f} events/s"
            f" ({bare / rebuilt:.0%} of read + decode)"
        )
        rng = random.Random(1)
        regions = [r.code for r in Region.all()]
        timings = []
        for _ in range(arguments.queries):
            as_of = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 6))
            started = time.perf_counter()
            list_listings(views, as_of=as_of, region=rng.choice(regions), page_size=50)
            timings.append(time.perf_counter() - started)
        timings.sort()
        print(
            f"list (region, page of 50): p50 {statistics.median(timings) * 1000:.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)] * 1000:.1f} ms"
        )
    finally:
        views.close()
        ledger.close()


if __name__ == "__main__":
    main()
