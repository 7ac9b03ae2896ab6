"""Why a listing has its status (design.md: "why was unit X delisted").

The explanation starts from the event that set the listing's current status — the deciding
event — and gives who decided and when, on what documents, under which rulebook; each rule
finding it recorded, with the rule's citation (instrument and article) and its statement in
Chinese and English (`domain.rules.catalogue`), and the events the finding rests on, each in one
line. A decision that recorded no findings says so. For a unit on the list it also says why it is
still there: the announcement that listed it, its latest filing and review, the incidents on its
enterprise's credit record (or that there are none), and any removal that was rescinded.

Its `barred_until` is NEG-3's bar on the day `barred_on` (default: today in China): the last day
the enterprise may not apply because of a removal of one of its listings, computed by the very
function eligibility uses (`domain.rules.negative_list.removal_bar_end`) under the rulebook in force
on that day, so an explanation and the eligibility of the same enterprise on the same day never
disagree on it. None when no removal bars the enterprise that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.errors import UnknownCodeError
from domain.ledger import Ledger
from domain.loading.importing import IMPORTER
from domain.rules import rulebook_for
from domain.rules.catalogue import rule
from domain.rules.negative_list import removal_bar_end
from domain.values import FilingOutcome, ListingStatus, Reference, Region, RemovalReason
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.engine.reading import check_instant, known_position
from readside.listings.queries import standing_on
from readside.timeline.queries import reference, references
from readside.timeline.summaries import IMPORTED_EN, IMPORTED_ZH

NO_FINDINGS_ZH = "未记录规则认定"
NO_FINDINGS_EN = "no rule findings recorded"


@dataclass(frozen=True)
class EventLine:
    """One recorded event, as the timeline shows it."""

    position: int
    event: str
    originator_id: UUID
    version: int
    effective_on: date
    recorded_at: datetime
    actor: str
    summary_zh: str
    summary_en: str


@dataclass(frozen=True)
class RuleFinding:
    """A rule a decision applied: its citation and statements, what it found, on which facts."""

    rule_id: str
    citation: str
    statement_zh: str
    statement_en: str
    applies: bool
    detail: str
    barred_until: date | None
    facts: tuple[EventLine, ...]
    #: Events the finding names that the ledger does not hold (should never happen).
    missing_facts: tuple[tuple[UUID, int], ...]


@dataclass(frozen=True)
class DecisionRecord:
    position: int
    event: str
    kind: str
    effective_on: date
    recorded_at: datetime
    actor: str
    actor_zh: str
    actor_en: str
    basis: tuple[Reference, ...]
    note: str | None
    rulebook: str | None
    outcome: str | None
    reasons: tuple[str, ...]
    announcement: Reference | None
    barred_until: date | None
    rescinded_by: int | None
    summary_zh: str
    summary_en: str
    findings: tuple[RuleFinding, ...]


@dataclass(frozen=True)
class Ground:
    """One reason a unit is still on the list."""

    code: str
    text_zh: str
    text_en: str
    fact: EventLine | None


@dataclass(frozen=True)
class Explanation:
    listing_id: UUID
    enterprise_id: UUID
    name: str
    status: str
    status_zh: str
    on_list: bool
    deciding: DecisionRecord | None
    findings: tuple[RuleFinding, ...]
    findings_note_zh: str | None
    findings_note_en: str | None
    grounds: tuple[Ground, ...]
    record: tuple[DecisionRecord, ...]
    summary_zh: str
    summary_en: str
    position: int
    #: NEG-3 on `barred_on`: the last day a removal bars the enterprise, as eligibility says.
    barred_until: date | None = None
    barred_on: date | None = None
    #: The day and the instant (with the position it resolves to) the explanation reads as of.
    as_of: date | None = None
    known_at: datetime | None = None
    known_position: int | None = None


def actor_labels(actor: str) -> tuple[str, str]:
    """Who an actor code names, in Chinese and English."""
    if actor == "ministry":
        return "工业和信息化部", "the Ministry of Industry and Information Technology"
    if actor.startswith("province:"):
        try:
            region = Region.of(actor.split(":", 1)[1])
        except UnknownCodeError:
            return actor, actor
        return f"{region.name_zh}工业和信息化主管部门", f"the {region.name_en} department"
    if actor == IMPORTER:
        return "依据公告导入", "recorded from the ministry's announcement"
    return actor, actor


def get_explanation(
    views: Views,
    listing_id: UUID,
    on: date | None = None,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> Explanation:
    """Why the listing had its status on `as_of` (default: today in China), as known at
    `known_at` (default: now): the stretch of its standing in force then (the one the list and
    the listing read), the decision that set that status, the decisions taken up to then, and
    for a unit then on the list why it stayed; its enterprise's NEG-3 bar on `on` (default:
    `as_of`). A listing not yet nominated on that day, as then known, is not found."""
    day = as_of or Ledger.today()
    check_instant(known_at)
    with views.reading() as connection:
        known = known_position(connection, known_at)
        stretch = standing_on(connection, listing_id, day, known)
        record, lines = _record(connection, listing_id, day, known)
        status = ListingStatus(stretch.status)
        deciding = _deciding(connection, stretch.status_position, record, lines, known)
        as_then = _AsThen(day, known, stretch._asdict())
        grounds = _grounds(connection, as_then, record) if status.is_on_list else ()
        barred_until = removal_bar_on(connection, stretch.enterprise_id, on or day, known)
        position = read_position(connection)
    findings = deciding.findings if deciding is not None else ()
    no_findings = deciding is not None and not findings
    note_zh, note_en = _findings_note(deciding)
    summary_zh, summary_en = _summary(stretch.name, as_of, status, deciding)
    return Explanation(
        listing_id=listing_id,
        enterprise_id=stretch.enterprise_id,
        name=stretch.name,
        status=status.value,
        status_zh=status.label_zh,
        on_list=status.is_on_list,
        deciding=deciding,
        findings=findings,
        findings_note_zh=note_zh if no_findings else None,
        findings_note_en=note_en if no_findings else None,
        grounds=grounds,
        record=record,
        summary_zh=summary_zh,
        summary_en=summary_en,
        position=position,
        barred_until=barred_until,
        barred_on=on or day,
        as_of=day,
        known_at=known_at,
        known_position=known,
    )


@dataclass(frozen=True)
class _AsThen:
    """The day and the position an explanation reads as of, and the listing's standing then."""

    day: date
    known: int | None
    standing: dict[str, Any]

    def knows(self, position: int | None) -> bool:
        return position is not None and (self.known is None or position <= self.known)


