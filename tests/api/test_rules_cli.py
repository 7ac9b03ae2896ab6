"""`greenledger replay` and `greenledger dynamic-management close-year` on a real SQLite ledger."""

from __future__ import annotations

from datetime import date
from typing import Any

from typer.testing import CliRunner

from api.cli.main import app
from domain.ledger import Ledger
from tests.builders import by_province, listed_factory, stored_event_count
from tests.domain.rule_ledger import alter_stored_state


def _greenledger(database_url: str, *args: str) -> Any:
    return CliRunner().invoke(app, list(args), env={"GREENLEDGER_DATABASE_URL": database_url})


def _ledger_with_a_removal(url: str) -> int:
    """A listed factory flagged by a grave accident (235号: reported, for the ministry to remove);
    the flag's position."""
    with Ledger.open(url) as ledger:
        unit = listed_factory(ledger)
        removal = ledger.record_incident(
            unit.enterprise_id,
            kind="safety",
            grade="grave",
            occurred_on=date(2023, 5, 1),
            source="credit_china",
            provenance=by_province(date(2023, 5, 3)),
        )
    assert removal.position is not None
    return removal.position


def test_replay_of_a_consistent_ledger_counts_its_decisions_and_exits_zero(
    sqlite_url: str,
) -> None:
    _ledger_with_a_removal(sqlite_url)

    result = _greenledger(sqlite_url, "replay")

    assert result.exit_code == 0, result.output
    assert "检查决定 decisions checked: 3" in result.output
    assert "一致 consistent" in result.output


def test_replay_of_an_altered_decision_exits_one_and_shows_where(sqlite_url: str) -> None:
    position = _ledger_with_a_removal(sqlite_url)

    def deny(document: dict[str, Any]) -> None:
        document["rule_findings"][0]["_data_"]["applies"] = False

    alter_stored_state(sqlite_url, position, deny)

    result = _greenledger(sqlite_url, "replay")

    assert result.exit_code == 1
    assert "不一致 mismatches: 1" in result.output
    assert "Listing.Flagged" in result.output
    assert (
        "记录 recorded:      规则版本 rulebook 2022: DYN-3 不适用 does not apply" in result.output
    )
    assert "重新推导 re-derived: 规则版本 rulebook 2022: DYN-3 适用 applies" in result.output


def test_replay_known_at_an_instant_before_the_ledger_checks_nothing(sqlite_url: str) -> None:
    _ledger_with_a_removal(sqlite_url)

    result = _greenledger(sqlite_url, "replay", "--known-at", "2020-01-01T00:00:00+08:00")

    assert result.exit_code == 0, result.output
    assert "检查决定 decisions checked: 0" in result.output


def test_closing_a_year_prints_what_it_recorded_and_a_second_run_records_nothing(
    sqlite_url: str,
) -> None:
    with Ledger.open(sqlite_url) as ledger:
        listed_factory(ledger)

    first = _greenledger(
        sqlite_url, "dynamic-management", "close-year", "2023", "--effective-on", "2024-05-06"
    )
    with Ledger.open(sqlite_url) as ledger:
        events = stored_event_count(ledger)
    second = _greenledger(
        sqlite_url, "dynamic-management", "close-year", "2023", "--effective-on", "2024-05-07"
    )

    assert first.exit_code == 0, first.output
    assert "截止 deadline 2024-04-15" in first.output
    assert "新记录逾期 overdue recorded: 1" in first.output
    assert second.exit_code == 0, second.output
    assert "新记录逾期 overdue recorded: 0" in second.output
    with Ledger.open(sqlite_url) as ledger:
        assert stored_event_count(ledger) == events


def test_closing_a_year_before_its_deadline_is_refused_naming_the_rule(sqlite_url: str) -> None:
    result = _greenledger(
        sqlite_url, "dynamic-management", "close-year", "2023", "--effective-on", "2024-04-15"
    )

    assert result.exit_code == 2
    assert "DYN-1" in result.output
