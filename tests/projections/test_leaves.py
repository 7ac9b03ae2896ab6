"""The canonical bytes of a stored event, exactly as ADR 0030 tells an auditor to rebuild them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from uuid import UUID

import pytest

from domain.facts import Fact
from domain.ledger import Ledger
from seal.leaves import (
    MalformedLeafError,
    leaf_bytes,
    parse_leaf,
    recorded_timestamp,
)
from seal.merkle import leaf_hash
from tests.builders import listed_factory


@dataclass(frozen=True)
class Stored:
    originator_id: UUID | str
    originator_version: int
    topic: str
    state: bytes


STATE = (
    b'{"timestamp":{"_type_":"datetime_iso","_data_":"2024-05-01T08:00:00.123456+00:00"},'
    b'"actor":"ministry"}'
)
EVENT = Stored(
    UUID("1b77b0fa-524f-5226-b26c-b5183638cafb"), 3, "domain.listing:Listing.Removed", STATE
)


def test_the_leaf_bytes_follow_the_published_layout_byte_for_byte() -> None:
    def field(text: bytes) -> bytes:
        return len(text).to_bytes(4, "big") + text

    expected = (
        field(b"greenledger/seal-leaf/v1")
        + field(b"1b77b0fa-524f-5226-b26c-b5183638cafb")
        + (3).to_bytes(8, "big")
        + field(b"domain.listing:Listing.Removed")
        + field(b"2024-05-01T08:00:00.123456+00:00")
        + field(STATE)
    )

    assert leaf_bytes(EVENT) == expected
    assert leaf_hash(leaf_bytes(EVENT)) == hashlib.sha256(b"\x00" + expected).digest()


def test_the_recorded_timestamp_is_the_one_a_json_parser_reads() -> None:
    reordered = json.dumps(
        {
            "actor": "x",
            "timestamp": {"_type_": "datetime_iso", "_data_": "2024-01-02T03:04:05+00:00"},
        }
    ).encode()

    assert recorded_timestamp(STATE) == "2024-05-01T08:00:00.123456+00:00"
    assert recorded_timestamp(reordered) == "2024-01-02T03:04:05+00:00"
    assert recorded_timestamp(b"\x93encrypted") == ""
    assert recorded_timestamp(b'{"no":"timestamp"}') == ""


def test_every_event_the_ledger_stores_reads_back_from_its_leaf(memory_ledger: Ledger) -> None:
    listed_factory(memory_ledger)

    for stored in memory_ledger.recorder.select_notifications(start=None, limit=100):
        fields = parse_leaf(leaf_bytes(stored))
        event = memory_ledger.mapper.to_domain_event(stored)
        assert isinstance(event, Fact)

        assert fields.originator_id == str(stored.originator_id)
        assert fields.originator_version == stored.originator_version
        assert fields.topic == stored.topic
        assert fields.state == stored.state
        assert fields.recorded_at == event.timestamp.isoformat()


@pytest.mark.parametrize(
    "data",
    [b"", leaf_bytes(EVENT)[:-1], leaf_bytes(EVENT) + b"x", b"\x00\x00\x00\x03abc"],
)
def test_bytes_that_are_not_a_leaf_are_refused(data: bytes) -> None:
    with pytest.raises(MalformedLeafError):
        parse_leaf(data)