def _record(
    connection: Connection, listing_id: UUID, day: date, known: int | None
) -> tuple[tuple[DecisionRecord, ...], dict[tuple[UUID, int], EventLine]]:
    """The listing's decisions taken by `day` and recorded by `known`, a rescission only
    counting once it was known."""
    decisions = tables.decisions
    where = [decisions.c.subject_id == listing_id, decisions.c.effective_on <= day]
    if known is not None:
        where.append(decisions.c.position <= known)
    rows = [
        row._asdict() for row in connection.execute(_decisions_with_their_lines().where(*where))
    ]
    for row in rows:
        rescinded = row["rescinded_position"]
        if rescinded is not None and known is not None and rescinded > known:
            row["rescinded_position"] = None
    lines = _event_lines(connection, rows)
    return tuple(_decision(row, lines) for row in rows), lines


def _deciding(
    connection: Connection,
    status_position: int,
    record: tuple[DecisionRecord, ...],
    lines: dict[tuple[UUID, int], EventLine],
    known: int | None,
) -> DecisionRecord | None:
    """The decision that set the status then; a rescission that voids an earlier removal may
    take effect after the day asked (it restates from the removal's day)."""
    for decision in record:
        if decision.position == status_position:
            return decision
    if known is not None and status_position > known:
        return None
    row = connection.execute(
        _decisions_with_their_lines().where(tables.decisions.c.position == status_position)
    ).first()
    if row is None:
        return None
    fields = row._asdict()
    return _decision(fields, {**lines, **_event_lines(connection, [fields])})


