"""The seal's Merkle tree is RFC 6962's: the Certificate Transparency reference vectors.

The proofs are checked by a small verifier written here from the recursive definitions of
RFC 6962 §2.1.1–2.1.2 (not the module's own RFC 9162 loop), so that a shared misreading of the
standard cannot make both agree.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from seal.merkle import (
    EMPTY_ROOT,
    Frontier,
    InvalidProofError,
    MemoryTree,
    verify_consistency,
    verify_inclusion,
)

# The eight leaves and the roots of trees of 1..8 leaves of the Certificate Transparency
# reference implementations (transparency-dev/merkle proof/verify_test.go, certificate-transparency
# merkle tests): published data, not computed here.
CT_LEAVES = [
    bytes.fromhex(x)
    for x in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
CT_ROOTS = {
    0: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    2: "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    4: "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    5: "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    6: "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    7: "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}
# Published audit paths: (leaf index, tree size) → path.
CT_INCLUSION = {
    (0, 8): (
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ),
    (5, 8): (
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
    (2, 3): ("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",),
    (1, 5): (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ),
}
# Published consistency proofs: (first size, second size) → proof.
CT_CONSISTENCY = {
    (1, 8): (
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ),
    (6, 8): (
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
    (2, 5): (
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ),
    (6, 7): (
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
}

CT_TREE = MemoryTree.of_data(CT_LEAVES)
SIZES = range(1, 9)


# -- an independent verifier, from the recursive definitions of RFC 6962 -------------------------


def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def independent_inclusion_root(m: int, n: int, leaf: bytes, path: list[bytes]) -> bytes:
    """Undo PATH(m, D[n]): its last element is the sibling of the subtree holding leaf m."""
    if n == 1:
        if path:
            raise InvalidProofError("a one-leaf tree has an empty path")
        return leaf
    if not path:
        raise InvalidProofError("path too short")
    k, sibling, rest = _k(n), path[-1], path[:-1]
    if m < k:
        return _h(b"\x01" + independent_inclusion_root(m, k, leaf, rest) + sibling)
    return _h(b"\x01" + sibling + independent_inclusion_root(m - k, n - k, leaf, rest))


def _independent_subproof(
    m: int, n: int, proof: list[bytes], whole: bool, old_root: bytes
) -> tuple[bytes, bytes]:
    """Undo SUBPROOF(m, D[n], b): (hash of the old tree's part, hash of D[n])."""
    if m == n:
        if whole:
            if proof:
                raise InvalidProofError("too long")
            return old_root, old_root
        if len(proof) != 1:
            raise InvalidProofError("a subtree shared by both trees is given by its hash")
        return proof[0], proof[0]
    if not proof:
        raise InvalidProofError("too short")
    k, last, rest = _k(n), proof[-1], proof[:-1]
    if m <= k:
        old, new = _independent_subproof(m, k, rest, whole, old_root)
        return old, _h(b"\x01" + new + last)
    old, new = _independent_subproof(m - k, n - k, rest, False, old_root)
    return _h(b"\x01" + last + old), _h(b"\x01" + last + new)


def independently_consistent(
    m: int, n: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> bool:
    try:
        old, new = _independent_subproof(m, n, proof, True, old_root)
    except InvalidProofError:
        return False
    return old == old_root and new == new_root


# -- the reference vectors -----------------------------------------------------------------------


def test_the_empty_tree_has_the_reference_root() -> None:
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]
    assert Frontier().root().hex() == CT_ROOTS[0]


@pytest.mark.parametrize("size", SIZES)
def test_every_prefix_of_the_reference_leaves_hashes_to_the_published_root(size: int) -> None:
    assert CT_TREE.root(size).hex() == CT_ROOTS[size]


@pytest.mark.parametrize(("index", "size"), sorted(CT_INCLUSION))
def test_audit_paths_equal_the_published_ones(index: int, size: int) -> None:
    assert (
        tuple(h.hex() for h in CT_TREE.inclusion_proof(index, size)) == CT_INCLUSION[(index, size)]
    )


@pytest.mark.parametrize(("first", "second"), sorted(CT_CONSISTENCY))
def test_consistency_proofs_equal_the_published_ones(first: int, second: int) -> None:
    assert (
        tuple(h.hex() for h in CT_TREE.consistency_proof(first, second))
        == CT_CONSISTENCY[(first, second)]
    )


@pytest.mark.parametrize("size", SIZES)
def test_every_audit_path_of_the_reference_tree_verifies_independently(size: int) -> None:
    root = bytes.fromhex(CT_ROOTS[size])
    for index in range(size):
        path = CT_TREE.inclusion_proof(index, size)
        leaf = CT_TREE.leaves[index]

        assert independent_inclusion_root(index, size, leaf, path) == root
        verify_inclusion(index, size, leaf, path, root)


@pytest.mark.parametrize("second", SIZES)
def test_every_consistency_proof_of_the_reference_tree_verifies_independently(
    second: int,
) -> None:
    new_root = bytes.fromhex(CT_ROOTS[second])
    for first in range(1, second + 1):
        old_root = bytes.fromhex(CT_ROOTS[first])
        proof = CT_TREE.consistency_proof(first, second)

        assert independently_consistent(first, second, old_root, new_root, proof)
        verify_consistency(first, second, old_root, new_root, proof)


def test_the_independent_verifier_rejects_what_it_should() -> None:
    # A verifier that accepts everything would make the tests above pass vacuously.
    path = CT_TREE.inclusion_proof(5, 8)
    root = bytes.fromhex(CT_ROOTS[8])
    assert independent_inclusion_root(4, 8, CT_TREE.leaves[5], path) != root
    proof = CT_TREE.consistency_proof(6, 8)
    assert not independently_consistent(6, 8, bytes.fromhex(CT_ROOTS[5]), root, proof)
    assert not independently_consistent(6, 8, bytes.fromhex(CT_ROOTS[6]), root, proof[:-1])


# -- tampered proofs -----------------------------------------------------------------------------


def _flip(hashed: bytes) -> bytes:
    return bytes([hashed[0] ^ 0x10]) + hashed[1:]


def _inclusion_forgeries(
    index: int, size: int, leaf: bytes, path: list[bytes], root: bytes
) -> list[tuple[str, int, int, bytes, list[bytes], bytes]]:
    forgeries = [
        ("next leaf index", index + 1, size, leaf, path, root),
        ("doubled size", index, size * 2, leaf, path, root),
        ("other leaf", index, size, _h(b"other"), path, root),
        ("other root", index, size, leaf, path, _flip(root)),
        ("trailing hash", index, size, leaf, [*path, root], root),
        ("leading hash", index, size, leaf, [root, *path], root),
    ]
    if index > 0:
        forgeries.append(("previous leaf index", index - 1, size, leaf, path, root))
    for i in range(len(path)):
        altered = [*path[:i], _flip(path[i]), *path[i + 1 :]]
        forgeries.append((f"bit flipped in path[{i}]", index, size, leaf, altered, root))
    if path:
        forgeries.append(("truncated path", index, size, leaf, path[:-1], root))
    return forgeries


@pytest.mark.parametrize("size", SIZES)
def test_a_tampered_audit_path_is_rejected(size: int) -> None:
    root = bytes.fromhex(CT_ROOTS[size])
    for index in range(size):
        path = CT_TREE.inclusion_proof(index, size)
        for name, *forged in _inclusion_forgeries(index, size, CT_TREE.leaves[index], path, root):
            try:
                verify_inclusion(*forged)  # type: ignore[arg-type]
            except InvalidProofError:
                continue
            pytest.fail(f"leaf {index} of {size}: accepted a forgery ({name})")


@pytest.mark.parametrize("second", range(2, 9))
def test_a_tampered_consistency_proof_is_rejected(second: int) -> None:
    new_root = bytes.fromhex(CT_ROOTS[second])
    for first in range(1, second):
        old_root = bytes.fromhex(CT_ROOTS[first])
        proof = CT_TREE.consistency_proof(first, second)
        forgeries = [
            (first + 1, second, old_root, new_root, proof),
            (first, second * 2, old_root, new_root, proof),
            (first, second, new_root, old_root, proof),
            (first, second, _flip(old_root), new_root, proof),
            (first, second, old_root, _flip(new_root), proof),
            (first, second, old_root, new_root, []),
            (first, second, old_root, new_root, [*proof, new_root]),
            (first, second, old_root, new_root, [new_root, *proof]),
            (first, second, old_root, new_root, proof[:-1]),
            *(
                (first, second, old_root, new_root, [*proof[:i], _flip(proof[i]), *proof[i + 1 :]])
                for i in range(len(proof))
            ),
        ]
        for forged in forgeries:
            with pytest.raises(InvalidProofError):
                verify_consistency(*forged)


def test_a_hash_of_the_wrong_length_is_rejected() -> None:
    path = CT_TREE.inclusion_proof(0, 2)
    with pytest.raises(InvalidProofError, match="32"):
        verify_inclusion(0, 2, CT_TREE.leaves[0], [path[0][:31]], CT_TREE.root(2))


# -- properties ----------------------------------------------------------------------------------

histories = st.lists(st.binary(max_size=12), min_size=2, max_size=70)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), entries=histories)
def test_any_later_tree_is_provably_consistent_with_any_earlier_one(
    data: st.DataObject, entries: list[bytes]
) -> None:
    tree = MemoryTree.of_data(entries)
    second = data.draw(st.integers(min_value=2, max_value=len(entries)), label="second")
    first = data.draw(st.integers(min_value=1, max_value=second - 1), label="first")
    proof = tree.consistency_proof(first, second)

    verify_consistency(first, second, tree.root(first), tree.root(second), proof)
    assert independently_consistent(first, second, tree.root(first), tree.root(second), proof)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), entries=histories)
