"""Every tree head the server signed, kept in order, each consistent with the one before
(ADR 0031).

A head is signed on a schedule and whenever a reader needs one that covers newer events (a
certificate, `GET /v1/ledger/head`), but only when the sealed tree has grown since the last kept
head: heads are numbered 1, 2, … and their tree sizes only grow, so a witness that mirrors them
(`GET /v1/ledger/heads?after=`) checks each against the one before with a consistency proof and
sees any rewrite of history as a fork. Keeping a head is serialised on the seal's tracking row,
so two processes signing at once keep one head per size, in order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    LargeBinary,
    MetaData,
    Row,
    String,
    Table,
    UniqueConstraint,
    func,
    select,
)

from seal.proofs import ConsistencyProof
from seal.sealing import Seal, seal_tracking
from seal.signing import TreeHead, key_id, sign_head, utc_timestamp

Clock = Callable[[], datetime]

metadata = MetaData()

seal_heads = Table(
    "seal_heads",
    metadata,
    Column("number", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("tree_size", BigInteger, nullable=False),
    Column("root_hash", LargeBinary(32), nullable=False),
    Column("timestamp", String(32), nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("signature", LargeBinary(64), nullable=False),
    UniqueConstraint("key_id", "tree_size", name="uq_seal_heads_key_size"),
)


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class KeptHead:
    """A signed head as the server kept it: its number in the sequence, and the head."""

    number: int
    head: TreeHead


@dataclass(frozen=True)
class MirroredHead:
    """A kept head, with the proof that it extends the one kept before it (None: the first)."""

    kept: KeptHead
    consistency: ConsistencyProof | None


class KeptHeads:
    """The signed heads of one seal."""

    def __init__(self, seal: Seal, clock: Clock = system_clock) -> None:
        self.seal = seal
        self.clock = clock

    @classmethod
    def open(cls, seal: Seal, clock: Clock = system_clock) -> KeptHeads:
        """The kept heads of `seal` (their table created if missing), stamped by `clock`."""
        metadata.create_all(seal.engine)
        return cls(seal, clock)

    def latest(self) -> KeptHead | None:
        with self.seal.engine.connect() as connection:
            return self._latest(connection)

    def _latest(self, connection: Connection) -> KeptHead | None:
        row = connection.execute(
            select(seal_heads).order_by(seal_heads.c.number.desc()).limit(1)
        ).first()
        return _kept(row) if row is not None else None

    def after(self, number: int, limit: int) -> list[MirroredHead]:
        """The heads kept after head `number`, oldest first, each with its consistency proof
        from the one before it."""
        with self.seal.engine.connect() as connection:
            rows = connection.execute(
                select(seal_heads)
                .where(seal_heads.c.number >= max(number, 1))
                .order_by(seal_heads.c.number)
                .limit(limit + 1)
            ).all()
        kept = [_kept(row) for row in rows]
        mirrored: list[MirroredHead] = []
        for index, head in enumerate(kept):
            if head.number <= number:
                continue
            previous = kept[index - 1] if index > 0 else None
            mirrored.append(MirroredHead(head, self._proof(previous, head)))
        return mirrored[:limit]

    def _proof(self, previous: KeptHead | None, head: KeptHead) -> ConsistencyProof | None:
        if previous is None or previous.head.tree_size == 0:
            return None
        return self.seal.consistency_proof(previous.head.tree_size, head.head.tree_size)

    def sign(self, private_key: Ed25519PrivateKey) -> KeptHead | None:
        """Sign and keep a head of everything sealed, if the tree grew since the last kept
        head (or none was kept); the latest kept head either way (None: nothing sealed yet)."""
        size, root = self.seal.root()
        signer = key_id(private_key.public_key())
        with self.seal.engine.begin() as connection:
            # A write first, so that SQLite too takes its write lock before reading: two
            # signers keep their heads one after the other, sizes in order.
            connection.execute(
                seal_tracking.update()
                .where(seal_tracking.c.application_name == self.seal.tracking_name)
                .values(notification_id=seal_tracking.c.notification_id)
            )
            latest = self._latest(connection)
            grown = latest is None or size > latest.head.tree_size
            if not grown or size == 0:
                return latest
            head = sign_head(TreeHead(size, root, utc_timestamp(self.clock())), private_key)
            connection.execute(
                seal_heads.insert().values(
                    tree_size=head.tree_size,
                    root_hash=head.root_hash,
                    timestamp=head.timestamp,
                    key_id=signer,
                    signature=head.signature,
                )
            )
            return self._latest(connection)

    def count(self) -> int:
        with self.seal.engine.connect() as connection:
            return int(
                connection.execute(select(func.count()).select_from(seal_heads)).scalar_one()
            )


def _kept(row: Row[Any]) -> KeptHead:
    return KeptHead(
        number=int(row.number),
        head=TreeHead(
            tree_size=int(row.tree_size),
            root_hash=bytes(row.root_hash),
            timestamp=row.timestamp,
            key_id=row.key_id,
            signature=bytes(row.signature),
        ),
    )
