"""Typed dispatch: every view of the read side, and the replay, handles each event class of the
ledger or ignores it by name (design.md, style.md: dispatch by `match`).

Each dispatch matches on `domain.events.LedgerEvent` and ends in `case _:` with `assert_never`
or a function whose parameter is the union of what it ignores, so mypy refuses one that forgets
a class; at run time the ignoring function refuses a class it does not name.
"""

from __future__ import annotations

import ast
from typing import Any

import pytest

from domain.events import (
    AGGREGATES,
    EVERY_EVENT,
    LISTING_EVENTS,
    EventNotHandledError,
    check_ignored,
)
from domain.facts import Fact
from domain.replay import replay
from tests.integration.readside.conftest import ReadSide
from tests.integration.readside.scenarios import every_kind_of_fact
from tests.paths import REPOSITORY

#: The functions that dispatch on an event's type, by module.
DISPATCHES = {
    "readside/listings/projection.py": ("process_event",),
    "readside/enterprises/projection.py": ("process_event",),
    "readside/assessors/projection.py": ("process_event",),
    "readside/decisions/projection.py": ("process_event",),
    "readside/timeline/summaries.py": ("_summarise_listing_event",),
    "readside/engine/page.py": ("_context",),
    "domain/replay.py": ("decision", "rederive"),
}


def declared_event_classes() -> set[type]:
    """Every event class the aggregates declare (their nested facts)."""
    return {
        value
        for aggregate in AGGREGATES
        for value in vars(aggregate).values()
        if isinstance(value, type) and issubclass(value, Fact)
    }


def test_the_ledgers_event_union_holds_every_event_class_the_aggregates_declare() -> None:
    assert set(EVERY_EVENT) == declared_event_classes()
    # 34, with the publicity (2, ADR 0150), the green codes (4, ADR 0151) and the re-benchmark
    # (3, ADR 0152), the evaluations cited and confirmed (2, ADR 0110)
    assert len(EVERY_EVENT) == len(set(EVERY_EVENT)) == 45


def test_every_view_and_the_replay_take_every_kind_of_event_the_ledger_records(
    read_side: ReadSide,
) -> None:
    every_kind_of_fact(read_side.ledger)
    recorded = {
        type(read_side.ledger.mapper.to_domain_event(n))
        for n in read_side.ledger.recorder.select_notifications(start=None, limit=10_000)
    }

    read_side.catch_up()
    report = replay(read_side.ledger)

    assert recorded == set(EVERY_EVENT)
    assert report.last_position == read_side.ledger.position
    assert report.decisions_checked > 0


def test_an_event_a_dispatch_does_not_name_is_refused(read_side: ReadSide) -> None:
    every_kind_of_fact(read_side.ledger)
    events: list[Any] = [
        read_side.ledger.mapper.to_domain_event(n)
        for n in read_side.ledger.recorder.select_notifications(start=None, limit=10_000)
    ]
    not_a_listings = next(e for e in events if not isinstance(e, LISTING_EVENTS))

    with pytest.raises(EventNotHandledError, match="the listings view neither handles nor"):
        check_ignored("the listings view", not_a_listings, LISTING_EVENTS)


@pytest.mark.parametrize(("module", "functions"), sorted(DISPATCHES.items()))
def test_each_dispatch_ends_by_refusing_what_it_does_not_name(
    module: str, functions: tuple[str, ...]
) -> None:
    """No `case _: pass`: the last case asserts never, or calls the function naming what the
    dispatch ignores (or hands the rest, typed, to another dispatch)."""
    tree = ast.parse((REPOSITORY / module).read_text(encoding="utf-8"))
    found = {
        node.name: node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name in functions
    }

    assert set(found) == set(functions)
    for name, function in found.items():
        last_match = [n for n in ast.walk(function) if isinstance(n, ast.Match)][-1]
        last_case = last_match.cases[-1]
        assert isinstance(last_case.pattern, ast.MatchAs), name
        assert last_case.pattern.pattern is None, name
        calls = [
            call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")
            for statement in last_case.body
            for call in ast.walk(statement)
            if isinstance(call, ast.Call)
        ]
        assert any(
            call in ("assert_never", "_ignore", "_not_a_decision") or call.startswith("_about")
            for call in calls
        ), (name, calls)
