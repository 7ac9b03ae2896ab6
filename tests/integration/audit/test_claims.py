"""One report at a time per ledger, across connections (as separate processes hold them) on
SQLite and PostgreSQL; a claim whose process died is taken over; a report started in the
background runs to the end and is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest

from audit.reports import ReportParameters
from audit.running import AuditDesk, run_report
from audit.store import ReportClaimLostError, ReportRunningError, ReportStore
from tests.builders import listed_factory
from tests.integration.audit.conftest import Desk


def test_a_second_report_waits_for_the_first_even_from_another_connection(desk: Desk) -> None:
    listed_factory(desk.ledger)
    running, started = desk.store.claim(ReportParameters(), "auditor")
    elsewhere = ReportStore.open(desk.database_url, desk.ledger.name)
    try:
        with pytest.raises(ReportRunningError) as refused:
            elsewhere.claim(ReportParameters(rulebook="2024"), "auditor")
        same, started_again = elsewhere.claim(ReportParameters(), "auditor")

        run_report(desk.ledger, desk.store, desk.seal, running)
        after, started_after = elsewhere.claim(ReportParameters(rulebook="2024"), "auditor")
    finally:
        elsewhere.close()

    assert started
    assert refused.value.report_id == running.report_id
    assert str(running.report_id) in refused.value.message
    assert (same.report_id, started_again) == (running.report_id, False)
    assert started_after
    assert after.report_id != running.report_id


def test_the_claim_of_a_report_whose_process_died_is_taken_over(desk: Desk) -> None:
    listed_factory(desk.ledger)
    stalled, _ = desk.store.claim(ReportParameters(), "auditor")
    # A lease that has always run out: the first claim's heartbeat counts as stopped.
    impatient = ReportStore.open(desk.database_url, desk.ledger.name, lease=timedelta(seconds=-1))
    try:
        taken, started = impatient.claim(ReportParameters(rulebook="2024"), "auditor")
        with pytest.raises(ReportClaimLostError):
            run_report(desk.ledger, desk.store, desk.seal, stalled)
        done = run_report(desk.ledger, impatient, desk.seal, taken)
    finally:
        impatient.close()

    assert started
    failed = desk.store.get(stalled.report_id)
    assert failed.status == "failed"
    assert "interrupted" in (failed.error or "")
    assert done.status == "done"


def test_a_report_started_in_the_background_runs_to_the_end_and_is_kept(desk: Desk) -> None:
    listed_factory(desk.ledger)
    background = AuditDesk(desk.ledger, desk.store, desk.seal)
    try:
        report, started = background.start(ReportParameters(), "auditor")
        finished = background.wait(report.report_id)
    finally:
        background.close()

    assert started
    assert report.status == "running"
    assert finished.status == "done"
    assert finished.counts.decisions == 2  # the nomination and the listing
    assert desk.store.list_reports()[0].report_id == report.report_id
