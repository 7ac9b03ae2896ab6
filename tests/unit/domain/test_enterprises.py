"""Registering enterprises: identity by credit code or by region + name, renames, credit codes."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import (
    EffectiveDateOrderError,
    EnterpriseIdentityConflictError,
    InvalidUsccError,
    UnknownRegionError,
)
from domain.ledger import Ledger
from tests.builders import JIANGSU, VALID_USCC, by_province, stored_event_count


def test_registering_the_same_enterprise_twice_returns_its_id_and_writes_nothing(
    ledger: Ledger,
) -> None:
    first = ledger.register_enterprise(
        name="江苏绿源钢铁（集团）有限公司",
        region=JIANGSU,
        provenance=by_province(date(2022, 1, 5)),
    )
    events = stored_event_count(ledger)

    again = ledger.register_enterprise(
        name="江苏绿源钢铁(集团)有限公司 ", region=JIANGSU, provenance=by_province(date(2022, 2, 1))
    )

    assert again.id == first.id
    assert again.position is None
    assert stored_event_count(ledger) == events == 1


def test_an_enterprise_registered_by_name_is_found_by_the_credit_code_assigned_later(
    ledger: Ledger,
) -> None:
    by_name = ledger.register_enterprise(
        name="厦门某某科技有限公司", region="350200", provenance=by_province(date(2022, 1, 5))
    )

    with_code = ledger.register_enterprise(
        name="厦门某某科技有限公司",
        region="350200",
        uscc=VALID_USCC[0],
        provenance=by_province(date(2022, 3, 1)),
    )
    by_code_only = ledger.find_enterprise_by_uscc(VALID_USCC[0])

    assert with_code.id == by_name.id
    assert by_code_only is not None
    assert by_code_only.id == by_name.id
    assert str(ledger.get_enterprise(by_name.id).uscc) == VALID_USCC[0]


def test_a_credit_code_of_another_enterprise_is_refused(ledger: Ledger) -> None:
    ledger.register_enterprise(
        name="甲公司", region=JIANGSU, uscc=VALID_USCC[0], provenance=by_province(date(2022, 1, 5))
    )
    other = ledger.register_enterprise(
        name="乙公司", region=JIANGSU, uscc=VALID_USCC[1], provenance=by_province(date(2022, 1, 5))
    )
    assert other.id is not None
    events = stored_event_count(ledger)

    with pytest.raises(EnterpriseIdentityConflictError):
        ledger.assign_credit_code(
            other.id, uscc=VALID_USCC[0], provenance=by_province(date(2022, 2, 1))
        )

    assert stored_event_count(ledger) == events


def test_a_renamed_enterprise_is_found_by_its_old_and_new_names(ledger: Ledger) -> None:
    receipt = ledger.register_enterprise(
        name="旧名有限公司", region=JIANGSU, provenance=by_province(date(2022, 1, 5))
    )
    assert receipt.id is not None

    ledger.rename_enterprise(
        receipt.id, name="新名有限公司", provenance=by_province(date(2023, 1, 1))
    )

    enterprise = ledger.get_enterprise(receipt.id)
    assert enterprise.name == "新名有限公司"
    assert enterprise.name_on(date(2022, 6, 1)) == "旧名有限公司"
    for name in ("旧名有限公司", "新名有限公司"):
        found = ledger.find_enterprise(region=JIANGSU, name=name)
        assert found is not None
        assert found.id == receipt.id


def test_a_rename_dated_before_the_last_name_change_is_refused(ledger: Ledger) -> None:
    receipt = ledger.register_enterprise(
        name="旧名有限公司", region=JIANGSU, provenance=by_province(date(2022, 1, 5))
    )
    assert receipt.id is not None
    events = stored_event_count(ledger)

    with pytest.raises(EffectiveDateOrderError) as refused:
        ledger.rename_enterprise(
            receipt.id, name="新名有限公司", provenance=by_province(date(2021, 1, 1))
        )

    assert refused.value.field == "effective_on"
    assert stored_event_count(ledger) == events


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("91350203M0001QAY9B", "check character should be '9'"),
        ("9135020377604965", "18 characters"),
        ("91350200776049653I", "outside GB 32100"),
    ],
)
def test_a_malformed_credit_code_is_refused_naming_the_field(
    ledger: Ledger, uscc: str, message: str
) -> None:
    with pytest.raises(InvalidUsccError) as refused:
        ledger.register_enterprise(
            name="某公司", region=JIANGSU, uscc=uscc, provenance=by_province(date(2022, 1, 5))
        )

    assert refused.value.field == "uscc"
    assert message in str(refused.value)
    assert stored_event_count(ledger) == 0


def test_an_unknown_region_is_refused_naming_the_field(ledger: Ledger) -> None:
    with pytest.raises(UnknownRegionError) as refused:
        ledger.register_enterprise(
            name="某公司", region="999999", provenance=by_province(date(2022, 1, 5))
        )

    assert refused.value.field == "region"
    assert stored_event_count(ledger) == 0


def test_a_fictitious_registration_is_marked_synthetic_in_its_event(ledger: Ledger) -> None:
    receipt = ledger.register_enterprise(
        name="示例江苏青禾精密制造有限公司",
        region=JIANGSU,
        synthetic=True,
        provenance=by_province(date(2022, 9, 20)),
    )
    assert receipt.id is not None

    (registered,) = ledger.repository.event_store.get(receipt.id)

    assert getattr(registered, "synthetic", None) is True
    assert ledger.get_enterprise(receipt.id).synthetic is True


def test_a_fictitious_registration_never_joins_a_real_enterprise_of_that_name(
    ledger: Ledger,
) -> None:
    real = ledger.register_enterprise(
        name="江苏绿源钢铁有限公司", region=JIANGSU, provenance=by_province(date(2017, 8, 23))
    )
    events = stored_event_count(ledger)

    with pytest.raises(EnterpriseIdentityConflictError, match="real"):
        ledger.register_enterprise(
            name="江苏绿源钢铁有限公司",
            region=JIANGSU,
            synthetic=True,
            provenance=by_province(date(2022, 9, 20)),
        )

    assert real.id is not None
    assert ledger.get_enterprise(real.id).synthetic is False
    assert stored_event_count(ledger) == events


def test_an_alias_leads_to_the_enterprise_and_is_recorded_once(ledger: Ledger) -> None:
    park = ledger.register_enterprise(
        name="江苏省某某经济开发区", region=JIANGSU, provenance=by_province(date(2018, 2, 11))
    )
    assert park.id is not None

    recorded = ledger.record_alias(
        park.id, alias="某某经济技术开发区", provenance=by_province(date(2018, 10, 29))
    )
    again = ledger.record_alias(
        park.id, alias="某某经济技术开发区 ", provenance=by_province(date(2018, 10, 30))
    )
    found = ledger.find_enterprise(region=JIANGSU, name="某某经济技术开发区")

    assert recorded.written
    assert not again.written
    assert found is not None
    assert found.id == park.id
    assert found.name == "江苏省某某经济开发区"
    assert found.aliases == ("某某经济技术开发区",)


def test_an_alias_that_names_another_enterprise_is_refused(ledger: Ledger) -> None:
    first = register_in_jiangsu(ledger, "甲开发区")
    register_in_jiangsu(ledger, "乙开发区")

    with pytest.raises(EnterpriseIdentityConflictError):
        ledger.record_alias(first, alias="乙开发区", provenance=by_province(date(2019, 1, 1)))


def register_in_jiangsu(ledger: Ledger, name: str) -> UUID:
    receipt = ledger.register_enterprise(
        name=name, region=JIANGSU, provenance=by_province(date(2018, 2, 11))
    )
    assert receipt.id is not None
    return receipt.id