def removal_bar_on(
    connection: Connection, enterprise_id: UUID, day: date, known: int | None = None
) -> date | None:
    """NEG-3 on `day`: the latest end of the bars of the enterprise's standing removals that
    cover `day`, under the rulebook in force on `day`, as known at position `known`."""
    d, listings = tables.decisions, tables.listings
    standing: list[sa.ColumnElement[bool]] = [d.c.rescinded_position.is_(None)]
    if known is not None:
        standing = [
            d.c.position <= known,
            sa.or_(d.c.rescinded_position.is_(None), d.c.rescinded_position > known),
        ]
    removals = connection.execute(
        sa.select(d.c.effective_on, d.c.reasons)
        .join_from(d, listings, d.c.subject_id == listings.c.listing_id)
        .where(
            listings.c.enterprise_id == enterprise_id,
            # `kind || ''`: not the (kind, effective_on) index, which SQLite's planner otherwise
            # takes to walk every removal of the ledger (20–40 ms at 50,000 listings) instead of
            # the enterprise's few listings and their decisions (0.01 ms).
            (d.c.kind + "") == "removal",
            *standing,
            d.c.effective_on <= day,
        )
    ).all()
    rulebook = rulebook_for(day)
    ends = [
        end
        for removed_on, reasons in removals
        if (end := removal_bar_end(rulebook, removed_on, [RemovalReason(r) for r in reasons]))
        and day <= end
    ]
    return max(ends, default=None)


# -- decisions and the facts they rest on ------------------------------------------------------


def _decisions_with_their_lines() -> sa.Select[Any]:
    """Decisions, each with what its event's timeline line says (actor, basis, times, summary)."""
    d, t = tables.decisions, tables.timeline
    return (
        sa.select(
            d,
            t.c.event,
            t.c.recorded_at,
            t.c.actor,
            t.c.basis,
            t.c.note,
            t.c.summary_zh,
            t.c.summary_en,
        )
        .join_from(d, t, d.c.position == t.c.position)
        .order_by(d.c.position)
    )


def _event_lines(
    connection: Connection, rows: list[dict[str, Any]]
) -> dict[tuple[UUID, int], EventLine]:
    """The timeline lines of every event the decisions' findings name."""
    wanted = {
        (UUID(ref["originator_id"]), int(ref["version"]))
        for row in rows
        for finding in row["findings"]
        for ref in finding["because"]
    }
    return lines_of_events(connection, wanted)


def lines_of_events(
    connection: Connection, wanted: set[tuple[UUID, int]]
) -> dict[tuple[UUID, int], EventLine]:
    if not wanted:
        return {}
    t = tables.timeline
    found: dict[tuple[UUID, int], EventLine] = {}
    pairs = sorted(wanted, key=str)
    for start in range(0, len(pairs), 200):
        condition = sa.or_(
            *(
                sa.and_(t.c.originator_id == originator, t.c.originator_version == version)
                for originator, version in pairs[start : start + 200]
            )
        )
        for row in connection.execute(sa.select(t).where(condition)):
            line = _line(row._asdict())
            found[(line.originator_id, line.version)] = line
    return found


def line_at(connection: Connection, position: int | None) -> EventLine | None:
    if position is None:
        return None
    t = tables.timeline
    row = connection.execute(sa.select(t).where(t.c.position == position)).first()
    return _line(row._asdict()) if row is not None else None


def _line(row: dict[str, Any]) -> EventLine:
    return EventLine(
        position=row["position"],
        event=row["event"],
        originator_id=row["originator_id"],
        version=row["originator_version"],
        effective_on=row["effective_on"],
        recorded_at=row["recorded_at"],
        actor=row["actor"],
        summary_zh=row["summary_zh"],
        summary_en=row["summary_en"],
    )


def _decision(row: dict[str, Any], lines: dict[tuple[UUID, int], EventLine]) -> DecisionRecord:
    actor_zh, actor_en = actor_labels(row["actor"])
    return DecisionRecord(
        position=row["position"],
        event=row["event"],
        kind=row["kind"],
        effective_on=row["effective_on"],
        recorded_at=row["recorded_at"],
        actor=row["actor"],
        actor_zh=actor_zh,
        actor_en=actor_en,
        basis=references(row["basis"]),
        note=row["note"],
        rulebook=row["rulebook"],
        outcome=row["outcome"],
        reasons=tuple(row["reasons"]),
        announcement=reference(row["announcement"]),
        barred_until=row["barred_until"],
        rescinded_by=row["rescinded_position"],
        summary_zh=row["summary_zh"],
        summary_en=row["summary_en"],
        findings=tuple(_finding(finding, lines, row["rulebook"]) for finding in row["findings"]),
    )


