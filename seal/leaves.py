"""The canonical bytes of one stored event: the data of its leaf in the seal (ADR 0030).

Leaf i of the seal is the i-th stored event in notification order. Its bytes, version 1, are the
concatenation of (u32 and u64 big-endian; `field(x)` = u32 length of x, then x):

    field("greenledger/seal-leaf/v1")
    field(originator id)        UTF-8; a UUID in its canonical form, 36 lowercase characters
    u64(originator version)
    field(topic)                UTF-8, e.g. "domain.listing:Listing.Removed"
    field(recorded timestamp)   UTF-8, the `_data_` string of the top-level "timestamp" member
                                of the JSON state (e.g. "2024-05-01T08:00:00.123456+00:00"),
                                empty when the state holds none
    field(state)                the stored state bytes exactly as stored

The notification id is deliberately not part of the leaf: ids may have gaps and a store may be
migrated and renumbered; what the seal fixes is each event and its rank in the sequence.
Pure: no I/O.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

LEAF_FORMAT = b"greenledger/seal-leaf/v1"
#: How the library writes the recorded timestamp first in every event's state.
_TIMESTAMP_PREFIX = b'{"timestamp":{"_type_":"datetime_iso","_data_":"'
_U32 = struct.Struct(">I")
_U64 = struct.Struct(">Q")


class StoredEvent(Protocol):
    """What a leaf is made of: the library's `Notification` has these fields."""

    @property
    def originator_id(self) -> UUID | str: ...

    @property
    def originator_version(self) -> int: ...

    @property
    def topic(self) -> str: ...

    @property
    def state(self) -> bytes: ...


def _field(data: bytes) -> bytes:
    return _U32.pack(len(data)) + data


_FORMAT_FIELD = _field(LEAF_FORMAT)


def recorded_timestamp(state: bytes) -> str:
    """The recorded timestamp as the library wrote it into the state, or "" if there is none."""
    if state.startswith(_TIMESTAMP_PREFIX):
        end = state.find(b'"', len(_TIMESTAMP_PREFIX))
        if end > 0 and state[end + 1 : end + 3] == b"}," and b"\\" not in state[:end]:
            return state[len(_TIMESTAMP_PREFIX) : end].decode("utf-8", "replace")
    try:
        document = json.loads(state)
    except ValueError:
        return ""
    timestamp = document.get("timestamp") if isinstance(document, dict) else None
    if isinstance(timestamp, dict):
        timestamp = timestamp.get("_data_")
    return timestamp if isinstance(timestamp, str) else ""


def originator_text(originator_id: UUID | str) -> str:
    return str(originator_id)


def leaf_bytes(event: StoredEvent) -> bytes:
    """The canonical bytes of a stored event (format above)."""
    state = bytes(event.state)
    originator = originator_text(event.originator_id).encode("utf-8")
    topic = event.topic.encode("utf-8")
    timestamp = recorded_timestamp(state).encode("utf-8")
    return b"".join(
        (
            _FORMAT_FIELD,
            _U32.pack(len(originator)),
            originator,
            _U64.pack(event.originator_version),
            _U32.pack(len(topic)),
            topic,
            _U32.pack(len(timestamp)),
            timestamp,
            _U32.pack(len(state)),
            state,
        )
    )


@dataclass(frozen=True)
class LeafFields:
    """A leaf's bytes read back: what an auditor sees of the event a proof is about."""

    originator_id: str
    originator_version: int
    topic: str
    recorded_at: str
    state: bytes


class MalformedLeafError(ValueError):
    """Raised when bytes are not a leaf of the format above."""


def parse_leaf(data: bytes) -> LeafFields:
    """The fields of canonical leaf bytes; `MalformedLeafError` when they are not such bytes."""
    at = 0

    def take(size: int) -> bytes:
        nonlocal at
        if at + size > len(data):
            raise MalformedLeafError("the leaf ends early")
        chunk = data[at : at + size]
        at += size
        return chunk

    def field() -> bytes:
        return take(_U32.unpack(take(4))[0])

    if field() != LEAF_FORMAT:
        raise MalformedLeafError(f"not a {LEAF_FORMAT.decode()} leaf")
    originator = field().decode("utf-8")
    version = _U64.unpack(take(8))[0]
    topic = field().decode("utf-8")
    recorded_at = field().decode("utf-8")
    state = field()
    if at != len(data):
        raise MalformedLeafError("bytes after the state")
    return LeafFields(originator, version, topic, recorded_at, state)
