"""The stored seal: every event sealed exactly once, and proofs served from the stored nodes."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from domain.errors import InvalidInputError
from domain.ledger import Ledger
from seal.leaves import leaf_bytes, recorded_timestamp
from seal.merkle import EMPTY_ROOT, MemoryTree, verify_consistency, verify_inclusion
from seal.sealing import (
    Seal,
    SealedEventNotFoundError,
    SealState,
    TreeSizeBeyondSealError,
    seal_leaves,
)
from seal.verification import verify_ledger
from tests.builders import listed_factory, register
from tests.tampering import execute, leave_a_gap


@pytest.fixture
def seal(ledger: Ledger, database_url: str) -> Iterator[Seal]:
    """A seal that reads three events per page, so that every test crosses page boundaries."""
    the_seal = Seal.open(ledger, database_url, page_size=3)
    yield the_seal
    the_seal.engine.dispose()


@pytest.fixture
def sql_ledger(sql_database_url: str) -> Iterator[Ledger]:
    the_ledger = Ledger.open(sql_database_url)
    yield the_ledger
    the_ledger.close()


def register_many(ledger: Ledger, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        register(ledger, f"江苏第{i}号绿色工厂有限公司")


def events_as_stored(ledger: Ledger) -> MemoryTree:
    """The tree recomputed from the store, with no help from the seal."""
    stored = ledger.recorder.select_notifications(start=None, limit=10_000)
    return MemoryTree.of_data(leaf_bytes(n) for n in stored)


def positions(ledger: Ledger) -> list[int]:
    return [n.id for n in ledger.recorder.select_notifications(start=None, limit=10_000)]


def test_an_empty_ledger_has_the_empty_tree(ledger: Ledger, seal: Seal) -> None:
    assert seal.catch_up() == SealState(position=0, tree_size=0)
    assert seal.root() == (0, EMPTY_ROOT)


def test_catching_up_twice_seals_every_event_exactly_once(ledger: Ledger, seal: Seal) -> None:
    listed_factory(ledger)

    first = seal.catch_up()
    again = seal.catch_up()

    assert first == again == SealState(position=ledger.position, tree_size=7)
    with seal.engine.connect() as connection:
        rows = connection.execute(select(seal_leaves).order_by(seal_leaves.c.leaf_index)).all()
    assert [row.position for row in rows] == positions(ledger)
    assert [row.leaf_index for row in rows] == list(range(7))


def test_catching_up_until_a_position_seals_nothing_after_it(ledger: Ledger, seal: Seal) -> None:
    register_many(ledger, 5)

    assert seal.catch_up(until=2) == SealState(position=2, tree_size=2)
    assert seal.catch_up() == SealState(position=5, tree_size=5)


def test_the_stored_tree_equals_the_tree_recomputed_from_the_events_at_every_size(
    ledger: Ledger, seal: Seal
) -> None:
    tree = MemoryTree(())
    for batch in range(4):
        register_many(ledger, batch + 2, start=10 * batch)
        seal.catch_up()
        tree = events_as_stored(ledger)

        assert seal.root() == (len(tree.leaves), tree.root())

    for size in range(len(tree.leaves) + 1):
        assert seal.root(size) == (size, tree.root(size))


def test_every_sealed_event_is_provably_in_every_tree_that_contains_it(
    ledger: Ledger, seal: Seal
) -> None:
    listed_factory(ledger)
    register_many(ledger, 4)
    seal.catch_up()
    tree = events_as_stored(ledger)
    sealed = positions(ledger)

    for leaf_index, position in enumerate(sealed):
        for size in range(leaf_index + 1, len(sealed) + 1):
            proof = seal.inclusion_proof(position, tree_size=size)

            assert (proof.leaf_index, proof.tree_size) == (leaf_index, size)
            assert list(proof.audit_path) == tree.inclusion_proof(leaf_index, size)
            verify_inclusion(leaf_index, size, proof.leaf_hash, proof.audit_path, tree.root(size))


def test_an_inclusion_proof_carries_the_event_as_stored(ledger: Ledger, seal: Seal) -> None:
    listed_factory(ledger)
    seal.catch_up()
    stored = ledger.recorder.select_notifications(start=3, limit=1)[0]

    proof = seal.inclusion_proof(3)

    assert proof.leaf == leaf_bytes(stored)
    assert recorded_timestamp(stored.state).encode() in proof.leaf
    assert str(stored.originator_id).encode() in proof.leaf


def test_every_sealed_tree_is_provably_extended_by_every_later_one(
    ledger: Ledger, seal: Seal
) -> None:
    register_many(ledger, 11)
    seal.catch_up()
    tree = events_as_stored(ledger)

    for second in range(1, 12):
        for first in range(1, second + 1):
            proof = seal.consistency_proof(first, second)

            assert (proof.first_root, proof.second_root) == (tree.root(first), tree.root(second))
            verify_consistency(
                first, second, tree.root(first), tree.root(second), proof.consistency_path
            )


def test_a_proof_for_an_unsealed_position_is_not_found(ledger: Ledger, seal: Seal) -> None:
    register_many(ledger, 2)
    seal.catch_up()
    register_many(ledger, 1, start=5)

    with pytest.raises(SealedEventNotFoundError, match="position 3"):
        seal.inclusion_proof(3)


@pytest.mark.parametrize(
    ("position", "tree_size", "error", "field"),
    [
        (1, 4, TreeSizeBeyondSealError, "tree_size: 4 is larger than the sealed tree"),
        (3, 2, InvalidInputError, "tree_size: position 3 is leaf 2"),
        (1, -1, InvalidInputError, "tree_size: -1 is negative"),
    ],
)
def test_a_proof_for_a_tree_that_does_not_hold_the_event_names_the_tree_size(
    ledger: Ledger,
    seal: Seal,
    position: int,
    tree_size: int,
    error: type[Exception],
    field: str,
) -> None:
    register_many(ledger, 3)
    seal.catch_up()

    with pytest.raises(error, match=field):
        seal.inclusion_proof(position, tree_size=tree_size)


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (0, 3, "first: 0"),
        (3, 2, "first: 3 is larger than second"),
        (1, 9, "second: 9 is larger than the sealed tree"),
    ],
)
def test_a_consistency_proof_between_impossible_sizes_names_the_size(
    ledger: Ledger, seal: Seal, first: int, second: int, message: str
) -> None:
    register_many(ledger, 3)
    seal.catch_up()

    with pytest.raises(InvalidInputError, match=message):
        seal.consistency_proof(first, second)


def test_a_page_that_cannot_be_written_leaves_the_seal_where_it_was(
    sql_ledger: Ledger, sql_database_url: str
) -> None:
    ledger = sql_ledger
    seal = Seal.open(ledger, sql_database_url, page_size=3)
    register_many(ledger, 2)
    seal.catch_up()
    register_many(ledger, 4, start=10)
    # Someone has put a row in the way of the third leaf: the page's transaction must fail whole.
    execute(
        sql_database_url,
        "INSERT INTO seal_leaves (leaf_index, position, leaf_hash) VALUES (?, ?, ?)",
        (2, 999, b"\x00" * 32),
    )

    with pytest.raises(IntegrityError):
        seal.catch_up()

    assert seal.state() == SealState(position=2, tree_size=2)
    execute(sql_database_url, "DELETE FROM seal_leaves WHERE position = 999")
    assert seal.catch_up() == SealState(position=6, tree_size=6)
    assert seal.root() == (6, events_as_stored(ledger).root())
    seal.engine.dispose()


def test_two_sealers_racing_on_one_store_seal_each_event_once(
    sql_ledger: Ledger, sql_database_url: str
) -> None:
    ledger = sql_ledger
    register_many(ledger, 30)
    sealers = [Seal.open(ledger, sql_database_url, page_size=2) for _ in range(2)]
    errors: list[BaseException] = []

    def run(the_seal: Seal) -> None:
        try:
            the_seal.catch_up()
        except BaseException as error:  # reported below, with the test's failure
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in sealers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sealers[0].state() == SealState(position=30, tree_size=30)
    assert sealers[1].root() == (30, events_as_stored(ledger).root())
    for the_seal in sealers:
        the_seal.engine.dispose()


def test_gaps_in_notification_ids_break_neither_sealing_nor_proofs_on_postgres(
    postgres_url: str,
) -> None:
    ledger = Ledger.open(postgres_url)
    seal = Seal.open(ledger, postgres_url, page_size=2)
    try:
        register_many(ledger, 2)
        leave_a_gap(postgres_url)
        register_many(ledger, 3)
        ids = positions(ledger)
        assert ids != list(range(1, len(ids) + 1)), "no gap was provoked"

        seal.catch_up()
        head = seal.head()
        tree = events_as_stored(ledger)

        assert (head.tree_size, head.root_hash) == (len(ids), tree.root())
        for leaf_index, position in enumerate(ids):
            proof = seal.inclusion_proof(position)
            assert proof.leaf_index == leaf_index
            verify_inclusion(
                leaf_index, head.tree_size, proof.leaf_hash, proof.audit_path, head.root_hash
            )
        assert verify_ledger(ledger, head, seal=seal).intact
    finally:
        seal.engine.dispose()
        ledger.close()


class CountedGate:
    """A gate that counts its entries and refuses to be entered twice at once."""

    def __init__(self) -> None:
        self.entries = 0
        self.held = False

    def __enter__(self) -> None:
        assert not self.held, "the gate was entered while held"
        self.held = True
        self.entries += 1

    def __exit__(self, *details: object) -> None:
        self.held = False


def test_a_catch_up_with_a_gate_takes_it_for_each_page_and_lets_it_go_between(
    ledger: Ledger, seal: Seal
) -> None:
    register_many(ledger, 7)  # seven events: pages of 3, 3 and 1, then one that finds none
    gate = CountedGate()

    state = seal.catch_up(gate=gate)

    assert (gate.entries, gate.held) == (4, False)
    assert state == SealState(position=positions(ledger)[-1], tree_size=7)
    assert seal.root()[1] == events_as_stored(ledger).root()