def _finding(
    stored: dict[str, Any], lines: dict[tuple[UUID, int], EventLine], rulebook: str | None
) -> RuleFinding:
    rule_id = stored["rule_id"]
    try:
        cited = rule(rule_id, rulebook)
        citation, statement_zh, statement_en = (
            cited.citation,
            cited.statement_zh,
            cited.statement_en,
        )
    except UnknownCodeError:
        citation = "（规则目录中无此规则 not in the rule catalogue）"
        statement_zh = statement_en = ""
    refs = [(UUID(ref["originator_id"]), int(ref["version"])) for ref in stored["because"]]
    barred_until = stored.get("barred_until")
    return RuleFinding(
        rule_id=rule_id,
        citation=citation,
        statement_zh=statement_zh,
        statement_en=statement_en,
        applies=bool(stored["applies"]),
        detail=stored.get("detail") or "",
        barred_until=date.fromisoformat(barred_until) if barred_until else None,
        facts=tuple(lines[ref] for ref in refs if ref in lines),
        missing_facts=tuple(ref for ref in refs if ref not in lines),
    )


# -- why a unit is still on the list -------------------------------------------------------------


def _grounds(
    connection: Connection, then: _AsThen, record: tuple[DecisionRecord, ...]
) -> tuple[Ground, ...]:
    grounds = [_listed_by(connection, record)]
    grounds.extend(_filing_grounds(connection, then))
    grounds.extend(_incident_grounds(connection, then))
    grounds.extend(_rescinded_grounds(connection, record))
    grounds.extend(_pending_grounds(connection, then))
    return tuple(grounds)


def _listed_by(connection: Connection, record: tuple[DecisionRecord, ...]) -> Ground:
    listings = [decision for decision in record if decision.kind == "listing"]
    if not listings:
        return Ground("listed_by", "未找到列入名单的决定", "no listing decision found", None)
    listed = listings[-1]
    doc = listed.announcement.describe() if listed.announcement else ""
    return Ground(
        "listed_by",
        f"于{listed.effective_on.isoformat()}列入名单，依据{doc or '公告'}：{listed.summary_zh}",
        f"Listed on {listed.effective_on.isoformat()} by {doc or 'announcement'}: "
        f"{listed.summary_en}",
        line_at(connection, listed.position),
    )


def _filing_grounds(connection: Connection, then: _AsThen) -> list[Ground]:
    f = tables.listing_filings
    filed = [f.c.listing_id == then.standing["listing_id"], f.c.submitted_on <= then.day]
    if then.known is not None:
        filed.append(f.c.position <= then.known)
    latest = connection.execute(
        sa.select(f).where(*filed).order_by(f.c.report_year.desc(), f.c.position.desc())
    ).first()
    reviewed = (
        latest is not None
        and latest.outcome is not None
        and latest.reviewed_on <= then.day
        and then.knows(latest.review_position)
    )
    grounds: list[Ground] = []
    if latest is None:
        grounds.append(
            Ground("filing", "尚未提交动态管理表", "no indicator filing submitted yet", None)
        )
    elif not reviewed:
        grounds.append(
            Ground(
                "filing",
                f"最近一次动态管理表（{latest.report_year}年度）已提交，尚待省级审核",
                f"The latest filing ({latest.report_year}) awaits the province's review",
                line_at(connection, latest.position),
            )
        )
    else:
        grounds.append(
            Ground(
                "filing",
                f"最近一次动态管理表（{latest.report_year}年度）审核结论："
                f"{FilingOutcome(latest.outcome).label_zh}",
                f"The latest filing ({latest.report_year}) was reviewed: "
                f"{latest.outcome.replace('_', ' ')}",
                line_at(connection, latest.review_position),
            )
        )
    if then.standing["filing_overdue"]:
        grounds.append(
            Ground("filing_overdue", "动态管理表逾期未报", "A yearly filing is overdue", None)
        )
    return grounds


