"""The seal: an RFC 6962 Merkle tree over the notification log, kept as a read model (ADR 0030).

Leaf i is the i-th stored event in notification order (ids may have gaps: the leaf index is the
rank; `seal_leaves` keeps position → leaf index). `catch_up()` reads the notification log after
the tracking position and, per page, writes in one transaction the new leaves, every perfect node
they complete (`seal_nodes`, so that a root or a proof costs O(log n) reads) and the new tracking
row: each event is sealed exactly once, and a crash resumes from the last committed page.

These tables are a convenience, not a trust anchor: `seal.verification` recomputes the
tree from the events themselves and checks it against a head signed outside the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    and_,
    create_engine,
    inspect,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from domain.errors import InvalidInputError, NotFoundError
from domain.ledger import Ledger
from domain.persistence.storage import parse_database_url
from seal.leaves import leaf_bytes
from seal.merkle import (
    Frontier,
    Node,
    consistency_spans,
    fold_frontier,
    frontier_nodes,
    hashes_for,
    inclusion_spans,
    leaf_hash,
    nodes_for,
)
from seal.proofs import ConsistencyProof, InclusionProof
from seal.signing import TreeHead, utc_timestamp

#: SQLite keeps an INTEGER PRIMARY KEY as the rowid itself: half the size, no second index.
_Index = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData()

seal_leaves = Table(
    "seal_leaves",
    metadata,
    Column("leaf_index", _Index, primary_key=True, autoincrement=False),
    Column("position", BigInteger, nullable=False, unique=True),
    Column("leaf_hash", LargeBinary(32), nullable=False),
)

seal_nodes = Table(
    "seal_nodes",
    metadata,
    Column("level", SmallInteger, primary_key=True, autoincrement=False),
    Column("node_index", BigInteger, primary_key=True, autoincrement=False),
    Column("node_hash", LargeBinary(32), nullable=False),
    sqlite_with_rowid=False,
)

seal_tracking = Table(
    "seal_tracking",
    metadata,
    Column("application_name", String(64), primary_key=True),
    Column("notification_id", BigInteger, nullable=False),
    Column("tree_size", BigInteger, nullable=False),
)


class SealedEventNotFoundError(NotFoundError):
    """Raised when a proof is asked for a position the seal does not (yet) hold."""

    kind = "sealed event at position"


class TreeSizeBeyondSealError(InvalidInputError):
    """Raised when a tree size asked for is larger than the seal has grown."""

    def __init__(self, field: str, size: int, sealed: int) -> None:
        super().__init__(field, f"{size} is larger than the sealed tree ({sealed} events)")


class _PageOvertakenError(Exception):
    """Another sealer committed this page first."""


@dataclass(frozen=True)
class SealState:
    position: int  # notification id of the last sealed event (0: none)
    tree_size: int  # events sealed


@dataclass(frozen=True)
class SealedLeaf:
    leaf_index: int
    position: int
    leaf_hash: bytes


def seal_engine(database_url: str) -> Engine:
    """An engine on the database of the ledger at `database_url` (in memory: a private one)."""
    storage = parse_database_url(database_url)
    if storage.kind == "memory":
        return create_engine(
            "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
        )
    if storage.kind == "sqlite":
        return create_engine(storage.sqlalchemy_url, connect_args={"timeout": 30})
    options = {"options": f"-csearch_path={storage.schema}"} if storage.schema else {}
    return create_engine(storage.sqlalchemy_url, pool_pre_ping=True, connect_args=options)


def _insert_many(connection: Connection, table: Table, rows: list[tuple[int, int, bytes]]) -> None:
    """Insert rows (in column order) with the driver's executemany.

    A page inserts about two rows per event; going past SQLAlchemy's per-row parameter
    processing makes sealing about a fifth faster.
    """
    if not rows:
        return
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    names = ", ".join(column.name for column in table.columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({names}) VALUES ({', '.join([marker] * len(table.columns))})",
        rows,
    )


class Seal:
    """The stored seal of one ledger: catch-up, roots, heads and proofs."""

    def __init__(self, ledger: Ledger, engine: Engine, *, page_size: int = 1000) -> None:
        self.ledger = ledger
        self.engine = engine
        self.page_size = page_size
        self.tracking_name = ledger.name

    @classmethod
    def open(cls, ledger: Ledger, database_url: str, *, page_size: int = 1000) -> Seal:
        seal = cls(ledger, seal_engine(database_url), page_size=page_size)
        seal.create_tables()
        return seal

    def create_tables(self) -> None:
        metadata.create_all(self.engine)
        with self.engine.begin() as connection:
            insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
            connection.execute(
                insert(seal_tracking)
                .values(application_name=self.tracking_name, notification_id=0, tree_size=0)
                .on_conflict_do_nothing()
            )

    # -- sealing -------------------------------------------------------------------------------

    def state(self) -> SealState:
        with self.engine.connect() as connection:
            return self._state(connection)

    def _state(self, connection: Connection) -> SealState:
        row = connection.execute(
            select(seal_tracking.c.notification_id, seal_tracking.c.tree_size).where(
                seal_tracking.c.application_name == self.tracking_name
            )
        ).one()
        return SealState(position=row.notification_id, tree_size=row.tree_size)

    def _claim(self, connection: Connection) -> SealState:
        """Lock the tracking row for this transaction, then read it.

        A write first (rather than SELECT … FOR UPDATE) so that SQLite, too, takes its write
        lock before reading: a second sealer waits for the first to commit instead of failing
        on a stale snapshot, then sees the new position.
        """
        connection.execute(
            seal_tracking.update()
            .where(seal_tracking.c.application_name == self.tracking_name)
            .values(notification_id=seal_tracking.c.notification_id)
        )
        return self._state(connection)

    def catch_up(
        self, until: int | None = None, *, gate: AbstractContextManager[object] | None = None
    ) -> SealState:
        """Seal every stored event not yet sealed (up to position `until`); the new state.

        With `gate` (the process's command gate on SQLite, ADR 0053), each page's transaction
        takes it and lets it go: the commands sharing it go on between pages instead of waiting
        for a whole first seal of a large ledger (seconds at 800,000 events; ADR 0154)."""
        turn = gate if gate is not None else nullcontext()
        while True:
            try:
                with turn, self.engine.begin() as connection:
                    sealed = self._seal_page(connection, until)
            except _PageOvertakenError:
                continue
            if sealed is None:
                return self.state()

    def _seal_page(self, connection: Connection, until: int | None) -> SealState | None:
        state = self._claim(connection)
        notifications = self.ledger.recorder.select_notifications(
            start=state.position,
            limit=self.page_size,
            stop=until,
            inclusive_of_start=False,
        )
        if not notifications:
            return None
        frontier = Frontier(state.tree_size, self._frontier_hashes(connection, state.tree_size))
        leaves: list[tuple[int, int, bytes]] = []
        nodes: list[tuple[int, int, bytes]] = []
        for offset, notification in enumerate(notifications):
            hashed = leaf_hash(leaf_bytes(notification))
            leaves.append((state.tree_size + offset, notification.id, hashed))
            nodes.extend(frontier.append(hashed))
        new = SealState(position=notifications[-1].id, tree_size=frontier.size)
        moved = connection.execute(
            seal_tracking.update()
            .where(
                seal_tracking.c.application_name == self.tracking_name,
                seal_tracking.c.notification_id == state.position,
                seal_tracking.c.tree_size == state.tree_size,
            )
            .values(notification_id=new.position, tree_size=new.tree_size)
        )
        if moved.rowcount != 1:
            raise _PageOvertakenError
        _insert_many(connection, seal_leaves, leaves)
        _insert_many(connection, seal_nodes, nodes)
        return new

    # -- reading nodes -------------------------------------------------------------------------

    def _frontier_hashes(self, connection: Connection, size: int) -> list[bytes]:
        nodes = frontier_nodes(size)
        found = self._read_nodes(connection, nodes)
        return [found[node] for node in nodes]

    def _read_nodes(self, connection: Connection, nodes: Iterable[Node]) -> dict[Node, bytes]:
        wanted = set(nodes)
        leaf_indices = [index for level, index in wanted if level == 0]
        inner = [(level, index) for level, index in wanted if level > 0]
        found: dict[Node, bytes] = {}
        if leaf_indices:
            rows = connection.execute(
                select(seal_leaves.c.leaf_index, seal_leaves.c.leaf_hash).where(
                    seal_leaves.c.leaf_index.in_(leaf_indices)
                )
            )
            found |= {(0, row.leaf_index): bytes(row.leaf_hash) for row in rows}
        if inner:
            by_level: dict[int, list[int]] = {}
            for level, index in inner:
                by_level.setdefault(level, []).append(index)
            # One indexed condition per level: SQLite scans the table for a row-value IN.
            rows = connection.execute(
                select(seal_nodes.c.level, seal_nodes.c.node_index, seal_nodes.c.node_hash).where(
                    or_(
                        *(
                            and_(seal_nodes.c.level == level, seal_nodes.c.node_index.in_(indices))
                            for level, indices in sorted(by_level.items())
                        )
                    )
                )
            )
            found |= {(row.level, row.node_index): bytes(row.node_hash) for row in rows}
        missing = wanted - found.keys()
        if missing:
            raise LookupError(f"the seal lacks the nodes {sorted(missing)}: run catch_up")
        return found

    def _sealed_size(self, connection: Connection, size: int | None, field: str) -> int:
        sealed = self._state(connection).tree_size
        if size is None:
            return sealed
        if size < 0:
            raise InvalidInputError(field, f"{size} is negative")
        if size > sealed:
            raise TreeSizeBeyondSealError(field, size, sealed)
        return size

    # -- roots, heads and proofs ---------------------------------------------------------------

    def root(self, tree_size: int | None = None) -> tuple[int, bytes]:
        """(size, root hash) of the sealed tree at `tree_size` leaves (default: all sealed)."""
        with self.engine.connect() as connection:
            size = self._sealed_size(connection, tree_size, "tree_size")
            return size, fold_frontier(self._frontier_hashes(connection, size))

    def head(self, tree_size: int | None = None) -> TreeHead:
        """An unsigned tree head of the sealed tree, stamped now."""
        size, root = self.root(tree_size)
        return TreeHead(tree_size=size, root_hash=root, timestamp=utc_timestamp())

    def leaf_at(self, position: int) -> SealedLeaf:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(seal_leaves).where(seal_leaves.c.position == position)
            ).first()
        if row is None:
            raise SealedEventNotFoundError(position)
        return SealedLeaf(row.leaf_index, row.position, bytes(row.leaf_hash))

    def inclusion_proof(self, position: int, tree_size: int | None = None) -> InclusionProof:
        """The proof that the event at `position` is in the tree of `tree_size` leaves."""
        leaf = self.leaf_at(position)
        with self.engine.connect() as connection:
            size = self._sealed_size(connection, tree_size, "tree_size")
            if leaf.leaf_index >= size:
                raise InvalidInputError(
                    "tree_size",
                    f"position {position} is leaf {leaf.leaf_index}, sealed after the first "
                    f"{size} events: ask for a tree of at least {leaf.leaf_index + 1}",
                )
            spans = inclusion_spans(leaf.leaf_index, size)
            found = self._read_nodes(connection, nodes_for(spans) | set(frontier_nodes(size)))
        stored = self.ledger.recorder.select_notifications(start=position, limit=1)
        return InclusionProof(
            position=position,
            leaf_index=leaf.leaf_index,
            tree_size=size,
            leaf_hash=leaf.leaf_hash,
            audit_path=tuple(hashes_for(spans, found.__getitem__)),
            root_hash=fold_frontier([found[node] for node in frontier_nodes(size)]),
            leaf=leaf_bytes(stored[0]) if stored and stored[0].id == position else None,
        )

    def consistency_proof(self, first: int, second: int | None = None) -> ConsistencyProof:
        """The proof that the tree of `second` leaves extends the tree of `first` leaves."""
        with self.engine.connect() as connection:
            size = self._sealed_size(connection, second, "second")
            if first < 1:
                raise InvalidInputError("first", f"{first}: a tree of at least one event")
            if first > size:
                raise InvalidInputError("first", f"{first} is larger than second ({size})")
            spans = consistency_spans(first, size)
            wanted = nodes_for(spans) | set(frontier_nodes(first)) | set(frontier_nodes(size))
            found = self._read_nodes(connection, wanted)
        return ConsistencyProof(
            first=first,
            second=size,
            first_root=fold_frontier([found[node] for node in frontier_nodes(first)]),
            second_root=fold_frontier([found[node] for node in frontier_nodes(size)]),
            consistency_path=tuple(hashes_for(spans, found.__getitem__)),
        )

    # -- for verification ----------------------------------------------------------------------

    def has_tables(self) -> bool:
        return bool(inspect(self.engine).has_table(seal_leaves.name))

    def sealed_leaves(self, limit: int, page_size: int = 5000) -> Iterator[SealedLeaf]:
        """The first `limit` sealed leaves in order (untrusted: verification checks them)."""
        start = 0
        while start < limit:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    select(seal_leaves)
                    .where(seal_leaves.c.leaf_index >= start)
                    .order_by(seal_leaves.c.leaf_index)
                    .limit(min(page_size, limit - start))
                ).all()
            if not rows:
                return
            for row in rows:
                yield SealedLeaf(row.leaf_index, row.position, bytes(row.leaf_hash))
            start = rows[-1].leaf_index + 1
