"""Certificates of a unit's standing on the list, checkable offline (ADR 0031).

A certificate says where one listing stood on a date — on the list or removed — and carries what
that rests on: the canonical bytes (`seal.leaves`) of the unit's list-changing events and of its
enterprise's registration and renames, an RFC 6962 inclusion proof of each in one tree, and that
tree's head signed with Ed25519. `verify_certificate` needs nothing else but the public key: it
checks the signature, every proof against the signed root, that every event belongs to the unit
(the listing id is the uuid5 of enterprise × category × level × product, design.md), then folds
the events into the statement and refuses the certificate unless the statement it carries is
exactly that one. Nothing here trusts the server: the statement is re-derived from the bytes.

What a certificate cannot prove is said in words with every check (`NOT_PROVEN`): facts recorded
after its head, that no other event of the unit was recorded before the head (inclusion is not
completeness; `greenledger verify` over the whole log is), and the read models' flags.
Pure: no I/O.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.listing import listing_id_for
from domain.values import Category, Level, Product
from seal.leaves import LeafFields, MalformedLeafError, parse_leaf
from seal.merkle import HASH_SIZE, InvalidProofError, leaf_hash, verify_inclusion
from seal.signing import TreeHead, TreeHeadRejectedError, check_signature
from seal.standing import Standing, StandingNotProvenError, fold_standing, statement_of

CERTIFICATE_FORMAT = "greenledger/certificate/v1"


class CertificateRejectedError(ValueError):
    """Raised when a certificate does not prove what it says; the message says why."""


@dataclass(frozen=True)
class Subject:
    """The listing certified: its id and what the id is derived from."""

    listing_id: UUID
    enterprise_id: UUID
    category: Category
    level: Level
    product: Product | None

    def to_document(self) -> dict[str, Any]:
        product = self.product
        return {
            "listing_id": str(self.listing_id),
            "enterprise_id": str(self.enterprise_id),
            "category": self.category.value,
            "level": self.level.value,
            "product": None if product is None else {"name": product.name, "model": product.model},
        }

    @classmethod
    def from_document(cls, document: Any) -> Subject:
        document = _object(document, "subject")
        product = document.get("product")
        if product is not None:
            product = _object(product, "subject.product")
            product = Product(_text(product, "name", "subject.product"), product.get("model"))
        try:
            return cls(
                UUID(_text(document, "listing_id", "subject")),
                UUID(_text(document, "enterprise_id", "subject")),
                Category(_text(document, "category", "subject")),
                Level(_text(document, "level", "subject")),
                product,
            )
        except ValueError as error:
            raise CertificateRejectedError(f"subject: {error}") from error


@dataclass(frozen=True)
class CertifiedEvent:
    """One event's canonical bytes and its inclusion proof in a tree of `tree_size` leaves."""

    leaf_index: int
    tree_size: int
    leaf: bytes
    audit_path: tuple[bytes, ...]

    def fields(self) -> LeafFields:
        return parse_leaf(self.leaf)

    def to_document(self) -> dict[str, Any]:
        fields = self.fields()
        return {
            "event": fields.topic.rsplit(":", 1)[-1],
            "effective_on": _state(fields).get("effective_on"),
            "recorded_at": fields.recorded_at,
            "leaf_index": self.leaf_index,
            "tree_size": self.tree_size,
            "leaf": self.leaf.hex(),
            "audit_path": [hashed.hex() for hashed in self.audit_path],
        }

    @classmethod
    def from_document(cls, document: Any, where: str) -> CertifiedEvent:
        document = _object(document, where)
        path = document.get("audit_path")
        if not isinstance(path, list):
            raise CertificateRejectedError(f"{where}.audit_path: expected a list of hashes")
        event = cls(
            _count(document, "leaf_index", where),
            _count(document, "tree_size", where),
            _hex(document.get("leaf"), f"{where}.leaf"),
            tuple(_hex(value, f"{where}.audit_path", HASH_SIZE) for value in path),
        )
        try:
            described = event.to_document()
        except MalformedLeafError as error:
            raise CertificateRejectedError(f"{where}.leaf: {error}") from error
        for name in ("event", "effective_on", "recorded_at"):
            if document.get(name) != described[name]:
                raise CertificateRejectedError(
                    f"{where}.{name}: says {document.get(name)!r}, its leaf {described[name]!r}"
                )
        return event


