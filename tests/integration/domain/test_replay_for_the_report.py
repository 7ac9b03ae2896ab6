"""Replay as the auditor's report sees it: every decision observed with its kind, region and the
positions of the facts it rests on; imported decisions apart; a what-if under another rulebook."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from domain.auditing import Outcome, ReplayedDecision
from domain.ledger import Ledger
from domain.loading.importing import import_published_lists
from domain.loading.published_lists import read_published_lists
from domain.replay import replay
from domain.rules import rulebook_named
from tests.builders import by_province, listed_factory
from tests.integration.domain.test_replay import _a_year_of_dynamic_management
from tests.unit.loading.test_importing import FACTORIES, published_lists


def observed(ledger: Ledger, **options: object) -> tuple[list[ReplayedDecision], object]:
    seen: list[ReplayedDecision] = []
    report = replay(ledger, observer=seen.append, **options)  # type: ignore[arg-type]
    return seen, report


def test_a_2023_flag_for_a_major_accident_would_rest_on_dyn_4_under_the_2024_rules(
    memory_ledger: Ledger,
) -> None:
    # Listed on 2023-03-23 under 235号, which flags a unit for removal on a reported accident;
    # 13号 (2024) removes it at once for a major one (DYN-4).
    unit = listed_factory(memory_ledger)
    memory_ledger.record_incident(
        unit.enterprise_id,
        kind="safety",
        grade="major",
        occurred_on=date(2023, 5, 1),
        source="credit_china",
        provenance=by_province(date(2023, 5, 3)),
    )

    as_taken = replay(memory_ledger)
    what_if = replay(memory_ledger, rulebook=rulebook_named("2024"))

    assert as_taken.consistent
    assert what_if.rulebook == "2024"
    (flag,) = [m for m in what_if.mismatches if m.topic.endswith("Listing.Flagged")]
    # The nomination would differ too, by the road to the national list of 13号 alone (ADR
    # 0150): no provincial listing (REC-2), and the 31 July now checked (REC-3).
    others = {rule for m in what_if.mismatches if m is not flag for rule in m.rules}
    assert others <= {"REC-2", "REC-3", "PUB-1"}
    assert flag.topic == "domain.listing:Listing.Flagged"
    assert (flag.recorded_rulebook, flag.rederived_rulebook) == ("2022", "2024")
    assert flag.rules == ("DYN-4",)
    assert {f.rule_id for f in flag.recorded if f.applies} == {"DYN-3"}
    assert {f.rule_id for f in flag.rederived if f.applies} == {"DYN-3", "DYN-4"}


def test_every_decision_is_observed_with_its_kind_region_and_the_positions_of_its_facts(
    memory_ledger: Ledger,
) -> None:
    _a_year_of_dynamic_management(memory_ledger)

    seen, report = observed(memory_ledger)

    assert len(seen) == report.decisions_checked == 27  # type: ignore[attr-defined]
    assert {d.outcome for d in seen} == {Outcome.MATCHES}
    assert [d.position for d in seen] == sorted(d.position for d in seen)
    kinds = [d.kind for d in seen]
    assert kinds.count("nomination") == 7  # one of them the provincial listing REC-2 rests on
    assert kinds.count("blacklisting") == 1
    assert {d.region for d in seen if d.kind != "blacklisting"} == {"320000"}
    cited = [c for d in seen for c in d.cited]
    assert cited
    notifications = {
        n.id: n for n in memory_ledger.recorder.select_notifications(start=None, limit=10_000)
    }
    for fact in cited:
        assert fact.position is not None
        stored = notifications[fact.position]
        assert (stored.originator_id, stored.originator_version) == (
            fact.originator_id,
            fact.version,
        )
        assert fact.aggregate in {"listing", "enterprise", "assessor", "batch"}


def test_imported_decisions_are_observed_apart_and_not_rederived(
    memory_ledger: Ledger, tmp_path: Path
) -> None:
    lists = read_published_lists(published_lists(tmp_path / "small", green_factories=FACTORIES))
    import_published_lists(memory_ledger, lists)

    seen, report = observed(memory_ledger)

    assert seen
    assert {d.outcome for d in seen} == {Outcome.IMPORTED}
    assert len(seen) == report.imported_records  # type: ignore[attr-defined]
    assert report.decisions_checked == 0  # type: ignore[attr-defined]
    assert all(d.rederived is None and d.rederived_rulebook is None for d in seen)
    assert all(d.actor == "importer" and d.basis for d in seen)
