"""The audit file writes every text as a text cell: a value a spreadsheet would take for a formula
or an error code stays the text it is."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from uuid import UUID

from openpyxl import load_workbook

from audit.reports import Counts, DecisionRow, ReportParameters, StoredReport
from audit.workbook import DECISION_HEADERS, audit_workbook

REPORT = StoredReport(
    report_id=UUID("0f0c6a6e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"),
    status="done",
    requested_by="auditor",
    requested_at=datetime(2026, 12, 1, tzinfo=UTC),
    finished_at=datetime(2026, 12, 1, 0, 1, tzinfo=UTC),
    parameters=ReportParameters(rulebook="2024"),
    progress_position=2,
    progress_last=2,
    events_read=2,
    first_position=1,
    last_position=2,
    head={"tree_size": 2, "root_hash": "ab" * 32, "timestamp": "2026-12-01T00:01:00.000Z"},
    counts=Counts(decisions=1, rederived=1, matching=0, differing=1),
    digest="cd" * 32,
    error=None,
)


def a_decision(note: str, detail: str) -> DecisionRow:
    finding = {
        "rule_id": "DYN-4",
        "applies": True,
        "because": [],
        "barred_until": None,
        "detail": detail,
    }
    return DecisionRow(
        seq=1,
        position=2,
        originator_id=UUID("7d9c0b7e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"),
        version=3,
        topic="domain.listing:Listing.Removed",
        kind="removal",
        effective_on=date(2023, 5, 3),
        recorded_at=datetime(2023, 5, 3, 8, tzinfo=UTC),
        actor='=HYPERLINK("https://example.invalid")',
        basis=[{"doc_no": "@SUM(1)", "title": None, "url": None, "sha256": None}],
        region="320000",
        listing_id=UUID("7d9c0b7e-4a4b-5b1e-9d7c-3e2a1f0b9c8d"),
        enterprise_id=None,
        outcome="differs",
        differing_rules=("DYN-4",),
        recorded_rulebook="2022",
        recorded=[],
        rederived_rulebook="2024",
        rederived=[finding],
        note=note,
    )


def test_texts_that_look_like_formulas_or_error_codes_stay_text() -> None:
    row = a_decision(note="#N/A", detail="=1+1")

    content = audit_workbook(REPORT, [row], [row], None)

    sheet = load_workbook(io.BytesIO(content))["决定 Decisions"]
    header, cells = list(sheet.iter_rows(min_row=1, max_row=2))
    assert tuple(c.value for c in header) == DECISION_HEADERS
    by_header = {h.value: c for h, c in zip(header, cells, strict=True)}
    for name, text in (
        ("说明 Note", "#N/A"),
        ("操作方 Actor", '=HYPERLINK("https://example.invalid")'),
        ("依据文件 Basis", "@SUM(1)"),
        ("重新推出的认定 Re-derived findings", "DYN-4 适用 applies（=1+1）"),
    ):
        assert by_header[name].value == text
        assert by_header[name].data_type == "s"
    assert by_header["位置 Position"].data_type == "n"
