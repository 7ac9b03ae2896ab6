"""The one storable-text rule (domain/texts.py, ADR 0100), at every door that reaches the ledger:
the rule itself, names compared normalised (NFKC, no invisible characters: finding 7 of issue
16), the ledger's own commands (whatever door calls them), the last check before a save, and the
published-list import, which reports the row refused."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from domain.errors import InvalidInputError
from domain.ledger import Ledger
from domain.loading.importing import import_published_lists
from domain.loading.published_lists import ANNOUNCEMENTS_FILE, read_published_lists
from domain.texts import (
    UnstorableTextError,
    breach,
    check_event_texts,
    clean_text,
    normalise_name,
    storable,
    visible,
)
from domain.values import Provenance, Reference
from tests.builders import by_province, register, stored_event_count
from tests.paths import REPOSITORY

BARRED = "江苏上骐集团有限公司"


@pytest.mark.parametrize(
    "character",
    [
        "\x00",
        "\x01",
        "\x08",
        "\x0b",
        "\x0c",
        "\x1b",
        "\x1f",
        "\x7f",
        "\x80",
        "\x85",
        "\x9f",
        "\u2028",
        "\u2029",
    ],
)
def test_control_characters_are_refused(character: str) -> None:
    found = breach(f"江苏{character}集团")
    assert found is not None
    assert (found.rule, found.at) == ("text.control", 2)


@pytest.mark.parametrize(
    "character",
    [
        "\u00ad",
        "\u061c",
        "\u180e",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2060",
        "\u2061",
        "\u2064",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\ufeff",
        "\u3164",
        "\ufe0f",
        "\U000e0100",
        "\U000e0001",
    ],
)
def test_invisible_and_direction_characters_are_refused(character: str) -> None:
    found = breach(f"江苏{character}集团")
    assert found is not None
    assert found.rule == "text.invisible"


@pytest.mark.parametrize("character", ["\ud800", "\ue000", "\U000f0000", "\u0378"])
def test_surrogates_private_use_and_unassigned_are_refused(character: str) -> None:
    found = breach(f"江苏{character}")
    assert found is not None
    assert found.rule == "text.unassigned"


def test_tab_and_line_breaks_only_where_several_lines_are_allowed() -> None:
    assert breach("第一行\n第二行\r\n\t第三行", multiline=True) is None
    for character in "\t\n\r":
        found = breach(f"名称{character}")
        assert found is not None
        assert found.rule == "text.control"


def test_ordinary_chinese_names_and_punctuation_are_storable() -> None:
    for text in [
        "江苏己电子（苏州）有限公司",
        "海信(山东)冰箱有限公司",
        "Ⅰ型 ～ ＜5% ℃ µm²",
        "A&B-1/2",
    ]:
        assert storable(text, "name") == text


def test_an_over_long_text_is_refused_naming_the_field_and_its_maximum() -> None:
    with pytest.raises(UnstorableTextError) as refused:
        clean_text("江" * 201, "product.name", max_length=200)
    assert (refused.value.field, refused.value.rule) == ("product.name", "text.too_long")
    assert "200" in refused.value.reason
    assert clean_text("江" * 200, "name", max_length=200) == "江" * 200


@pytest.mark.parametrize("name", ["", "   ", "\u3000\u3000", "\t \n"])
def test_a_name_empty_after_cleaning_is_refused(name: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        clean_text(name, "name", multiline=True)
    assert refused.value.field == "name"


def test_a_name_of_only_zero_width_spaces_is_refused() -> None:
    with pytest.raises(UnstorableTextError) as refused:
        clean_text("\u200b\u200b\u200b", "name")
    assert refused.value.rule == "text.invisible"


@pytest.mark.parametrize(
    "variant",
    [
        "江苏上骐\u200b集团有限公司",
        "\ufeff江苏上骐集团\u2060有限公司",
        "江苏上骐\u202e集团有限公司",
        "江苏上骐 集团有限公司",
        "江苏上骐\u3000集团有限公司",
    ],
)
def test_names_are_compared_without_invisible_characters_and_spaces(variant: str) -> None:
    assert normalise_name(variant) == normalise_name(BARRED)


def test_names_are_compared_nfkc() -> None:
    assert normalise_name("ＴＣＬ科技（深圳）有限公司") == normalise_name("TCL科技(深圳)有限公司")
    assert normalise_name("江苏Ⅱ型") == normalise_name("江苏II型")
    assert normalise_name("江苏甲") != normalise_name("江苏乙")


def test_visible_writes_refused_characters_as_escapes() -> None:
    assert visible("名称\x1b[2J\u200b\x00") == "名称\\x1b[2J\\u200b\\x00"
    assert visible("江苏省工信厅 节能处") == "江苏省工信厅 节能处"


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("江苏上骐\u200b集团有限公司", "text.invisible"),
        ("江苏\x00上骐", "text.control"),
        ("\u200b", "text.invisible"),
        ("江" * 201, "text.too_long"),
    ],
)
def test_the_ledger_refuses_an_unstorable_name_by_any_door(
    ledger: Ledger, name: str, rule: str
) -> None:
    before = stored_event_count(ledger)

    with pytest.raises(UnstorableTextError) as refused:
        ledger.register_enterprise(
            name=name, region="320000", provenance=by_province(date(2022, 9, 20))
        )

    assert (refused.value.field, refused.value.rule) == ("name", rule)
    assert stored_event_count(ledger) == before


def test_the_ledger_refuses_an_unstorable_alias_reason_note_and_reference(ledger: Ledger) -> None:
    enterprise = register(ledger, BARRED)
    before = stored_event_count(ledger)
    day = date(2022, 10, 1)

    with pytest.raises(UnstorableTextError) as alias:
        ledger.record_alias(enterprise, alias="江苏上骐\u200c集团", provenance=by_province(day))
    with pytest.raises(UnstorableTextError) as note:
        ledger.rename_enterprise(
            enterprise, name="江苏上骐控股集团", provenance=by_province(day, note="注\x00")
        )
    with pytest.raises(UnstorableTextError) as title:
        ledger.rename_enterprise(
            enterprise,
            name="江苏上骐控股集团",
            provenance=Provenance("province:320000", day, (Reference(title="通知\u202e"),)),
        )

    assert (alias.value.field, note.value.field) == ("alias", "note")
    assert title.value.field.startswith("basis")
    assert stored_event_count(ledger) == before


def test_the_last_check_before_a_save_names_the_events_field() -> None:
    class Event:
        def __init__(self) -> None:
            self.originator_id = "x"
            self.name = "好名称"
            self.basis = (Reference(title="通知\x00"),)

    with pytest.raises(UnstorableTextError) as refused:
        check_event_texts([Event()])

    assert refused.value.field == "basis[0].title"
    assert refused.value.rule == "text.control"


def test_the_last_check_names_the_key_of_a_mapping_whose_key_or_value_is_refused() -> None:
    class Event:
        def __init__(self, indicators: dict[str, object]) -> None:
            self.originator_id = "x"
            self.indicators = indicators

    check_event_texts([Event({"energy": ["好", 1, None, {"unit": "吨"}]})])  # every value passes
    with pytest.raises(UnstorableTextError) as bad_value:
        check_event_texts([Event({"energy": ["好", {"unit": "吨\x00"}]})])
    with pytest.raises(UnstorableTextError) as bad_key:
        check_event_texts([Event({"energy\u200b": 1})])

    assert bad_value.value.field == "indicators.energy[1].unit"
    assert bad_key.value.field == "indicators.energy\u200b"


def test_a_published_list_row_with_nul_or_invisible_characters_is_reported_and_not_stored(
    ledger: Ledger, tmp_path: Path
) -> None:
    directory = tmp_path / "lists"
    directory.mkdir()
    shipped = REPOSITORY / "data" / "published-lists"
    shutil.copy(shipped / ANNOUNCEMENTS_FILE, directory / ANNOUNCEMENTS_FILE)
    (directory / "green_factories.csv").write_text(
        "序号,地区,工厂名称,行业,第三方评价机构,批次\n"
        "1,江苏,江苏甲钢铁有限公司,钢铁,某评价机构,1\n"
        "2,江苏,江苏乙\x00钢铁有限公司,钢铁,某评价机构,1\n"
        "3,江苏,江苏丙\u200b钢铁有限公司,钢铁,某评价机构,1\n"
        f"4,江苏,江苏{'丁' * 200}有限公司,钢铁,某评价机构,1\n",
        encoding="utf-8",
    )

    report = import_published_lists(ledger, read_published_lists(directory))

    rejected = {(r.file, r.line): r.reason for r in report.rejected}
    assert set(rejected) == {("green_factories.csv", line) for line in (3, 4, 5)}
    assert "text.control" in rejected[("green_factories.csv", 3)]
    assert "text.invisible" in rejected[("green_factories.csv", 4)]
    assert "「工厂名称」过长（至多 200 个字符）" in rejected[("green_factories.csv", 5)]
    assert report.imported == 1
