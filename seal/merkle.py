"""Merkle hash trees of RFC 6962 §2.1 (= RFC 9162 §2.1): tree hashes, audit paths, proofs.

The ledger's seal (ADR 0030) is an append-only Merkle tree over the notification sequence, so
that one signed 32-byte root commits to every stored event in order, an inclusion proof shows one
event is in it, and a consistency proof shows a later tree extends an earlier one unchanged.
Pure computation, no I/O: the stored seal supplies node hashes, this module decides which ones.

Vocabulary of the RFC: `MTH(D[a:b])` is the hash of the tree over leaves a..b-1; a *perfect node*
`(level, index)` is the tree over leaves `index·2^level .. (index+1)·2^level - 1`; the tree of
size n splits at k, the largest power of two smaller than n.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
#: MTH({}) = SHA-256 of the empty string.
EMPTY_ROOT = hashlib.sha256(b"").digest()

#: A perfect node: (level, index); level 0 are the leaves.
Node = tuple[int, int]
#: A half-open range of leaf indices [start, end).
Span = tuple[int, int]


class InvalidProofError(ValueError):
    """Raised when a proof does not prove what it claims (wrong root, size, index or path)."""


def leaf_hash(data: bytes) -> bytes:
    """MTH({d}) = SHA-256(0x00 || d)."""
    return hashlib.sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(size: int) -> int:
    """k: the largest power of two smaller than `size` (size ≥ 2)."""
    if size < 2:
        raise ValueError(f"a tree of {size} leaves does not split")
    return 1 << ((size - 1).bit_length() - 1)


def _is_node(start: int, end: int) -> bool:
    width = end - start
    return width > 0 and width & (width - 1) == 0 and start % width == 0


def _node_of(start: int, end: int) -> Node:
    level = (end - start).bit_length() - 1
    return level, start >> level


# -- tree hashes ---------------------------------------------------------------------------------


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of the tree whose leaves have these hashes."""
    frontier = Frontier()
    for hashed in leaf_hashes:
        frontier.append(hashed)
    return frontier.root()


def frontier_nodes(size: int) -> list[Node]:
    """The perfect nodes that make up a tree of `size` leaves, left to right (largest first)."""
    nodes: list[Node] = []
    start = 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            nodes.append((level, start >> level))
            start += 1 << level
    return nodes


def fold_frontier(hashes: Sequence[bytes]) -> bytes:
    """MTH of a tree given the hashes of its `frontier_nodes`, left to right."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


class Frontier:
    """The right edge of a growing tree (a compact range): O(log n) hashes, any size.

    `append` returns the perfect nodes above level 0 that the new leaf completes, so that a
    store can keep every node and answer proofs with O(log n) reads.
    """

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        expected = len(frontier_nodes(size))
        if len(hashes) != expected:
            raise ValueError(f"a tree of {size} leaves has {expected} frontier nodes")
        self.size = size
        self._stack: list[tuple[int, bytes]] = [
            (level, hashed) for (level, _), hashed in zip(frontier_nodes(size), hashes, strict=True)
        ]

    def append(self, hashed: bytes) -> list[tuple[int, int, bytes]]:
        completed: list[tuple[int, int, bytes]] = []
        level, current = 0, hashed
        self.size += 1
        while self._stack and self._stack[-1][0] == level:
            _, left = self._stack.pop()
            current = node_hash(left, current)
            level += 1
            completed.append((level, (self.size >> level) - 1, current))
        self._stack.append((level, current))
        return completed

    def hashes(self) -> list[bytes]:
        return [hashed for _, hashed in self._stack]

    def root(self) -> bytes:
        return fold_frontier(self.hashes())


def subtree_nodes(start: int, end: int) -> list[Node]:
    """The perfect nodes whose hashes give MTH(D[start:end]), as `subtree_hash` reads them."""
    if end <= start:
        raise ValueError(f"empty range [{start}, {end})")
    if _is_node(start, end):
        return [_node_of(start, end)]
    middle = start + split_point(end - start)
    return subtree_nodes(start, middle) + subtree_nodes(middle, end)


def subtree_hash(node: Callable[[Node], bytes], start: int, end: int) -> bytes:
    """MTH(D[start:end]) from perfect node hashes (`node((level, index))`)."""
    if end <= start:
        raise ValueError(f"empty range [{start}, {end})")
    if _is_node(start, end):
        return node(_node_of(start, end))
    middle = start + split_point(end - start)
    return node_hash(subtree_hash(node, start, middle), subtree_hash(node, middle, end))


# -- which subtrees a proof is made of -----------------------------------------------------------


def inclusion_spans(index: int, size: int) -> list[Span]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1 as leaf ranges, from the leaf's sibling up to the root's."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    spans: list[Span] = []
    start, end = 0, size
    while end - start > 1:
        middle = start + split_point(end - start)
        if index < middle:
            spans.append((middle, end))
            end = middle
        else:
            spans.append((start, middle))
            start = middle
    spans.reverse()
    return spans


def consistency_spans(first: int, second: int) -> list[Span]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2 as leaf ranges, in proof order."""
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    spans: list[Span] = []
    start, end, whole_old_tree = 0, second, True
    # SUBPROOF(m, D[start:end], b), unrolled: each step adds the hash of the part not descended
    # into; the recursion appends those after the deeper ones, hence the final reversal.
    while True:
        m = first - start
        if m == end - start:
            if not whole_old_tree:
                spans.append((start, end))
            break
        middle = start + split_point(end - start)
        if m <= middle - start:
            spans.append((middle, end))
            end = middle
        else:
            spans.append((start, middle))
            start = middle
            whole_old_tree = False
    spans.reverse()
    return spans


