"""An evaluation a province cites counts toward its assessor's cap (EVAL-4) only once the
assessor confirms it (issue 16, finding 6; ADR 0110).

Before: fifteen nominations of one province, each citing an assessor's evaluation, counted
fifteen evaluations against the assessor; its own genuine report was then refused (EVAL-4).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.errors import EvaluationNotFoundError, InvalidInputError, RuleRefusalError
from domain.ledger import Ledger
from domain.values import Level, Reference
from tests.builders import by_assessor, by_ministry, confirm_citations, stored_event_count
from tests.unit.rules.rule_ledger import (
    SELF_EVALUATION,
    enterprise,
    evaluation,
    evaluator,
    nominate,
)

NOMINATED_ON = date(2022, 10, 20)
CONFIRMED_ON = date(2022, 10, 25)


def open_round(ledger: Ledger) -> None:
    ledger.open_batch(level="national", batch_year=2022, provenance=by_ministry(date(2022, 9, 16)))


def cited_fifteen_times(ledger: Ledger, assessor_id: UUID) -> list[UUID]:
    """Fifteen nominations of Jiangsu, each citing an evaluation by the assessor."""
    return [
        nominate(
            ledger,
            enterprise(ledger, f"江苏引用评价{number}有限公司"),
            self_evaluation=SELF_EVALUATION,
            third_party_evaluation=evaluation(assessor_id, number),
        )
        for number in range(15)
    ]


def report(ledger: Ledger, assessor_id: UUID, listing_id: UUID, number: int) -> int | None:
    return ledger.report_evaluation(
        assessor_id,
        listing_id=listing_id,
        conclusion="pass",
        report=Reference(doc_no=f"自报评价报告-{number}"),
        provenance=by_assessor(assessor_id, CONFIRMED_ON),
    ).position


def test_citations_never_confirmed_do_not_exhaust_the_cap(ledger: Ledger) -> None:
    open_round(ledger)
    assessor_id = evaluator(ledger, 1)
    cited_fifteen_times(ledger, assessor_id)
    genuine = nominate(ledger, enterprise(ledger, "江苏真实委托有限公司"))

    position = report(ledger, assessor_id, genuine, 99)

    assert position is not None
    assessor = ledger.get_assessor(assessor_id)
    assert [e.listing_id for e in assessor.evaluations] == [genuine]
    assert len(assessor.cited) == 15
    assert ledger.get_batch(Level.NATIONAL, 2022).evaluations_by(assessor.group_key) == 1


def test_a_confirmed_citation_counts_and_the_sixteenth_confirmation_is_refused(
    ledger: Ledger,
) -> None:
    open_round(ledger)
    assessor_id = evaluator(ledger, 1)
    cited = cited_fifteen_times(ledger, assessor_id)
    extra = nominate(
        ledger,
        enterprise(ledger, "江苏第十六个有限公司"),
        self_evaluation=SELF_EVALUATION,
        third_party_evaluation=evaluation(assessor_id, 15),
    )
    extra_id = next(
        i for i, c in ledger.get_assessor(assessor_id).cited.items() if c.listing_id == extra
    )
    pending = {
        i: c for i, c in ledger.get_assessor(assessor_id).cited.items() if c.listing_id in cited
    }
    for evaluation_id in pending:
        ledger.confirm_evaluation(
            assessor_id, evaluation_id, provenance=by_assessor(assessor_id, CONFIRMED_ON)
        )
    events = stored_event_count(ledger)

    with pytest.raises(RuleRefusalError) as refused:
        ledger.confirm_evaluation(
            assessor_id, extra_id, provenance=by_assessor(assessor_id, CONFIRMED_ON)
        )

    assert refused.value.rule_id == "EVAL-4"
    assert len(refused.value.findings[0].because) == 15
    assert stored_event_count(ledger) == events
    assert ledger.get_batch(Level.NATIONAL, 2022).evaluations_by(f"assessor:{assessor_id}") == 15


def test_a_confirmation_again_writes_nothing_and_an_unknown_one_is_not_found(
    ledger: Ledger,
) -> None:
    open_round(ledger)
    assessor_id = evaluator(ledger, 1)
    nominate(
        ledger,
        enterprise(ledger, "江苏确认两次有限公司"),
        self_evaluation=SELF_EVALUATION,
        third_party_evaluation=evaluation(assessor_id, 1),
    )
    (evaluation_id,) = ledger.get_assessor(assessor_id).cited
    assert confirm_citations(ledger, assessor_id, CONFIRMED_ON) == 1
    (confirmed,) = ledger.get_assessor(assessor_id).evaluations
    events = stored_event_count(ledger)

    again = ledger.confirm_evaluation(
        assessor_id, evaluation_id, provenance=by_assessor(assessor_id, CONFIRMED_ON)
    )

    assert not again.written
    assert stored_event_count(ledger) == events
    with pytest.raises(EvaluationNotFoundError):
        ledger.confirm_evaluation(
            assessor_id, uuid4(), provenance=by_assessor(assessor_id, CONFIRMED_ON)
        )
    other = evaluator(ledger, 2)
    with pytest.raises(EvaluationNotFoundError):  # another assessor's evaluation is not its own
        ledger.confirm_evaluation(other, evaluation_id, provenance=by_assessor(other, CONFIRMED_ON))
    assert confirmed.conclusion.value == "pass"


def test_a_confirmation_before_the_citation_or_while_blacklisted_is_refused(
    ledger: Ledger,
) -> None:
    open_round(ledger)
    assessor_id = evaluator(ledger, 1)
    nominate(
        ledger,
        enterprise(ledger, "江苏先后有限公司"),
        self_evaluation=SELF_EVALUATION,
        third_party_evaluation=evaluation(assessor_id, 1),
    )
    (evaluation_id,) = ledger.get_assessor(assessor_id).cited
    with pytest.raises(InvalidInputError) as early:
        ledger.confirm_evaluation(
            assessor_id, evaluation_id, provenance=by_assessor(assessor_id, date(2022, 10, 1))
        )
    assert early.value.field == "effective_on"
    ledger.blacklist_assessor(
        assessor_id, reason="评价报告弄虚作假", provenance=by_ministry(date(2022, 10, 21))
    )

    with pytest.raises(RuleRefusalError) as barred:
        ledger.confirm_evaluation(
            assessor_id, evaluation_id, provenance=by_assessor(assessor_id, CONFIRMED_ON)
        )

    assert barred.value.rule_id == "EVAL-2"
    assert ledger.get_assessor(assessor_id).evaluations == ()
