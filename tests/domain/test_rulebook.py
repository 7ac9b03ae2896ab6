"""The rulebook as a whole: every rule cited and stated, versions chosen by date, parameters."""

from __future__ import annotations

import re
from datetime import date

import pytest

from domain.errors import UnknownCodeError
from domain.rules import RULEBOOKS, rulebook_for, rulebook_named
from domain.rules.catalogue import READINGS, RULES, Rule, rule
from domain.rules.decisions import RULE_FUNCTIONS
from domain.rules.rulebook import FactoryEvidence
from domain.values import Category

HAN = re.compile(r"[\u4e00-\u9fff]")
INSTRUMENT = re.compile(r"^工信(厅节函|部节)〔\d{4}〕\d+号$")


@pytest.mark.parametrize("reading", READINGS, ids=lambda r: f"{r.id}-{r.since}")
def test_every_reading_of_a_rule_has_a_citation_and_both_statements(reading: Rule) -> None:
    assert INSTRUMENT.match(reading.instrument)
    assert reading.citation.startswith(reading.instrument)
    assert HAN.search(reading.statement_zh)
    assert reading.statement_en.isascii()
    assert len(reading.statement_en.split()) >= 5
    versions = {book.version for book in RULEBOOKS}
    assert reading.since in versions
    assert reading.until is None or reading.until in versions


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_no_two_readings_of_a_rule_hold_in_the_same_version(rule_id: str) -> None:
    for book in RULEBOOKS:
        holding = [r for r in READINGS if r.id == rule_id and r.reads_in(book.version)]
        assert len(holding) <= 1, (rule_id, book.version)


def test_every_rule_but_the_work_report_has_a_function() -> None:
    assert set(RULES) - set(RULE_FUNCTIONS) == {"EVAL-5"}
    assert set(RULE_FUNCTIONS) <= set(RULES)


def test_an_unknown_rule_is_refused_naming_the_field() -> None:
    with pytest.raises(UnknownCodeError) as refused:
        rule("NEG-9")

    assert refused.value.field == "rule_id"


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (date(2017, 8, 23), "2016"),
        (date(2020, 2, 29), "2016"),
        (date(2020, 3, 1), "2020"),
        (date(2022, 9, 15), "2020"),
        (date(2022, 9, 16), "2022"),
        (date(2024, 1, 5), "2022"),  # the 2023年度 list (384号): before 13号 was published
        (date(2024, 1, 18), "2022"),
        (date(2024, 1, 19), "2024"),  # 13号, in force from its publication
        (date(2025, 9, 30), "2024"),
        (date(2025, 10, 1), "2025"),
    ],
)
def test_the_rulebook_in_force_is_chosen_by_the_effective_date(day: date, version: str) -> None:
    assert rulebook_for(day).version == version


def test_rules_are_in_force_from_their_instrument_on() -> None:
    assert not rulebook_named("2016").enforces("NEG-2")
    assert rulebook_named("2022").enforces("NEG-2")
    assert not rulebook_named("2022").enforces("DYN-4")
    assert rulebook_named("2024").enforces("DYN-4")
    assert not rulebook_named("2024").enforces("REC-1")
    assert rulebook_named("2025").enforces("REC-2")


def test_the_2025_rulebook_recommends_factories_and_parks_on_self_evaluation() -> None:
    book = rulebook_named("2025")

    assert book.recommended_in(2025) == frozenset({Category.GREEN_FACTORY, Category.GREEN_PARK})
    assert book.factory_evidence is FactoryEvidence.SELF
    assert rulebook_named("2024").factory_evidence is FactoryEvidence.EITHER
    assert rulebook_named("2022").third_party_evaluation_required
