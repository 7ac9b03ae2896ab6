"""`greenledger verify`: recompute the seal from the events themselves and check a signed head.

The store is read raw (the library's notification log, no decoding); the seal tables are not
trusted. When the recomputed root differs from the head's, the first differing position is named
from the stored seal's leaves, but only once those leaves are shown to reproduce the head's
root: a leaf list that hashes to a signed root is the list that was signed. If the seal tables
were altered too, the difference is still detected, only not located (ADR 0030).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import Notification

from domain.ledger import Ledger
from seal.leaves import leaf_bytes
from seal.merkle import Frontier, leaf_hash
from seal.sealing import Seal, SealedLeaf
from seal.signing import TreeHead, check_signature


class DifferenceKind(Enum):
    ALTERED = "altered"  # the event at this position is not the one sealed
    MISSING = "missing"  # the sealed event at this position is no longer stored there
    INSERTED = "inserted"  # an event at this position was never sealed

    @property
    def label(self) -> str:
        return {
            DifferenceKind.ALTERED: "被篡改 altered",
            DifferenceKind.MISSING: "缺失 missing",
            DifferenceKind.INSERTED: "插入 inserted",
        }[self]


@dataclass(frozen=True)
class Difference:
    """The first place where the store and the sealed sequence part."""

    position: int
    leaf_index: int
    kind: DifferenceKind

    def describe(self) -> str:
        return {
            DifferenceKind.ALTERED: (
                f"位置 {self.position} 的事件与封存时不同 / the event at position "
                f"{self.position} (leaf {self.leaf_index}) differs from the one sealed"
            ),
            DifferenceKind.MISSING: (
                f"位置 {self.position} 的事件已不在库中 / the event sealed at position "
                f"{self.position} (leaf {self.leaf_index}) is no longer in the store"
            ),
            DifferenceKind.INSERTED: (
                f"位置 {self.position} 的事件从未封存 / the event at position {self.position} "
                f"stands where leaf {self.leaf_index} was sealed but was never sealed"
            ),
        }[self.kind]


@dataclass(frozen=True)
class VerificationReport:
    head: TreeHead
    signature_checked: bool
    recomputed_size: int  # events the store holds within the head's size
    recomputed_root: bytes
    events_after_head: int  # protected from the next head on
    difference: Difference | None
    #: True when the difference was located with seal leaves that reproduce the signed root.
    difference_authenticated: bool
    #: None when the store has no seal tables; False when they disagree with the signed root.
    seal_matches_head: bool | None

    @property
    def intact(self) -> bool:
        return self.recomputed_size == self.head.tree_size and (
            self.recomputed_root == self.head.root_hash
        )


def _stored_events(ledger: Ledger, page_size: int) -> Iterator[Notification]:
    start = 0
    while True:
        page = ledger.recorder.select_notifications(
            start=start, limit=page_size, inclusive_of_start=False
        )
        if not page:
            return
        yield from page
        start = page[-1].id


def _difference(
    sealed: SealedLeaf | None, stored: Notification, hashed: bytes, leaf_index: int
) -> Difference | None:
    if sealed is None:
        return None
    if stored.id > sealed.position:
        return Difference(sealed.position, leaf_index, DifferenceKind.MISSING)
    if stored.id < sealed.position:
        return Difference(stored.id, leaf_index, DifferenceKind.INSERTED)
    if hashed != sealed.leaf_hash:
        return Difference(stored.id, leaf_index, DifferenceKind.ALTERED)
    return None


def verify_ledger(
    ledger: Ledger,
    head: TreeHead,
    *,
    seal: Seal | None = None,
    public_key: Ed25519PublicKey | None = None,
    page_size: int = 5000,
    on_event: Callable[[int], None] | None = None,
) -> VerificationReport:
    """Recompute the tree of the head's size from the stored events and compare.

    Raises `TreeHeadRejectedError` when a public key is given and the head is not signed by it.
    `on_event(n)` is told, every `page_size` events, how many of the head's were recomputed.
    """
    if public_key is not None:
        check_signature(head, public_key)
    use_seal = seal is not None and seal.has_tables()
    sealed_leaves: Iterator[SealedLeaf] = (
        seal.sealed_leaves(head.tree_size) if seal is not None and use_seal else iter(())
    )
    recomputed, from_seal = Frontier(), Frontier()
    difference: Difference | None = None
    events = _stored_events(ledger, page_size)
    after_head = 0
    for stored in events:
        if recomputed.size == head.tree_size:
            after_head = 1 + sum(1 for _ in events)
            break
        hashed = leaf_hash(leaf_bytes(stored))
        recomputed.append(hashed)
        if on_event is not None and recomputed.size % page_size == 0:
            on_event(recomputed.size)
        sealed = next(sealed_leaves, None)
        if sealed is not None:
            from_seal.append(sealed.leaf_hash)
        if difference is None:
            difference = _difference(sealed, stored, hashed, recomputed.size - 1)
    for sealed in sealed_leaves:  # the store ended before the head's size
        if difference is None:
            difference = Difference(sealed.position, sealed.leaf_index, DifferenceKind.MISSING)
        from_seal.append(sealed.leaf_hash)
    seal_matches = (
        None
        if not use_seal
        else from_seal.size == head.tree_size and from_seal.root() == head.root_hash
    )
    intact = recomputed.size == head.tree_size and recomputed.root() == head.root_hash
    return VerificationReport(
        head=head,
        signature_checked=public_key is not None,
        recomputed_size=recomputed.size,
        recomputed_root=recomputed.root(),
        events_after_head=after_head,
        # When the events reproduce the signed root, a disagreeing seal is the seal's fault.
        difference=None if intact else difference,
        difference_authenticated=not intact and bool(seal_matches) and difference is not None,
        seal_matches_head=seal_matches,
    )