def test_a_root_from_a_different_history_never_verifies(
    data: st.DataObject, entries: list[bytes]
) -> None:
    tree = MemoryTree.of_data(entries)
    second = data.draw(st.integers(min_value=2, max_value=len(entries)), label="second")
    first = data.draw(st.integers(min_value=1, max_value=second - 1), label="first")
    changed = data.draw(st.integers(min_value=0, max_value=second - 1), label="changed leaf")
    other = MemoryTree.of_data(
        [*entries[:changed], entries[changed] + b"\x00", *entries[changed + 1 :]]
    )
    proof = tree.consistency_proof(first, second)

    with pytest.raises(InvalidProofError):
        verify_consistency(first, second, tree.root(first), other.root(second), proof)
    if changed < first:
        with pytest.raises(InvalidProofError):
            verify_consistency(first, second, other.root(first), tree.root(second), proof)
    assert not independently_consistent(first, second, tree.root(first), other.root(second), proof)


@settings(max_examples=40, deadline=None)
@given(entries=st.lists(st.binary(max_size=8), min_size=1, max_size=70))
def test_a_growing_frontier_completes_exactly_the_perfect_nodes_of_the_tree(
    entries: list[bytes],
) -> None:
    tree = MemoryTree.of_data(entries)
    frontier = Frontier()
    completed = []
    for leaf in tree.leaves:
        completed += frontier.append(leaf)
        assert frontier.root() == tree.root(frontier.size)

    for level, index, hashed in completed:
        assert hashed == tree.node((level, index))
    assert len(completed) == sum(len(entries) >> level for level in range(1, 8))
