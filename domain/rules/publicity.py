"""The road to the national list under 工信部节〔2024〕13号 (articles unverified; ADR 0150).

- REC-3 the provinces recommend national green factories by 31 July of the round's year: a
  national nomination after the `recommendations` deadline recorded with its batch is refused.
  A round opened after that day (the 2025 round, 390号, in the autumn) records no such deadline.
- PUB-1 15 days of publicity (公示) precede the national list: the window runs from its first day
  through the 15th (`Rulebook.publicity_days`); an objection (异议) is received inside it, against
  a publicised nominee; a nominee is listed only when it was publicised and the window is over;
  a publicised nominee that the list does not take (it "falls out") is rejected with a reason,
  and its PUB-1 finding cites the objections raised against it.

As everywhere (ADR 0010), a finding `applies` when it speaks against the decision's subject.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from uuid import UUID

from domain.batch import Batch
from domain.errors import InvalidInputError, RuleRefusalError
from domain.rules.catalogue import rule
from domain.rules.categories import Nomination
from domain.rules.rulebook import RECOMMENDATIONS, Rulebook
from domain.rules.wording import bilingual
from domain.values import EventRef, Finding, Level


def publicity_end(rulebook: Rulebook, starts_on: date) -> date | None:
    """The last day of a publicity starting on `starts_on` (its 15th day under 13号)."""
    if rulebook.publicity_days is None:
        return None
    return starts_on + timedelta(days=rulebook.publicity_days - 1)


def recommendation_deadline(nomination: Nomination, batch: Batch, day: date) -> Finding:
    """REC-3: a national nomination is made on or before the batch's `recommendations` day."""
    close = batch.deadlines.get(RECOMMENDATIONS)
    if nomination.level is not Level.NATIONAL or close is None:
        return Finding(
            "REC-3", False, detail=bilingual("本批次无推荐截止日", "no recommendation deadline")
        )
    if day <= close:
        return Finding(
            "REC-3",
            False,
            detail=bilingual(f"推荐于{close.isoformat()}截止前", f"before {close.isoformat()}"),
        )
    return Finding(
        "REC-3",
        True,
        detail=bilingual(
            f"推荐已于{close.isoformat()}截止", f"recommendations closed on {close.isoformat()}"
        ),
    )


def objection_window(batch: Batch, listing_id: UUID, day: date) -> Finding:
    """PUB-1 for an objection: it is received during the publicity, against a nominee of it."""
    publicity = batch.publicity
    if publicity is None:
        return Finding(
            "PUB-1", True, detail=bilingual("本批次未公示", "the batch is not publicised")
        )
    because = (EventRef(batch.id, publicity.version),)
    window = f"{publicity.starts_on.isoformat()}–{publicity.ends_on.isoformat()}"
    if listing_id not in publicity.nominees:
        return Finding(
            "PUB-1",
            True,
            because=because,
            detail=bilingual("该单位不在公示名单中", "not a publicised nominee"),
        )
    if not publicity.covers(day):
        return Finding(
            "PUB-1",
            True,
            because=because,
            detail=bilingual(
                f"{day.isoformat()}不在公示期{window}内",
                f"{day.isoformat()} is outside the publicity {window}",
            ),
        )
    return Finding(
        "PUB-1",
        False,
        because=because,
        detail=bilingual(f"公示期{window}内", f"during the publicity {window}"),
    )


def publicised_before_listing(
    rulebook: Rulebook, batch: Batch, listing_id: UUID, day: date
) -> Finding:
    """PUB-1 for Listed: the nominee was publicised and its publicity is over by `day`."""
    publicity = batch.publicity
    if publicity is None or listing_id not in publicity.nominees:
        return Finding(
            "PUB-1",
            True,
            detail=bilingual(
                f"未经{rulebook.publicity_days}天公示", "listed without being publicised"
            ),
        )
    because = (
        EventRef(batch.id, publicity.version),
        *(EventRef(batch.id, o.version) for o in batch.objections_to(listing_id)),
    )
    if day <= publicity.ends_on:
        return Finding(
            "PUB-1",
            True,
            because=because,
            detail=bilingual(
                f"公示期至{publicity.ends_on.isoformat()}尚未结束",
                f"the publicity runs through {publicity.ends_on.isoformat()}",
            ),
        )
    objections = len(because) - 1
    return Finding(
        "PUB-1",
        False,
        because=because,
        detail=bilingual(
            f"已公示{publicity.starts_on.isoformat()}–{publicity.ends_on.isoformat()}，"
            f"异议{objections}件",
            f"publicised {publicity.starts_on.isoformat()}–{publicity.ends_on.isoformat()}, "
            f"{objections} objection(s)",
        ),
    )


