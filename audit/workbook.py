"""The audit file: a stored report as a workbook (XLSX), Chinese first, English beside.

- 摘要 Summary: the report, its parameters, the range of the log it read, its tree head, counts
  and digest;
- 决定 Decisions: every decision in log order, recorded and re-derived findings side by side,
  the positions of the events they rest on, and why an imported one is not re-derived;
- 差异 Differences: one row per decision and rule that makes a difference;
- 校验 Verification: the report's head, the latest head and the consistency proof between them
  as JSON (also handed out beside the workbook), the result of checking it, and how to check it.

Every text is a text cell (data type `s`, written inline): a value that a spreadsheet would read
as a formula or an error code stays text. Numbers are numbers.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from audit.evidence import Evidence, evidence_for
from audit.reports import DecisionFilter, DecisionRow, StoredReport
from audit.store import ReportStore
from domain.auditing import KIND_LABELS
from domain.rules.catalogue import RULES, rule
from domain.values import BEIJING, BEIJING_LABEL
from seal.sealing import Seal

DECISION_HEADERS = (
    "序号 Seq",
    "位置 Position",
    "决定 Decision",
    "生效日期 Effective on",
    f"记录时间 Recorded at ({BEIJING_LABEL})",
    "操作方 Actor",
    "地区 Region",
    "单位编号 Listing id",
    "企业编号 Enterprise id",
    "记录编号 Record id",
    "版本 Version",
    "结果 Outcome",
    "差异规则 Rules that differ",
    "记录的规则版本 Recorded rulebook",
    "记录的认定 Recorded findings",
    "重新推出的规则版本 Re-derived rulebook",
    "重新推出的认定 Re-derived findings",
    "所依据事件的位置 Positions of the facts",
    "说明 Note",
    "依据文件 Basis",
)

DIFFERENCE_HEADERS = (
    "序号 Seq",
    "位置 Position",
    "决定 Decision",
    "生效日期 Effective on",
    "地区 Region",
    "单位编号 Listing id",
    "规则 Rule",
    "出处 Citation",
    "记录 Recorded",
    "重新推出 Re-derived",
    "记录的规则版本 Recorded rulebook",
    "重新推出的规则版本 Re-derived rulebook",
    "说明 Note",
)

HOW_TO_CHECK = (
    "将以上三段 JSON 分别存为 report-head.json、latest-head.json、consistency.json，"
    "然后运行 save the three JSON texts above as files, then run: greenledger verify-proof "
    "--proof consistency.json --head report-head.json --head latest-head.json "
    "--public-key seal.pem.pub (或任何 RFC 9162 一致性证明校验程序 or any RFC 9162 "
    "consistency verifier)"
)

OUTCOME_LABELS = {
    "matches": "一致 matches",
    "differs": "不一致 differs",
    "imported": "导入，未重新认定 imported, not re-derived",
}


def findings_cell(findings: Sequence[dict[str, Any]] | None) -> str:
    """Findings as one line: `NEG-2 适用 applies（detail）; FAC-1 不适用 does not apply`."""
    if findings is None:
        return ""
    return "; ".join(
        f"{f['rule_id']} {_applies(f['applies'])}" + (f"（{f['detail']}）" if f["detail"] else "")
        for f in findings
    )


def _applies(applies: bool | None) -> str:
    if applies is None:
        return "未检查 not checked"
    return "适用 applies" if applies else "不适用 does not apply"


def facts_cell(row: DecisionRow) -> str:
    positions = sorted(
        {
            ref["position"]
            for f in (*row.recorded, *(row.rederived or ()))
            for ref in f["because"]
            if ref["position"] is not None
        }
    )
    return ", ".join(str(p) for p in positions)


def decision_cells(row: DecisionRow) -> tuple[object, ...]:
    """The row of the decisions sheet (the API's decision, cell by cell)."""
    why = row.why_not_rederived
    return (
        row.seq,
        row.position,
        f"{KIND_LABELS[row.kind][0]} {row.kind}",
        row.effective_on.isoformat(),
        row.recorded_at.astimezone(BEIJING).isoformat(),
        row.actor,
        row.region or "",
        str(row.listing_id) if row.listing_id else "",
        str(row.enterprise_id) if row.enterprise_id else "",
        str(row.originator_id),
        row.version,
        OUTCOME_LABELS[row.outcome],
        " ".join(row.differing_rules),
        row.recorded_rulebook,
        findings_cell(row.recorded),
        row.rederived_rulebook or "",
        findings_cell(row.rederived),
        facts_cell(row),
        " ".join(why) if why else row.note,
        "; ".join(str(b.get("doc_no") or b.get("title") or "") for b in row.basis),
    )


def difference_rows(row: DecisionRow) -> list[tuple[object, ...]]:
    """One row per rule that makes the difference (one row without a rule when none does)."""

    def verdict(findings: list[dict[str, Any]] | None, rule_id: str) -> str:
        found = [f["applies"] for f in findings or () if f["rule_id"] == rule_id]
        return _applies(any(found)) if found else _applies(None)

    head = (
        row.seq,
        row.position,
        f"{KIND_LABELS[row.kind][0]} {row.kind}",
        row.effective_on.isoformat(),
        row.region or "",
        str(row.listing_id) if row.listing_id else "",
    )
    tail = (row.recorded_rulebook, row.rederived_rulebook or "", row.note)
    if not row.differing_rules:
        return [(*head, "", "", findings_cell(row.recorded), findings_cell(row.rederived), *tail)]
    return [
        (
            *head,
            rule_id,
            rule(rule_id, row.rederived_rulebook or row.recorded_rulebook).citation
            if rule_id in RULES
            else "",
            verdict(row.recorded, rule_id),
            verdict(row.rederived, rule_id),
            *tail,
        )
        for rule_id in row.differing_rules
    ]


@dataclass(frozen=True)
class AuditFile:
    """A report's workbook, the evidence it carries, and the name it is saved under."""

    report: StoredReport
    evidence: Evidence
    content: bytes

    @property
    def file_name(self) -> str:
        return f"audit-report-{self.report.report_id}.xlsx"


def audit_file(
    store: ReportStore,
    seal: Seal,
    report_id: UUID,
    *,
    signing_key: Ed25519PrivateKey | None = None,
    gate: AbstractContextManager[object] | None = None,
) -> AuditFile:
    """The audit file of a complete report, with the proof from its head to the latest."""
    report = store.get(report_id).completed()
    evidence = evidence_for(seal, report, signing_key=signing_key, gate=gate)
    content = audit_workbook(
        report,
        store.every_decision(report_id),
        store.every_decision(report_id, DecisionFilter(outcome="differs")),
        evidence,
    )
    return AuditFile(report, evidence, content)


def audit_workbook(
    report: StoredReport,
    decisions: Iterable[DecisionRow],
    differences: Iterable[DecisionRow],
    evidence: Evidence | None,
) -> bytes:
    """The report's workbook; `decisions` in log order, `differences` those that differ."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(title="摘要 Summary")
    for label, value in summary_rows(report, evidence):
        append(summary, (label, value))
    sheet = workbook.create_sheet(title="决定 Decisions")
    append(sheet, DECISION_HEADERS)
    for row in decisions:
        append(sheet, decision_cells(row))
    differing = workbook.create_sheet(title="差异 Differences")
    append(differing, DIFFERENCE_HEADERS)
    for row in differences:
        for cells in difference_rows(row):
            append(differing, cells)
    verification = workbook.create_sheet(title="校验 Verification")
    for label, value in verification_rows(evidence):
        append(verification, (label, value))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def summary_rows(report: StoredReport, evidence: Evidence | None) -> list[tuple[str, object]]:
    p, c, head = report.parameters, report.counts, report.head or {}
    return [
        ("审计报告 Audit report", str(report.report_id)),
        ("状态 Status", report.status),
        ("申请方 Requested by", report.requested_by),
        (
            f"申请时间 Requested at ({BEIJING_LABEL})",
            report.requested_at.astimezone(BEIJING).isoformat(),
        ),
        (
            f"完成时间 Finished at ({BEIJING_LABEL})",
            report.finished_at.astimezone(BEIJING).isoformat() if report.finished_at else "",
        ),
        ("已知时点 Known at", p.known_at.isoformat() if p.known_at else "全部 everything recorded"),
        ("决定日期起 Decisions from", p.from_day.isoformat() if p.from_day else "不限 any"),
        ("决定日期止 Decisions to", p.to_day.isoformat() if p.to_day else "不限 any"),
        ("地区 Region", p.region or "全部 every region"),
        (
            "规则版本 Rulebook",
            f"假设 what-if: {p.rulebook}" if p.rulebook else "决定当时有效的版本 in force then",
        ),
        ("起始位置 First position", report.first_position or 0),
        ("截止位置 Last position", report.last_position or 0),
        ("读取事件 Events read", report.events_read),
        ("树大小 Tree size", head.get("tree_size", 0)),
        ("根哈希 Root hash", head.get("root_hash", "")),
        ("树头时间 Head timestamp", head.get("timestamp", "")),
        ("签名密钥 Key id", head.get("key_id") or "未签名 unsigned"),
        ("签名 Signature", head.get("signature") or ""),
        ("决定总数 Decisions", c.decisions),
        ("重新认定 Re-derived", c.rederived),
        ("导入未重新认定 Imported, not re-derived", c.imported),
        ("一致 Matching", c.matching),
        ("不一致 Differing", c.differing),
        ("报告摘要值 Digest (SHA-256)", report.digest or ""),
        ("一致性核验 Consistency with the latest head", evidence.detail if evidence else ""),
    ]


def verification_rows(evidence: Evidence | None) -> list[tuple[str, object]]:
    if evidence is None:
        return [("一致性核验 Consistency", "报告未完成 the report is not done")]
    document = evidence.to_document()
    proof = document["consistency_proof"]
    return [
        ("报告的树头 The report's head", json.dumps(document["report_head"])),
        ("最新树头 The latest head", json.dumps(document["latest_head"])),
        ("一致性证明 Consistency proof", json.dumps(proof) if proof else ""),
        ("结论 Result", evidence.detail),
        (
            "如何核验 How to check",
            HOW_TO_CHECK,
        ),
    ]


def append(sheet: WriteOnlyWorksheet, values: Iterable[object]) -> None:
    """A row of cells, every text a text cell: never read as a formula or an error code."""
    row: list[object] = []
    for value in values:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
            if value.startswith("=") or value in ERROR_CODES:
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                value = cell
        row.append(value)
    sheet.append(row)
