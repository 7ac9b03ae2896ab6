"""What ties a stored report to the ledger as it stands now: the report's tree head, the latest
head, and the consistency proof between them (RFC 9162 §2.1.4, ADR 0030).

A later reader who keeps the report's signed head checks the proof against it and against the
latest head (`greenledger verify-proof --proof … --head … --head …`, or any RFC 9162 verifier):
if it verifies, nothing the report was computed from changed since — every event up to the
report's head is still there, byte for byte, in the same order.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from audit.reports import StoredReport
from seal.merkle import InvalidProofError
from seal.proofs import ConsistencyProof
from seal.sealing import Seal
from seal.signing import TreeHead, sign_head


@dataclass(frozen=True)
class Evidence:
    """The report's head, the latest head, the proof that the latter extends the former."""

    report_head: TreeHead
    latest_head: TreeHead
    #: None when the report read no event (every tree extends the empty one).
    proof: ConsistencyProof | None
    consistent: bool
    detail: str

    def to_document(self) -> dict[str, Any]:
        return {
            "report_head": self.report_head.to_document(),
            "latest_head": self.latest_head.to_document(),
            "consistency_proof": self.proof.to_document() if self.proof else None,
            "consistent": self.consistent,
            "detail": self.detail,
        }


def evidence_for(
    seal: Seal,
    report: StoredReport,
    *,
    signing_key: Ed25519PrivateKey | None = None,
    gate: AbstractContextManager[object] | None = None,
) -> Evidence:
    """The latest head (signed when a key is given) and the consistency proof from the report's
    head to it, checked here against both heads' roots before it is handed out."""
    if report.head is None:
        raise ValueError(f"audit report {report.report_id} has no tree head: it is not done")
    seal.catch_up(gate=gate)  # the seal writes its nodes to the ledger's database (ADR 0154)
    latest = seal.head()
    if signing_key is not None:
        latest = sign_head(latest, signing_key)
    report_head = TreeHead.from_document(report.head)
    if report_head.tree_size == 0:
        return Evidence(report_head, latest, None, True, "空树：任何树都是其延伸 the empty tree")
    if latest.tree_size < report_head.tree_size:
        return Evidence(
            report_head,
            latest,
            None,
            False,
            f"不一致：台账现有 {latest.tree_size} 个事件，少于报告的 {report_head.tree_size} 个 "
            f"inconsistent: the ledger now holds {latest.tree_size} events, fewer than the "
            f"report's {report_head.tree_size}",
        )
    proof = seal.consistency_proof(report_head.tree_size, latest.tree_size)
    try:
        proof.check([report_head, latest])
    except InvalidProofError as refused:
        return Evidence(report_head, latest, proof, False, f"不一致 inconsistent: {refused}")
    return Evidence(
        report_head,
        latest,
        proof,
        True,
        f"一致：{latest.tree_size} 个事件的树包含报告的 {report_head.tree_size} 个事件，未被改动 "
        f"consistent: the tree of {latest.tree_size} events extends the report's "
        f"{report_head.tree_size} unchanged",
    )