def nodes_for(spans: Iterable[Span]) -> set[Node]:
    """Every perfect node needed to hash these ranges (what a store must read)."""
    return {node for start, end in spans for node in subtree_nodes(start, end)}


def hashes_for(spans: Iterable[Span], node: Callable[[Node], bytes]) -> list[bytes]:
    return [subtree_hash(node, start, end) for start, end in spans]


# -- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) -----------------------------------------------


def _check_hashes(*hashes: bytes) -> None:
    for hashed in hashes:
        if len(hashed) != HASH_SIZE:
            raise InvalidProofError(f"a hash of {len(hashed)} bytes, not {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, path: Sequence[bytes]) -> bytes:
    """The root that `path` leads to from the leaf hash `leaf` at `index` in a tree of `size`."""
    if not 0 <= index < size:
        raise InvalidProofError(f"leaf index {index} is not in a tree of {size} leaves")
    _check_hashes(leaf, *path)
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            raise InvalidProofError("the audit path is longer than the tree is high")
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProofError("the audit path is shorter than the tree is high")
    return result


def verify_inclusion(
    index: int, size: int, leaf: bytes, path: Sequence[bytes], root: bytes
) -> None:
    """Raise `InvalidProofError` unless `path` proves leaf `index` of the tree `root` of `size`."""
    _check_hashes(root)
    if root_from_inclusion(index, size, leaf, path) != root:
        raise InvalidProofError(
            f"the audit path of leaf {index} does not lead to the root of the {size}-leaf tree"
        )


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> None:
    """Raise `InvalidProofError` unless `path` proves tree `second_root` extends `first_root`."""
    _check_hashes(first_root, second_root, *path)
    if not 0 <= first <= second:
        raise InvalidProofError(f"a tree of {second} leaves cannot extend one of {first}")
    if first == 0:
        if path or first_root != EMPTY_ROOT:
            raise InvalidProofError("the empty tree needs an empty proof and the empty root")
        return
    if first == second:
        if path or first_root != second_root:
            raise InvalidProofError(f"two different roots for the same size {first}")
        return
    if not path:
        raise InvalidProofError(f"an empty proof cannot show {second} leaves extend {first}")
    nodes = list(path)
    if first & (first - 1) == 0:
        nodes.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    old, new = nodes[0], nodes[0]
    for sibling in nodes[1:]:
        if sn == 0:
            raise InvalidProofError("the consistency proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            old = node_hash(sibling, old)
            new = node_hash(sibling, new)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            new = node_hash(new, sibling)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise InvalidProofError("the consistency proof is shorter than the tree is high")
    if old != first_root:
        raise InvalidProofError(f"the proof does not lead to the given root of size {first}")
    if new != second_root:
        raise InvalidProofError(f"the proof does not lead to the given root of size {second}")


# -- a tree held in memory -----------------------------------------------------------------------


@dataclass(frozen=True)
class MemoryTree:
    """A tree over leaf hashes held in memory: roots and proofs for any prefix of it."""

    leaves: tuple[bytes, ...]

    @classmethod
    def of_data(cls, entries: Iterable[bytes]) -> MemoryTree:
        return cls(tuple(leaf_hash(entry) for entry in entries))

    def node(self, node: Node) -> bytes:
        level, index = node
        return root_of(self.leaves[index << level : (index + 1) << level])

    def root(self, size: int | None = None) -> bytes:
        return root_of(self.leaves[: len(self.leaves) if size is None else size])

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        return hashes_for(inclusion_spans(index, size), self.node)

    def consistency_proof(self, first: int, second: int) -> list[bytes]:
        return hashes_for(consistency_spans(first, second), self.node)
