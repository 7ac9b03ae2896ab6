"""The standing a certificate states, folded from decoded events alone (seal/standing.py)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from domain.listing import listing_id_for
from domain.values import Category, Level
from seal.certificates import Subject
from seal.standing import StandingNotProvenError, fold_standing, statement_of

ENTERPRISE = UUID("1b77b0fa-524f-5226-b26c-b5183638cafb")
LISTING = listing_id_for(ENTERPRISE, Category.GREEN_PARK, Level.NATIONAL, None)
SUBJECT = Subject(LISTING, ENTERPRISE, Category.GREEN_PARK, Level.NATIONAL, None)
NOTICE = {"doc_no": "工信厅节函〔2018〕341号", "title": None, "url": None, "sha256": None}


def registered(name: str = "江苏省某经济开发区") -> tuple[str, str, int, dict[str, Any]]:
    state = {"effective_on": "2017-01-01", "name": name, "region": "320000"}
    return ("Enterprise.Registered", str(ENTERPRISE), 1, state)


def of_listing(
    kind: str, version: int, day: str, **state: Any
) -> tuple[str, str, int, dict[str, Any]]:
    return (f"Listing.{kind}", str(LISTING), version, {"effective_on": day, **state})


LISTED = of_listing("Listed", 2, "2018-02-11", batch_year=2, announcement=NOTICE)
REMOVED = of_listing("Removed", 3, "2018-10-29", reasons=["incident"], announcement=NOTICE)


def test_a_unit_removed_is_off_the_list_from_the_removal_day_on() -> None:
    before = fold_standing(SUBJECT, date(2018, 10, 28), [registered(), LISTED, REMOVED])
    after = fold_standing(SUBJECT, date(2018, 10, 29), [registered(), LISTED, REMOVED])

    assert (before.on_the_list, after.on_the_list) == (True, False)
    assert after.removal_reasons == ("incident",)
    assert (
        "已于2018-10-29移出（发生事故或违法违规行为），依据工信厅节函〔2018〕341号"
        in (statement_of(after)["text_zh"])
    )


def test_a_rescinded_removal_is_as_if_it_had_not_been_whatever_the_rescission_s_date() -> None:
    rescinded = of_listing("RemovalRescinded", 4, "2019-03-01", reason="误移出")

    standing = fold_standing(
        SUBJECT, date(2018, 12, 31), [registered(), LISTED, REMOVED, rescinded]
    )

    assert standing.on_the_list
    assert standing.removed_on is None


def test_a_rename_counts_from_its_effective_day() -> None:
    renamed = (
        "Enterprise.Renamed",
        str(ENTERPRISE),
        2,
        {"effective_on": "2019-01-01", "name": "新名"},
    )

    earlier = fold_standing(SUBJECT, date(2018, 12, 31), [registered(), renamed, LISTED])
    later = fold_standing(SUBJECT, date(2019, 1, 1), [registered(), renamed, LISTED])

    assert (earlier.name, later.name) == ("江苏省某经济开发区", "新名")


def test_without_the_registration_the_name_is_not_proven() -> None:
    with pytest.raises(StandingNotProvenError, match="registration"):
        fold_standing(SUBJECT, date(2019, 1, 1), [LISTED])


def test_a_unit_not_yet_listed_on_the_date_is_not_on_the_list() -> None:
    standing = fold_standing(SUBJECT, date(2018, 1, 1), [registered(), LISTED])

    assert standing.status == "not_listed"
    assert "此前未被列入" in statement_of(standing)["text_zh"]


def test_a_fictitious_unit_s_certificate_says_so_first() -> None:
    kind, originator, version, state = registered()
    fictitious = (kind, originator, version, {**state, "synthetic": True})

    standing = fold_standing(SUBJECT, date(2019, 1, 1), [fictitious, LISTED])

    assert statement_of(standing)["synthetic"] is True
    assert statement_of(standing)["text_zh"].startswith("【虚构单位，演示数据】截至2019-01-01")
