"""A unit looked up by what a user holds in hand (issue 15): its credit code, its present name,
a name it bore before a rename, or an alias; a removed unit says when, why and by which
announcement it was removed."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import InvalidInputError
from domain.values import Reference
from readside.enterprises.lookup import looks_like_credit_code, lookup_units
from tests.builders import VALID_USCC, by_ministry, by_province, nominate, open_batch, publish
from tests.integration.readside.conftest import ReadSide

OLD_NAME = "江苏绿源钢铁有限公司"
NEW_NAME = "江苏绿源新材料集团有限公司"
REMOVAL_NOTICE = Reference(doc_no="工信厅节函〔2024〕88号", title="移出名单的通知")


def renamed_and_removed(read_side: ReadSide) -> tuple[UUID, UUID]:
    """A Jiangsu factory listed on 2023-03-23, renamed on 2023-09-01, known by an alias, and
    removed on 2024-06-30 for falsified data and a refused filing; another still listed."""
    ledger = read_side.ledger
    enterprise = ledger.register_enterprise(
        name=OLD_NAME,
        region="320000",
        uscc=VALID_USCC[0],
        provenance=by_province(date(2022, 9, 20)),
    ).id
    other = ledger.register_enterprise(
        name="江苏蓝天纺织有限公司", region="320000", provenance=by_province(date(2022, 9, 20))
    ).id
    assert enterprise is not None
    assert other is not None
    open_batch(ledger)
    removed, kept = nominate(ledger, enterprise), nominate(ledger, other)
    publish(ledger, [removed, kept])
    ledger.rename_enterprise(enterprise, name=NEW_NAME, provenance=by_province(date(2023, 9, 1)))
    ledger.record_alias(enterprise, alias="绿源钢铁", provenance=by_province(date(2023, 9, 2)))
    ledger.remove_listing(
        removed,
        reasons=["falsified_data", "refused_filing"],
        announcement=REMOVAL_NOTICE,
        provenance=by_ministry(date(2024, 6, 30)),
    )
    read_side.catch_up()
    return enterprise, removed


def test_a_credit_code_finds_the_enterprise_and_its_unit_removed_with_date_reasons_and_notice(
    read_side: ReadSide,
) -> None:
    enterprise, removed = renamed_and_removed(read_side)

    found = lookup_units(read_side.views, uscc=VALID_USCC[0].lower(), on=date(2025, 1, 1))

    (match,) = found.enterprises
    assert (match.enterprise_id, match.name, match.matched_by) == (enterprise, NEW_NAME, "uscc")
    (unit,) = match.units
    assert (unit.listing_id, unit.status, unit.on_list) == (removed, "removed", False)
    assert unit.removal is not None
    assert unit.removal.removed_on == date(2024, 6, 30)
    assert unit.removal.reasons == ("falsified_data", "refused_filing")
    assert unit.removal.reasons_zh == ("数据造假", "拒不填报动态管理表")
    assert unit.removal.announcement == REMOVAL_NOTICE


def test_the_name_borne_before_a_rename_finds_the_unit_under_its_new_name(
    read_side: ReadSide,
) -> None:
    enterprise, _ = renamed_and_removed(read_side)

    found = lookup_units(read_side.views, name=OLD_NAME, on=date(2024, 1, 1))
    by_alias = lookup_units(read_side.views, name="绿源钢铁", on=date(2024, 1, 1))

    (match,) = found.enterprises
    assert (match.enterprise_id, match.matched_by, match.former_names) == (
        enterprise,
        "registered",
        (OLD_NAME,),
    )
    (unit,) = match.units
    assert (unit.name, unit.status, unit.removal) == (NEW_NAME, "listed", None)
    assert [e.enterprise_id for e in by_alias.enterprises] == [enterprise]


def test_a_unit_looked_up_before_its_listing_is_shown_to_signed_in_readers_only(
    read_side: ReadSide,
) -> None:
    renamed_and_removed(read_side)

    public = lookup_units(read_side.views, uscc=VALID_USCC[0], on=date(2023, 1, 1))
    signed_in = lookup_units(
        read_side.views, uscc=VALID_USCC[0], on=date(2023, 1, 1), published_only=False
    )

    assert public.enterprises == ()
    assert [u.status for e in signed_in.enterprises for u in e.units] == ["nominated"]


@pytest.mark.parametrize(
    ("asked", "field"),
    [({}, "uscc"), ({"uscc": VALID_USCC[0], "name": "x"}, "uscc"), ({"uscc": "123"}, "uscc")],
)
def test_a_lookup_needs_exactly_one_valid_key(
    read_side: ReadSide, asked: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        lookup_units(read_side.views, uscc=asked.get("uscc"), name=asked.get("name"))

    assert refused.value.field == field


def test_a_credit_code_typed_in_a_search_box_is_told_from_a_name() -> None:
    assert looks_like_credit_code(f" {VALID_USCC[1].lower()} ")
    assert not looks_like_credit_code("江苏绿源钢铁有限公司")
    assert not looks_like_credit_code("91350200776049653B")  # the check character is wrong
