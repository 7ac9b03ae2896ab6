"""Stored audit reports over a generated history, on SQLite and PostgreSQL: every decision
accounted for, a what-if under a newer rulebook, the same report against the same head, and the
report's head consistent with a later one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.evidence import evidence_for
from audit.reports import DecisionFilter, DecisionRow, ReportParameters
from audit.running import recomputed_digest, run_report
from domain.replay import DECISION_EVENTS
from seal.sealing import Seal
from seal.sealing import metadata as seal_tables
from seal.signing import check_signature
from tests.builders import by_province
from tests.integration.audit.conftest import Desk
from tests.tampering import alter_one_byte
from tests.unit.seal.test_merkle import independently_consistent


def decision_events(desk: Desk) -> int:
    """Decisions in the log, counted from the events themselves."""
    count, start = 0, 0
    while page := desk.ledger.recorder.select_notifications(
        start=start, limit=1000, inclusive_of_start=False
    ):
        count += sum(
            isinstance(desk.ledger.mapper.to_domain_event(n), DECISION_EVENTS) for n in page
        )
        start = page[-1].id
    return count


def register_one_more_enterprise(desk: Desk, number: int = 1) -> None:
    desk.ledger.register_enterprise(
        name=f"审计后登记的企业{number}", region="320000", provenance=by_province(date(2026, 6, 1))
    )


def test_every_decision_of_a_generated_history_follows_from_its_facts_and_is_counted(
    generated: Desk,
) -> None:
    report = generated.report()

    counts = report.counts
    assert report.status == "done"
    assert counts.decisions == decision_events(generated) > 0
    assert counts.rederived + counts.imported == counts.decisions
    assert (counts.matching, counts.differing, counts.imported) == (counts.decisions, 0, 0)
    assert report.last_position == generated.ledger.position
    assert report.head is not None
    assert report.head["tree_size"] == report.events_read
    assert bytes.fromhex(report.head["root_hash"]) == generated.seal.root(report.events_read)[1]
    differing = generated.store.decisions(report.report_id, DecisionFilter(outcome="differs"))
    assert differing.total == 0


@pytest.mark.parametrize(("older", "newer"), [("2016", "2024"), ("2022", "2025")])
def test_a_decision_taken_under_an_older_rulebook_differs_under_a_newer_one_and_not_under_its_own(
    generated: Desk, older: str, newer: str
) -> None:
    own = generated.report()
    what_if = generated.report(ReportParameters(rulebook=newer))

    store = generated.store
    as_taken = {row.position: row for row in store.every_decision(own.report_id)}
    differing = [
        row
        for row in store.every_decision(what_if.report_id, DecisionFilter(outcome="differs"))
        if row.recorded_rulebook == older
    ]
    assert differing, f"some decision taken under {older} goes otherwise under {newer}"
    for row in differing:
        assert row.rederived_rulebook == newer
        assert as_taken[row.position].outcome == "matches"
        assert as_taken[row.position].rederived_rulebook == older
        assert row.differing_rules
        for rule_id in row.differing_rules:  # the rule that makes the difference
            before = any(f["applies"] for f in row.recorded if f["rule_id"] == rule_id)
            after = any(f["applies"] for f in row.rederived or () if f["rule_id"] == rule_id)
            assert before != after
    assert (
        what_if.counts.differing
        == store.decisions(what_if.report_id, DecisionFilter(outcome="differs")).total
    )


def test_a_report_run_again_against_the_same_head_is_identical(generated: Desk) -> None:
    known_at = datetime.now(UTC)
    first = generated.report(ReportParameters(known_at=known_at))
    register_one_more_enterprise(generated)  # the ledger moves on; the head asked for does not

    again = generated.report(ReportParameters(known_at=known_at))

    assert first.head is not None
    assert again.head is not None
    assert (again.head["tree_size"], again.head["root_hash"]) == (
        first.head["tree_size"],
        first.head["root_hash"],
    )
    assert again.last_position == first.last_position
    assert (first.last_position or 0) < generated.ledger.position
    assert again.digest == first.digest
    assert again.counts == first.counts
    store = generated.store
    assert list(store.every_decision(again.report_id)) == list(
        store.every_decision(first.report_id)
    )
    assert recomputed_digest(store, again) == again.digest


def test_a_reports_signed_head_is_consistent_with_a_later_head(generated: Desk) -> None:
    key = Ed25519PrivateKey.generate()
    claimed, _ = generated.store.claim(ReportParameters(), "auditor")
    report = run_report(generated.ledger, generated.store, generated.seal, claimed, signing_key=key)
    register_one_more_enterprise(generated, 1)
    register_one_more_enterprise(generated, 2)

    evidence = evidence_for(generated.seal, report, signing_key=key)

    check_signature(evidence.report_head, key.public_key())
    check_signature(evidence.latest_head, key.public_key())
    assert evidence.latest_head.tree_size == evidence.report_head.tree_size + 2
    assert evidence.consistent
    assert evidence.proof is not None
    evidence.proof.check([evidence.report_head, evidence.latest_head])  # the seal's verifier
    assert independently_consistent(  # and the test's own, from RFC 6962's definitions
        evidence.report_head.tree_size,
        evidence.latest_head.tree_size,
        evidence.report_head.root_hash,
        evidence.latest_head.root_hash,
        list(evidence.proof.consistency_path),
    )


def test_a_history_rewritten_under_a_report_is_not_consistent_with_its_head(
    generated: Desk,
) -> None:
    report = generated.report()
    register_one_more_enterprise(generated)
    # An insider alters an event the report read, and seals the altered history anew.
    alter_one_byte(generated.database_url, report.last_position or 0)
    seal_tables.drop_all(generated.seal.engine)
    resealed = Seal.open(generated.ledger, generated.database_url)

    evidence = evidence_for(resealed, report)

    resealed.engine.dispose()
    assert not evidence.consistent
    assert evidence.proof is not None
    assert not independently_consistent(
        evidence.report_head.tree_size,
        evidence.latest_head.tree_size,
        evidence.report_head.root_hash,
        evidence.latest_head.root_hash,
        list(evidence.proof.consistency_path),
    )


def test_decisions_are_filtered_by_outcome_rule_region_kind_and_date_and_paged(
    generated: Desk,
) -> None:
    report = generated.report(ReportParameters(rulebook="2024"))
    every = list(generated.store.every_decision(report.report_id))
    region = every[-1].region
    filters: list[tuple[DecisionFilter, Callable[[DecisionRow], bool]]] = [
        (DecisionFilter(outcome="differs"), lambda r: r.outcome == "differs"),
        (
            DecisionFilter(rule="DYN-2"),
            lambda r: "DYN-2" in {f["rule_id"] for f in (*r.recorded, *(r.rederived or ()))},
        ),
        (DecisionFilter(region=region), lambda r: r.region == region),
        (DecisionFilter(kind="removal"), lambda r: r.kind == "removal"),
        (
            DecisionFilter(from_day=date(2023, 1, 1), to_day=date(2023, 12, 31)),
            lambda r: date(2023, 1, 1) <= r.effective_on <= date(2023, 12, 31),
        ),
    ]
    for chosen, wanted in filters:
        expected = [row for row in every if wanted(row)]
        assert expected, chosen
        found = generated.store.decisions(report.report_id, chosen)
        assert found.total == len(expected)
        assert list(found.items) == expected[: chosen.page_size]
    pages = [
        generated.store.decisions(report.report_id, DecisionFilter(page=n, page_size=100)).items
        for n in range(1, len(every) // 100 + 2)
    ]
    assert [row for page in pages for row in page] == every
