"""A recommendation round (推荐批次): a numbered batch 1–5 or a yearly round named by its year."""

from __future__ import annotations

import pytest

from domain.errors import InvalidBatchYearError
from domain.values import Round, batch_label, batch_label_en


@pytest.mark.parametrize("number", [1, 5, 2016, 2021, 2100])
def test_a_numbered_batch_or_a_year_from_2016_is_a_round(number: int) -> None:
    assert Round.of(number).number == number


@pytest.mark.parametrize("number", [0, 6, 2015, 2101, -1])
def test_a_number_that_is_neither_is_refused_naming_the_field(number: int) -> None:
    with pytest.raises(InvalidBatchYearError) as refused:
        Round.of(number, "year")

    assert refused.value.field == "year"


def test_a_numbered_batch_has_no_year_and_a_yearly_round_is_its_year() -> None:
    assert Round(3).year is None
    assert Round(2021).year == 2021


def test_every_round_up_to_a_year_begins_with_the_numbered_batches() -> None:
    assert [r.number for r in Round.every(2018)] == [1, 2, 3, 4, 5, 2016, 2017, 2018]


def test_a_round_reads_as_the_notices_name_it() -> None:
    assert (batch_label(2), batch_label_en(2)) == ("第二批", "batch 2")
    assert (batch_label(2021), batch_label_en(2021)) == ("2021年度", "2021 round")