def fallen_out(batch: Batch, listing_id: UUID, reason: str | None) -> Finding | None:
    """PUB-1 for Rejected: a publicised nominee the list does not take, and why (the reason the
    ministry gives, and the objections raised against it); None for one never publicised."""
    publicity = batch.publicity
    if publicity is None or listing_id not in publicity.nominees:
        return None
    objections = batch.objections_to(listing_id)
    because = (
        EventRef(batch.id, publicity.version),
        *(EventRef(batch.id, o.version) for o in objections),
    )
    raised = "；".join(o.objection for o in objections) or "无"
    return Finding(
        "PUB-1",
        True,
        because=because,
        detail=bilingual(
            f"公示后未列入名单：{reason or '未说明'}（异议：{raised}）",
            f"fell out after the publicity: {reason or 'no reason given'} "
            f"({len(objections)} objection(s))",
        ),
    )


def listing_publicity_findings(
    rulebook: Rulebook, batch: Batch, listing_id: UUID, day: date
) -> tuple[Finding, ...]:
    """PUB-1 for Listed, in a national batch that holds a publicity, under a rulebook with one.
    A batch with no publicity records no PUB-1 finding (ADR 0150: the rounds of 13号's first
    years came into the ledger without one)."""
    if batch.level is not Level.NATIONAL or rulebook.publicity_days is None:
        return ()
    if batch.publicity is None:
        return ()
    if not rulebook.enforces("PUB-1"):
        return ()
    return (publicised_before_listing(rulebook, batch, listing_id, day),)


def rejection_publicity_findings(
    batch: Batch, listing_id: UUID, reasons: Mapping[UUID, str] | Mapping[str, str] | None
) -> tuple[Finding, ...]:
    """PUB-1 for Rejected: why a publicised nominee fell out; its reason must be given. The
    reasons are keyed by listing id (as stored in Batch.Published: its string)."""
    given = {str(k): v for k, v in (reasons or {}).items()}
    reason = given.get(str(listing_id))
    finding = fallen_out(batch, listing_id, reason)
    if finding is None:
        return ()
    if not reason or not reason.strip():
        raise InvalidInputError(
            "rejection_reasons",
            f"{listing_id} was publicised: say why it is not listed (公示后未列入名单须说明理由)",
        )
    return (finding,)


def refuse_outside_publicity(rulebook: Rulebook, finding: Finding) -> None:
    """An objection outside the publicity, or against a unit not publicised, is refused."""
    if finding.applies:
        version = rulebook.version if rulebook.enforces("PUB-1") else "2024"
        raise RuleRefusalError(
            "PUB-1",
            rule("PUB-1", version).citation,
            f"objection refused under rulebook {rulebook.version}: {finding.detail}",
            findings=(finding,),
            rulebook=rulebook.version,
        )


def refuse_unpublicised(rulebook: Rulebook, batch: Batch, findings: tuple[Finding, ...]) -> None:
    """PUB-1 refuses a listing in a batch that holds a publicity: a unit not publicised in it,
    or listed on or before the window's last day. A batch with no publicity at all is not
    refused (ADR 0150)."""
    if batch.publicity is None or not rulebook.bars_with("PUB-1"):
        return
    refusing = tuple(f for f in findings if f.rule_id == "PUB-1" and f.applies)
    if refusing:
        raise RuleRefusalError(
            "PUB-1",
            rule("PUB-1", rulebook.version).citation,
            f"listing refused under rulebook {rulebook.version}: {refusing[0].detail}",
            findings=refusing,
            rulebook=rulebook.version,
        )
