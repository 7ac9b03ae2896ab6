"""Bulk writes: commands checked as ever, saved together a chunk at a time."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import (
    ImportOvertakenError,
    ListingNotNominatedError,
    RuleRefusalError,
)
from domain.ledger import Ledger
from domain.values import ListingStatus
from tests.builders import (
    ANNOUNCEMENT,
    by_ministry,
    by_province,
    nominate,
    open_batch,
    register,
    stored_event_count,
)


def test_commands_in_bulk_see_each_other_and_are_saved_in_chunks(ledger: Ledger) -> None:
    open_batch(ledger)
    before = stored_event_count(ledger)

    with ledger.bulk(commands_per_save=4) as bulk:
        listings = [nominate(ledger, register(ledger, f"企业{i}有限公司")) for i in range(5)]
        in_the_open_chunk = stored_event_count(ledger)

    assert bulk.saves == 3  # 10 commands in chunks of 4, 4 and 2
    # two chunks saved, each of two registrations (1 event) and two nominations (3 events)
    assert in_the_open_chunk == before + 2 * (2 * 1 + 2 * 3)
    assert stored_event_count(ledger) == before + 5 * 4  # Registered + 3 per nomination
    assert bulk.position == ledger.position
    assert {ledger.get_listing(i).status for i in listings} == {ListingStatus.NOMINATED}


def test_a_refused_command_in_bulk_leaves_nothing_of_itself(ledger: Ledger) -> None:
    open_batch(ledger)
    enterprise_id = register(ledger)
    ledger.record_incident(
        enterprise_id,
        kind="dishonest_debtor",
        occurred_on=date(2022, 5, 1),
        source="credit_china",
        provenance=by_ministry(date(2022, 5, 2)),
    )
    other = register(ledger, "另一家有限公司")

    with ledger.bulk(commands_per_save=100):
        with pytest.raises(RuleRefusalError):
            nominate(ledger, enterprise_id)
        accepted = nominate(ledger, other)

    assert ledger.get_enterprise(enterprise_id).listing_ids == ()
    assert ledger.get_listing(accepted).status is ListingStatus.NOMINATED


def test_a_publication_refused_half_way_in_bulk_lists_nobody(ledger: Ledger) -> None:
    open_batch(ledger)
    first = nominate(ledger, register(ledger, "甲有限公司"))
    second = nominate(ledger, register(ledger, "乙有限公司"))
    publish = {
        "level": "national",
        "batch_year": 2022,
        "announcement": ANNOUNCEMENT,
        "provenance": by_ministry(date(2023, 3, 23)),
    }

    with ledger.bulk(commands_per_save=100):
        ledger.publish_batch(listed=[first], **publish)  # type: ignore[arg-type]
        with pytest.raises(ListingNotNominatedError):
            ledger.publish_batch(listed=[second, first], **publish)  # type: ignore[arg-type]

    assert ledger.get_listing(first).status is ListingStatus.LISTED
    assert ledger.get_listing(second).status is ListingStatus.NOMINATED
    assert len(ledger.get_batch(ledger.get_listing(first).level, 2022).publications) == 1


def test_leaving_bulk_by_an_exception_discards_the_unsaved_chunk(ledger: Ledger) -> None:
    before = stored_event_count(ledger)

    def interrupted() -> None:
        with ledger.bulk(commands_per_save=100):
            register(ledger, "甲有限公司")
            raise RuntimeError("the operator pressed Ctrl-C")

    with pytest.raises(RuntimeError):
        interrupted()

    assert stored_event_count(ledger) == before
    assert ledger.find_enterprise(region="320000", name="甲有限公司") is None


def test_a_second_ledger_outside_the_bulk_block_saves_at_once(sql_database_url: str) -> None:
    bulk_writer, other = Ledger.open(sql_database_url), Ledger.open(sql_database_url)

    with bulk_writer.bulk(commands_per_save=100):
        register(bulk_writer, "甲有限公司")
        receipt = other.register_enterprise(
            name="乙有限公司", region="320000", provenance=by_province(date(2022, 9, 20))
        )

        assert receipt.position is not None
        assert stored_event_count(other) == 1

    assert stored_event_count(other) == 2
    bulk_writer.close()
    other.close()


def test_a_bulk_chunk_stores_its_commands_events_in_the_order_of_the_commands(
    ledger: Ledger,
) -> None:
    first, second = register(ledger, "甲有限公司"), register(ledger, "乙有限公司")
    start = ledger.position

    with ledger.bulk(commands_per_save=100):
        for enterprise_id, name in ((first, "甲一"), (second, "乙一"), (first, "甲二")):
            ledger.rename_enterprise(
                enterprise_id, name=f"{name}有限公司", provenance=by_province(date(2023, 1, 1))
            )

    renamed = [
        (n.originator_id, ledger.mapper.to_domain_event(n).name)  # type: ignore[attr-defined]
        for n in ledger.recorder.select_notifications(
            start=start, limit=100, inclusive_of_start=False
        )
        if n.topic.endswith("Renamed")
    ]
    assert renamed == [(first, "甲一有限公司"), (second, "乙一有限公司"), (first, "甲二有限公司")]


def test_a_bulk_reads_what_it_saved_in_earlier_chunks_from_the_cache_as_it_stands(
    sql_database_url: str,
) -> None:
    """Chunk after chunk, a bulk reads its own saved aggregates without asking the store; what it
    reads is what it saved, and the store holds every rename once, in order."""
    ledger = Ledger.open(sql_database_url)
    enterprise_id = register(ledger, "甲有限公司")

    with ledger.bulk(commands_per_save=1) as bulk:
        for n in range(1, 6):
            ledger.rename_enterprise(
                enterprise_id, name=f"甲{n}有限公司", provenance=by_province(date(2023, 1, n))
            )
            assert enterprise_id in bulk.current
            assert ledger.get_enterprise(enterprise_id).name == f"甲{n}有限公司"

    assert bulk.saves == 5
    ledger.close()
    with Ledger.open(sql_database_url) as fresh:
        enterprise = fresh.get_enterprise(enterprise_id)
        assert enterprise.name == "甲5有限公司"
        assert enterprise.version == 6


def test_a_rival_write_during_a_bulk_fails_the_bulk_chunk_and_loses_neither_write(
    sql_database_url: str,
) -> None:
    """A bulk trusts its cache for what it has read; a rival's write to the same aggregate in
    between makes the bulk's save conflict (nothing of its chunk stored), never overwritten."""
    bulk_writer, rival = Ledger.open(sql_database_url), Ledger.open(sql_database_url)
    enterprise_id = register(bulk_writer, "甲有限公司")

    def renames_with_a_rival_between() -> None:
        with bulk_writer.bulk(commands_per_save=1):
            bulk_writer.rename_enterprise(
                enterprise_id, name="甲一有限公司", provenance=by_province(date(2023, 1, 1))
            )
            rival.rename_enterprise(
                enterprise_id, name="乙有限公司", provenance=by_province(date(2023, 2, 1))
            )
            bulk_writer.rename_enterprise(
                enterprise_id, name="甲二有限公司", provenance=by_province(date(2023, 3, 1))
            )

    with pytest.raises(ImportOvertakenError) as refused:
        renames_with_a_rival_between()

    # its first chunk was saved: the refusal does not say "nothing was written"
    assert "any chunks saved before this one stay saved" in str(refused.value)
    assert "nothing was written" not in str(refused.value)

    with Ledger.open(sql_database_url) as fresh:
        enterprise = fresh.get_enterprise(enterprise_id)
        assert enterprise.name == "乙有限公司"
        assert enterprise.version == 3
    # Out of the bulk, the writer reads the store again and sees the rival's write.
    assert bulk_writer.get_enterprise(enterprise_id).name == "乙有限公司"
    bulk_writer.close()
    rival.close()