def _incident_grounds(connection: Connection, then: _AsThen) -> list[Ground]:
    c = tables.credit_incidents
    recorded = [c.c.enterprise_id == then.standing["enterprise_id"], c.c.recorded_on <= then.day]
    if then.known is not None:
        recorded.append(c.c.position <= then.known)
    incidents = connection.execute(sa.select(c).where(*recorded).order_by(c.c.position)).all()
    standing = [
        incident
        for incident in incidents
        if not (incident.retracted_on is not None and incident.retracted_on <= then.day)
        or not then.knows(incident.retracted_position)
    ]
    if not standing:
        return [
            Ground(
                "no_incident",
                "申报主体无在案信用事件（事故、违法违规、失信等）",
                "No credit incident stands on the enterprise's record",
                None,
            )
        ]
    grounds = []
    for incident in standing:
        line = line_at(connection, incident.position)
        rectified = (
            then.knows(incident.rectified_position)
            and incident.rectified_on is not None
            and incident.rectified_on <= then.day
        )
        rectified_zh = "（已完成整改）" if rectified else ""
        rectified_en = " (rectified)" if rectified else ""
        ended = incident.ended_on
        if ended is not None and ended <= then.day and then.knows(incident.ended_position):
            rectified_zh = f"（已于{ended.isoformat()}结束）"
            rectified_en = f" (ended on {ended.isoformat()})"
        grounds.append(
            Ground(
                "incident",
                f"在案信用事件{rectified_zh}：{line.summary_zh if line else ''}",
                f"A credit incident stands on the record{rectified_en}: "
                f"{line.summary_en if line else ''}",
                line,
            )
        )
    return grounds


def _rescinded_grounds(connection: Connection, record: tuple[DecisionRecord, ...]) -> list[Ground]:
    decisions = {decision.position: decision for decision in record}
    grounds = []
    for decision in record:
        if decision.kind != "removal" or decision.rescinded_by is None:
            continue
        # A rescission restates from its removal's day: it may take effect after the day read.
        rescission = decisions.get(decision.rescinded_by) or line_at(
            connection, decision.rescinded_by
        )
        when = rescission.effective_on.isoformat() if rescission else ""
        grounds.append(
            Ground(
                "removal_rescinded",
                f"{decision.effective_on.isoformat()}的移出决定已于{when}撤销（更正）："
                f"{decision.summary_zh}",
                f"The removal of {decision.effective_on.isoformat()} was rescinded on {when} "
                f"(a correction): {decision.summary_en}",
                line_at(connection, decision.rescinded_by),
            )
        )
    return grounds


def _pending_grounds(connection: Connection, then: _AsThen) -> list[Ground]:
    status = ListingStatus(then.standing["status"])
    if status is ListingStatus.LISTED:
        return []
    line = line_at(connection, then.standing["status_position"])
    return [
        Ground(
            "no_removal_decided",
            f"处于“{status.label_zh}”状态，尚未作出移出决定",
            f"{status.value.replace('_', ' ').capitalize()}: no removal has been decided",
            line,
        )
    ]


# -- summary -------------------------------------------------------------------------------------


def _findings_note(deciding: DecisionRecord | None) -> tuple[str, str]:
    """What a decision without findings says: imported as announced, or none recorded."""
    if deciding is not None and deciding.actor == IMPORTER:
        return IMPORTED_ZH, IMPORTED_EN
    return NO_FINDINGS_ZH, NO_FINDINGS_EN


def _summary(
    name: str, day: date | None, status: ListingStatus, deciding: DecisionRecord | None
) -> tuple[str, str]:
    if deciding is None:
        return f"{name}：{status.label_zh}", f"{name}: {status.value}"
    note_zh, note_en = _findings_note(deciding)
    rules_zh = "、".join(f.rule_id for f in deciding.findings) or note_zh
    rules_en = ", ".join(f.rule_id for f in deciding.findings) or note_en
    when = deciding.effective_on.isoformat()
    recorded = deciding.recorded_at.date().isoformat()
    label_en = status.value.replace("_", " ")
    head_zh = f"{name}当前状态：{status.label_zh}。"
    head_en = f"{name} is {label_en}."
    if day is not None:  # the status on a day asked, as the listing read for it says
        head_zh = f"{name}于{day.isoformat()}的状态：{status.label_zh}。"
        head_en = f"{name} was {label_en} on {day.isoformat()}."
    return (
        (
            f"{head_zh}决定：{deciding.summary_zh}（{deciding.actor_zh}，{when}生效，"
            f"{recorded}记录；规则依据：{rules_zh}）"
        ),
        (
            f"{head_en} Decision: {deciding.summary_en} ({deciding.actor_en}, effective {when}, "
            f"recorded {recorded}; rules: {rules_en})"
        ),
    )
