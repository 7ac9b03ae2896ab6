"""`verify`: a signed head against the events themselves, after tampering straight in the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from domain.ledger import Ledger
from seal.leaves import leaf_bytes
from seal.merkle import leaf_hash
from seal.sealing import Seal
from seal.signing import (
    TreeHead,
    TreeHeadRejectedError,
    create_signing_key,
    load_private_key,
    load_public_key,
    public_key_path_for,
    sign_head,
)
from seal.verification import DifferenceKind, verify_ledger
from tests.builders import listed_factory, register
from tests.tampering import alter_one_byte, delete_event, execute, leave_a_gap, swap_events


@pytest.fixture
def sql_ledger(sql_database_url: str) -> Iterator[Ledger]:
    the_ledger = Ledger.open(sql_database_url)
    yield the_ledger
    the_ledger.close()


@pytest.fixture
def sql_seal(sql_ledger: Ledger, sql_database_url: str) -> Iterator[Seal]:
    the_seal = Seal.open(sql_ledger, sql_database_url, page_size=4)
    yield the_seal
    the_seal.engine.dispose()


@pytest.fixture
def key(tmp_path: Path) -> Path:
    path = tmp_path / "seal.pem"
    create_signing_key(path)
    return path


def published_head(seal: Seal, key: Path) -> TreeHead:
    """Seal everything and sign the head, as `greenledger seal head --sign` does."""
    seal.catch_up()
    return TreeHead.from_json(sign_head(seal.head(), load_private_key(key)).to_json())


def nine_events(ledger: Ledger) -> None:
    listed_factory(ledger)  # positions 1–7; the ministry's events are 2, 6 and 7
    register(ledger, "江苏第一号绿色工厂有限公司")
    register(ledger, "江苏第二号绿色工厂有限公司")


def test_an_untouched_store_verifies_against_its_signed_head(
    ledger: Ledger, database_url: str, key: Path
) -> None:
    seal = Seal.open(ledger, database_url)
    nine_events(ledger)
    head = published_head(seal, key)

    report = verify_ledger(
        ledger, head, seal=seal, public_key=load_public_key(public_key_path_for(key))
    )

    assert report.intact
    assert report.signature_checked
    assert (report.recomputed_size, report.difference) == (9, None)
    assert report.seal_matches_head is True
    seal.engine.dispose()


def test_events_recorded_after_the_head_are_counted_and_do_not_break_it(
    sql_ledger: Ledger, sql_seal: Seal, key: Path
) -> None:
    nine_events(sql_ledger)
    head = published_head(sql_seal, key)
    register(sql_ledger, "江苏第三号绿色工厂有限公司")
    register(sql_ledger, "江苏第四号绿色工厂有限公司")
    sql_seal.catch_up()

    report = verify_ledger(sql_ledger, head, seal=sql_seal)

    assert report.intact
    assert report.events_after_head == 2


Tampering = Callable[[str], None]
TAMPERINGS: dict[str, tuple[Tampering, int, DifferenceKind]] = {
    "one byte of a state altered": (
        lambda url: alter_one_byte(url, 6),
        6,
        DifferenceKind.ALTERED,
    ),
    "an event deleted": (lambda url: delete_event(url, 4), 4, DifferenceKind.MISSING),
    "the last sealed event deleted": (lambda url: delete_event(url, 9), 9, DifferenceKind.MISSING),
    "two events swapped": (lambda url: swap_events(url, 3, 7), 3, DifferenceKind.ALTERED),
}


@pytest.mark.parametrize("tampering", sorted(TAMPERINGS))
def test_tampering_straight_in_the_store_is_detected_and_its_position_named(
    sql_ledger: Ledger, sql_seal: Seal, sql_database_url: str, key: Path, tampering: str
) -> None:
    tamper, position, kind = TAMPERINGS[tampering]
    nine_events(sql_ledger)
    head = published_head(sql_seal, key)

    tamper(sql_database_url)
    report = verify_ledger(
        sql_ledger, head, seal=sql_seal, public_key=load_public_key(public_key_path_for(key))
    )

    assert not report.intact
    assert report.difference is not None
    assert (report.difference.position, report.difference.kind) == (position, kind)
    assert report.difference_authenticated
    assert f"position {position}" in report.difference.describe()


def test_an_event_moved_to_a_later_position_is_named_where_it_was_sealed(
    sql_ledger: Ledger, sql_seal: Seal, sql_database_url: str, key: Path
) -> None:
    nine_events(sql_ledger)
    head = published_head(sql_seal, key)
    table, column = (
        ("stored_events", "rowid")
        if "sqlite" in sql_database_url
        else ("ledger_events", "notification_id")
    )

    execute(sql_database_url, f"UPDATE {table} SET {column} = 100 WHERE {column} = 4")
    report = verify_ledger(sql_ledger, head, seal=sql_seal)

    assert not report.intact
    assert report.difference is not None
    assert (report.difference.position, report.difference.kind) == (4, DifferenceKind.MISSING)


def test_an_event_forged_into_a_gap_of_the_ids_is_named_on_postgres(
    postgres_url: str, key: Path
) -> None:
    ledger = Ledger.open(postgres_url)
    seal = Seal.open(ledger, postgres_url)
    try:
        register(ledger, "江苏第一号绿色工厂有限公司")
        leave_a_gap(postgres_url)
        register(ledger, "江苏第二号绿色工厂有限公司")
        sealed = [n.id for n in ledger.recorder.select_notifications(start=None, limit=100)]
        gap = next(i for i in range(1, sealed[-1]) if i not in sealed)
        head = published_head(seal, key)

        execute(
            postgres_url,
            "INSERT INTO ledger_events (originator_id, originator_version, topic, state, "
            "notification_id) SELECT gen_random_uuid(), 1, topic, state, ? FROM ledger_events "
            "WHERE notification_id = 1",
            (gap,),
        )
        report = verify_ledger(ledger, head, seal=seal)

        assert report.difference is not None
        assert (report.difference.position, report.difference.kind) == (
            gap,
            DifferenceKind.INSERTED,
        )
    finally:
        seal.engine.dispose()
        ledger.close()


def test_an_altered_seal_over_intact_events_still_verifies_and_is_reported(
    sql_ledger: Ledger, sql_seal: Seal, sql_database_url: str, key: Path
) -> None:
    nine_events(sql_ledger)
    head = published_head(sql_seal, key)

    execute(
        sql_database_url,
        "UPDATE seal_leaves SET leaf_hash = ? WHERE position = 2",
        (b"\x01" * 32,),
    )
    report = verify_ledger(sql_ledger, head, seal=sql_seal)

    assert report.intact
    assert report.seal_matches_head is False


def test_events_and_seal_altered_together_are_detected_but_not_located_by_the_seal(
    sql_ledger: Ledger, sql_seal: Seal, sql_database_url: str, key: Path
) -> None:
    nine_events(sql_ledger)
    head = published_head(sql_seal, key)
    alter_one_byte(sql_database_url, 6)
    # The forger recomputes the altered event's leaf and writes it into the seal too.
    forged = sql_ledger.recorder.select_notifications(start=6, limit=1)[0]
    execute(
        sql_database_url,
        "UPDATE seal_leaves SET leaf_hash = ? WHERE position = 6",
        (leaf_hash(leaf_bytes(forged)),),
    )

    report = verify_ledger(sql_ledger, head, seal=sql_seal)

    assert not report.intact
    assert report.seal_matches_head is False
    assert report.difference is None
    assert not report.difference_authenticated


def test_a_head_signed_by_another_key_is_rejected_before_anything_is_read(
    sql_ledger: Ledger, sql_seal: Seal, key: Path, tmp_path: Path
) -> None:
    nine_events(sql_ledger)
    impostor = tmp_path / "impostor.pem"
    create_signing_key(impostor)
    head = published_head(sql_seal, impostor)

    with pytest.raises(TreeHeadRejectedError, match="not by the given key"):
        verify_ledger(
            sql_ledger, head, seal=sql_seal, public_key=load_public_key(public_key_path_for(key))
        )


def test_a_head_larger_than_the_store_names_the_first_missing_position(
    sql_ledger: Ledger, sql_seal: Seal, sql_database_url: str, key: Path
) -> None:
    nine_events(sql_ledger)
    head = published_head(sql_seal, key)
    delete_event(sql_database_url, 8)
    delete_event(sql_database_url, 9)

    report = verify_ledger(sql_ledger, head, seal=sql_seal)

    assert report.recomputed_size == 7
    assert report.difference is not None
    assert (report.difference.position, report.difference.kind) == (8, DifferenceKind.MISSING)