def test_a_bulk_refused_at_its_first_chunk_writes_nothing_of_it(
    sql_database_url: str,
) -> None:
    """Refused at its first chunk, a bulk has written nothing of its own; its refusal still does
    not say "nothing was written", since a bulk run again (an import's re-run) may follow a run
    that saved chunks."""
    bulk_writer, rival = Ledger.open(sql_database_url), Ledger.open(sql_database_url)
    enterprise_id = register(bulk_writer, "丙有限公司")

    def rename_with_a_rival_before_the_first_save() -> None:
        with bulk_writer.bulk(commands_per_save=2):
            bulk_writer.rename_enterprise(
                enterprise_id, name="丙一有限公司", provenance=by_province(date(2023, 1, 1))
            )
            rival.rename_enterprise(
                enterprise_id, name="丁有限公司", provenance=by_province(date(2023, 2, 1))
            )

    with pytest.raises(ImportOvertakenError) as refused:
        rename_with_a_rival_before_the_first_save()

    assert "nothing was written" not in str(refused.value)
    with Ledger.open(sql_database_url) as fresh:
        renamed = fresh.get_enterprise(enterprise_id)
        assert renamed.name == "丁有限公司"
        assert renamed.version == 2  # registered, then the rival's rename: nothing of the bulk
    bulk_writer.close()
    rival.close()
