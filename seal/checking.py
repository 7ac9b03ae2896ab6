"""The projector's check of each event against the seal (ADR 0105, issue 16 finding 5).

Before a page of stored events is applied to the read models, each event the seal covers is
compared with its sealed leaf: the leaf hash of its bytes as stored now must be the hash sealed
for its position. An event altered after it was sealed differs; the projector quarantines it
instead of serving what it says. Events not sealed yet are not checked here (`greenledger
verify` checks the whole log against a published head).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from seal.leaves import leaf_bytes
from seal.merkle import leaf_hash
from seal.sealing import Seal, seal_leaves


class SealCheck:
    """Callable on a page of notifications: the positions whose bytes differ from the seal."""

    def __init__(self, seal: Seal) -> None:
        self.seal = seal
        self._has_tables = False

    def __call__(self, notifications: Sequence[Any]) -> dict[int, str]:
        if not notifications or not self._tables_exist():
            return {}
        first, last = notifications[0].id, notifications[-1].id
        with self.seal.engine.connect() as connection:
            sealed = {
                int(row.position): bytes(row.leaf_hash)
                for row in connection.execute(
                    select(seal_leaves.c.position, seal_leaves.c.leaf_hash).where(
                        seal_leaves.c.position >= first, seal_leaves.c.position <= last
                    )
                )
            }
        differing: dict[int, str] = {}
        for notification in notifications:
            expected = sealed.get(notification.id)
            if expected is not None and leaf_hash(leaf_bytes(notification)) != expected:
                differing[notification.id] = (
                    f"the stored event at position {notification.id} differs from its sealed "
                    f"leaf (sealed {expected.hex()[:16]}…): altered after sealing"
                )
        return differing

    def _tables_exist(self) -> bool:
        if not self._has_tables:
            self._has_tables = self.seal.has_tables()
        return self._has_tables
