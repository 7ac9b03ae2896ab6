"""Set-ups for rule tests through the ledger, and reading back what a decision recorded."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg

from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from domain.values import (
    EvaluationConclusion,
    Finding,
    Indicator,
    Reference,
    ThirdPartyEvaluation,
    uscc_check_character,
)
from tests.builders import JIANGSU, by_ministry, by_province, on_provincial_list

SELF_EVALUATION = Reference(doc_no="自评价报告-2022-001", title="绿色工厂自评价报告")


def credit_code(number: int, prefix: str = "91320000MA") -> str:
    """A valid Unified Social Credit Code, distinct for each number."""
    first17 = f"{prefix}{number:07d}"
    return first17 + uscc_check_character(first17)


def known_after(ledger: Ledger, position: int | None) -> datetime:
    """An instant by which every event up to `position` had been recorded: the latest instant
    its events were made at (one command makes its events in an order of its own)."""
    assert position is not None
    notifications = ledger.recorder.select_notifications(start=None, limit=position, stop=position)
    return max(ledger.recorded_at(n) for n in notifications)


def events_of(ledger: Ledger, aggregate_id: UUID) -> list[Any]:
    """Every stored event of one aggregate, decoded."""
    return list(ledger.repository.event_store.get(aggregate_id))


def findings_of(event: Any) -> dict[str, Finding]:
    return {f.rule_id: f for f in event.rule_findings}


def last_event(ledger: Ledger, aggregate_id: UUID) -> Any:
    return events_of(ledger, aggregate_id)[-1]


def enterprise(
    ledger: Ledger, name: str, region: str = JIANGSU, industry: str | None = None
) -> UUID:
    receipt = ledger.register_enterprise(
        name=name, region=region, industry=industry, provenance=by_province(date(2020, 1, 5))
    )
    assert receipt.id is not None
    return receipt.id


def evaluator(
    ledger: Ledger,
    number: int,
    group: str | None = None,
    senior: int = 6,
    intermediate: int = 8,
    *,
    representative: str | None = None,
) -> UUID:
    receipt = ledger.register_assessor(
        name=f"第三方评价机构{number}",
        uscc=credit_code(number, prefix="91110000MA"),
        group=group,
        senior_staff=senior,
        intermediate_staff=intermediate,
        legal_representative=representative,
        provenance=by_ministry(date(2020, 1, 5)),
    )
    assert receipt.id is not None
    return receipt.id


def evaluation(assessor_id: UUID, number: int = 1) -> ThirdPartyEvaluation:
    return ThirdPartyEvaluation(
        assessor_id, Reference(doc_no=f"评价报告-{number}"), EvaluationConclusion.PASS
    )


def park(level: str = "provincial", share: str = "65") -> dict[str, Any]:
    """The evidence PARK-1 asks of a park: its level and its industrial value-added share."""
    return {
        "park_level": level,
        "indicators": {"industrial_value_added_share": Indicator(Decimal(share), "%")},
    }


def nominate(
    ledger: Ledger,
    enterprise_id: UUID,
    *,
    category: str = "green_factory",
    level: str = "national",
    year: int = 2022,
    day: date = date(2022, 10, 20),
    region: str = JIANGSU,
    **evidence: Any,
) -> UUID:
    receipt = ledger.nominate_listing(
        enterprise_id=enterprise_id,
        category=category,
        level=level,
        batch_year=year,
        provenance=by_province(day, region),
        **evidence,
    )
    assert receipt.id is not None
    return receipt.id


def alter_stored_state(database_url: str, position: int, change: Any) -> None:
    """Rewrite one stored event's state bytes in place, behind the ledger's back."""
    storage = parse_database_url(database_url)
    if storage.kind == "sqlite":
        with sqlite3.connect(str(storage.sqlite_path)) as connection:
            (state,) = connection.execute(
                "SELECT state FROM stored_events WHERE rowid = ?", (position,)
            ).fetchone()
            connection.execute(
                "UPDATE stored_events SET state = ? WHERE rowid = ?",
                (changed_state(state, change), position),
            )
        return
    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT state FROM ledger_events WHERE notification_id = %s", (position,)
        ).fetchone()
        assert row is not None
        connection.execute(
            "UPDATE ledger_events SET state = %s WHERE notification_id = %s",
            (changed_state(bytes(row[0]), change), position),
        )


def changed_state(state: bytes, change: Any) -> bytes:
    document = json.loads(state)
    change(document)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def evaluated(ledger: Ledger, number: int, assessor_id: UUID, year: int, day: date) -> UUID:
    """A national factory nomination citing a third-party evaluation, resting on its provincial
    listing (REC-2 from 13号 on)."""
    applicant = enterprise(ledger, f"江苏评价对象{number}有限公司")
    on_provincial_list(ledger, applicant, day)
    return nominate(
        ledger,
        applicant,
        year=year,
        day=day,
        self_evaluation=SELF_EVALUATION,
        third_party_evaluation=evaluation(assessor_id, number),
    )