@dataclass(frozen=True)
class Certificate:
    subject: Subject
    on: date
    statement: dict[str, Any]
    events: tuple[CertifiedEvent, ...]
    head: TreeHead

    def to_document(self) -> dict[str, Any]:
        return {
            "format": CERTIFICATE_FORMAT,
            "subject": self.subject.to_document(),
            "on": self.on.isoformat(),
            "statement": self.statement,
            "events": [event.to_document() for event in self.events],
            "tree_head": self.head.to_document(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_document(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_document(cls, document: Any) -> Certificate:
        document = _object(document, "certificate")
        if document.get("format") != CERTIFICATE_FORMAT:
            raise CertificateRejectedError(f"format: expected {CERTIFICATE_FORMAT!r}")
        events = document.get("events")
        if not isinstance(events, list) or not events:
            raise CertificateRejectedError("events: expected a non-empty list")
        try:
            on = date.fromisoformat(_text(document, "on", "certificate"))
            head = TreeHead.from_document(document.get("tree_head"))
        except (ValueError, TreeHeadRejectedError) as error:
            raise CertificateRejectedError(f"{error}") from error
        return cls(
            subject=Subject.from_document(document.get("subject")),
            on=on,
            statement=_object(document.get("statement"), "statement"),
            events=tuple(
                CertifiedEvent.from_document(event, f"events[{number}]")
                for number, event in enumerate(events)
            ),
            head=head,
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> Certificate:
        try:
            document = json.loads(text)
        except ValueError as error:
            raise CertificateRejectedError(f"not JSON: {error}") from error
        return cls.from_document(document)


@dataclass(frozen=True)
class VerifiedCertificate:
    """A certificate whose every check passed: what it proves, derived from its events."""

    certificate: Certificate
    standing: Standing

    @property
    def head(self) -> TreeHead:
        return self.certificate.head


def certify(
    subject: Subject, on: date, events: Sequence[CertifiedEvent], head: TreeHead
) -> Certificate:
    """The certificate of these events: its statement is derived from them, as a verifier will."""
    standing = _standing(subject, on, events)
    return Certificate(subject, on, statement_of(standing), tuple(events), head)


def verify_certificate(
    certificate: Certificate, public_key: Ed25519PublicKey
) -> VerifiedCertificate:
    """Every check, with no database and no network; `CertificateRejectedError` saying which
    failed and why."""
    head = certificate.head
    try:
        check_signature(head, public_key)
    except TreeHeadRejectedError as error:
        raise CertificateRejectedError(f"tree_head: {error}") from error
    for number, event in enumerate(certificate.events):
        _check_inclusion(number, event, head)
    standing = _standing(certificate.subject, certificate.on, certificate.events)
    derived = statement_of(standing)
    for key in sorted(derived.keys() | certificate.statement.keys()):
        if derived.get(key) != certificate.statement.get(key):
            raise CertificateRejectedError(
                f"statement.{key}: the certificate says {certificate.statement.get(key)!r}, "
                f"its events prove {derived.get(key)!r}"
            )
    return VerifiedCertificate(certificate, standing)


def _check_inclusion(number: int, event: CertifiedEvent, head: TreeHead) -> None:
    where = f"events[{number}]"
    if event.tree_size != head.tree_size:
        raise CertificateRejectedError(
            f"{where}: its proof is for a tree of {event.tree_size} events, the signed head "
            f"is of {head.tree_size}"
        )
    try:
        verify_inclusion(
            event.leaf_index,
            head.tree_size,
            leaf_hash(event.leaf),
            event.audit_path,
            head.root_hash,
        )
    except InvalidProofError as error:
        raise CertificateRejectedError(
            f"{where}: not in the signed tree — its bytes or its proof were altered ({error})"
        ) from error


def _standing(subject: Subject, on: date, events: Sequence[CertifiedEvent]) -> Standing:
    derived = listing_id_for(
        subject.enterprise_id, subject.category, subject.level, subject.product
    )
    if derived != subject.listing_id:
        raise CertificateRejectedError(
            f"subject.listing_id: {subject.listing_id} is not the id of this enterprise, "
            f"category, level and product ({derived})"
        )
    decoded: list[tuple[str, str, int, dict[str, Any]]] = []
    for number, event in enumerate(events):
        fields = event.fields()
        expected = {str(subject.listing_id), str(subject.enterprise_id)}
        if fields.originator_id not in expected:
            raise CertificateRejectedError(
                f"events[{number}]: an event of {fields.originator_id}, neither the unit nor "
                "its enterprise"
            )
        kind = fields.topic.rsplit(":", 1)[-1]
        decoded.append((kind, fields.originator_id, fields.originator_version, _state(fields)))
    try:
        return fold_standing(subject, on, decoded)
    except StandingNotProvenError as error:
        raise CertificateRejectedError(str(error)) from error
    except (KeyError, TypeError, ValueError) as error:
        raise CertificateRejectedError(
            f"an event's state lacks what it must say: {error}"
        ) from error


# -- reading documents -----------------------------------------------------------------------------


def _state(fields: LeafFields) -> dict[str, Any]:
    """The event's stored state, with the library's `{_type_, _data_}` wrappers taken off."""
    try:
        document = json.loads(fields.state)
    except ValueError as error:
        raise CertificateRejectedError(f"an event's state is not JSON: {error}") from error
    plain = _plain(document)
    if not isinstance(plain, dict):
        raise CertificateRejectedError("an event's state is not a JSON object")
    return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"_type_", "_data_"}:
            return _plain(value["_data_"])
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CertificateRejectedError(f"{where}: expected a JSON object")
    return value


def _text(document: dict[str, Any], name: str, where: str) -> str:
    value = document.get(name)
    if not isinstance(value, str):
        raise CertificateRejectedError(f"{where}.{name}: expected a string")
    return value


def _count(document: dict[str, Any], name: str, where: str) -> int:
    value = document.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise CertificateRejectedError(f"{where}.{name}: expected a non-negative integer")
    return value


def _hex(value: Any, where: str, size: int | None = None) -> bytes:
    try:
        data = bytes.fromhex(value) if isinstance(value, str) else None
    except ValueError:
        data = None
    if data is None or (size is not None and len(data) != size):
        wanted = f"{size} bytes" if size is not None else "bytes"
        raise CertificateRejectedError(f"{where}: expected {wanted} in hex")
    return data
