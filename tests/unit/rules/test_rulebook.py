"""The rulebook as a whole: every rule cited and stated, versions chosen by date, parameters."""

from __future__ import annotations

import re
from datetime import date

import pytest

from domain.errors import UnknownCodeError
from domain.rules import RULEBOOKS, rulebook_for, rulebook_named
from domain.rules.catalogue import RULES, rule
from domain.rules.decisions import RULE_FUNCTIONS
from domain.values import Category

HAN = re.compile(r"[\u4e00-\u9fff]")
INSTRUMENT = re.compile(r"^工信(厅节函|部节)〔\d{4}〕\d+号$")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_has_a_citation_and_both_statements(rule_id: str) -> None:
    the_rule = rule(rule_id)

    assert INSTRUMENT.match(the_rule.instrument)
    assert the_rule.article.strip()
    assert the_rule.citation == f"{the_rule.instrument} {the_rule.article}"
    assert HAN.search(the_rule.statement_zh)
    assert the_rule.statement_en.isascii()
    assert len(the_rule.statement_en.split()) >= 5
    assert the_rule.since in {book.version for book in RULEBOOKS}


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
        (date(2022, 9, 15), "2016"),
        (date(2022, 9, 16), "2022"),
        (date(2023, 12, 31), "2022"),
        (date(2024, 1, 1), "2024"),
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

    assert book.recommended_categories == {Category.GREEN_FACTORY, Category.GREEN_PARK}
    assert not book.third_party_evaluation_required
    assert rulebook_named("2024").third_party_evaluation_required
