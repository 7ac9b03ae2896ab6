"""Every rule of every rulebook version cites the text as it is divided (regulation.md,
"Corrections and precisions (2026-12)"): a division the instrument has, or a part or the whole
instrument marked unverified — never an item the text does not have, never a guessed article."""

from __future__ import annotations

import re

import pytest

from domain.rules import RULEBOOKS, Rulebook
from domain.rules.catalogue import READINGS, RULES, rule
from domain.rules.instruments import (
    ARTICLE_UNVERIFIED,
    INSTRUMENTS,
    N2022,
    N2024,
    UNVERIFIED,
    citation,
)

ARTICLE = re.compile(r"第[一二三四五六七八九十百]+条")

#: How many rules each version reads, hence how many citations the walk below checks.
#: 2024: REC-2 (chosen from the provincial lists), REC-3 (31 July) and PUB-1 (publicity) join
#: with 13号; 2025 reads them too (REC-2 anew from 390号).
RULES_PER_VERSION = {"2016": 0, "2020": 2, "2022": 21, "2024": 24, "2025": 25}


def cited_division(cited: str) -> tuple[str, str, str]:
    """A citation taken apart: the instrument, the division, and the mark it carries."""
    for doc_no in INSTRUMENTS:
        if cited.startswith(doc_no):
            rest = cited[len(doc_no) :]
            for mark in (ARTICLE_UNVERIFIED, UNVERIFIED):
                if rest.endswith(mark):
                    return doc_no, rest[: -len(mark)].strip(), mark
            return doc_no, rest.strip(), ""
    raise AssertionError(f"{cited!r} names no instrument of the table")


def assert_cites_a_real_division(cited: str) -> None:
    doc_no, division, mark = cited_division(cited)
    instrument = INSTRUMENTS[doc_no]
    if mark == "":
        assert division, cited
        assert instrument.has(division), cited
    elif mark == ARTICLE_UNVERIFIED:
        assert division in instrument.parts, cited
    else:
        assert division == "", f"{cited}: a division not in the table, only marked unverified"
    articles = ARTICLE.findall(division)
    assert all(article in instrument.divisions for article in articles), cited


def version_readings() -> list[tuple[Rulebook, str]]:
    return [(book, rule_id) for book in RULEBOOKS for rule_id in RULES if book.enforces(rule_id)]


@pytest.mark.parametrize(
    ("book", "rule_id"), version_readings(), ids=lambda v: v if isinstance(v, str) else v.version
)
def test_every_rule_of_every_version_cites_a_division_the_text_has(
    book: Rulebook, rule_id: str
) -> None:
    assert_cites_a_real_division(rule(rule_id, book.version).citation)


def test_the_walk_checks_each_version_rule_by_rule() -> None:
    counted = {
        book.version: sum(1 for b, _ in version_readings() if b is book) for book in RULEBOOKS
    }

    assert counted == RULES_PER_VERSION
    assert sum(counted.values()) == 72
    assert len(READINGS) == 33  # 27 rules, six of them read anew by a later instrument
    assert len(RULES) == 27


@pytest.mark.parametrize(
    ("doc_no", "guess"),
    [
        (N2022, "二（二）"),  # section 二 has no items
        (N2022, "二、动态管理要求（三）"),
        (N2022, "三（六）"),
        (N2024, "第十五条"),  # the removal provisions: article unverified
        (N2024, "第十四条"),
    ],
)
def test_a_division_the_text_is_not_known_to_have_cannot_be_cited(doc_no: str, guess: str) -> None:
    with pytest.raises(ValueError, match="not known to have"):
        citation(doc_no, guess)


@pytest.mark.parametrize(
    ("rule_id", "version", "cited"),
    [
        ("NEG-6", "2022", "工信厅节函〔2022〕235号 一 第二段"),
        ("PARK-1", "2022", "工信厅节函〔2022〕235号 一（三）"),
        ("DYN-1", "2022", "工信厅节函〔2022〕235号 二 第一段"),
        ("DYN-3", "2022", "工信厅节函〔2022〕235号 二 第二段"),
        ("EVAL-2", "2022", "工信厅节函〔2022〕235号 三 第一段"),
        ("EVAL-4", "2022", "工信厅节函〔2022〕235号 三 末段"),
        ("EVAL-4", "2024", "工信部节〔2024〕13号 第二十条"),
        ("FAC-1", "2024", "工信部节〔2024〕13号 第十条"),
        ("DYN-4", "2024", "工信部节〔2024〕13号 第四章 动态管理" + ARTICLE_UNVERIFIED),
        ("DYN-3", "2020", "工信厅节函〔2020〕30号" + UNVERIFIED),
        ("REC-1", "2022", "工信厅节函〔2023〕202号" + UNVERIFIED),
        ("REC-1", "2025", "工信厅节函〔2025〕390号" + UNVERIFIED),
    ],
)
def test_the_corrected_rules_cite_the_paragraph_item_or_article_they_come_from(
    rule_id: str, version: str, cited: str
) -> None:
    assert rule(rule_id, version).citation == cited


def test_no_reading_cites_an_item_of_section_2_of_the_2022_notice() -> None:
    cited = [r.citation for r in READINGS if r.instrument == N2022]

    assert not [c for c in cited if re.search(r"二（", c)]
