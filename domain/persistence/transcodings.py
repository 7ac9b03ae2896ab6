"""How the value types are stored inside events (the library's JSON transcoder).

`json` writes `str`-based enums and tuples natively, bypassing transcodings, so the enums here are
plain `Enum`s with a transcoding each, and dataclass decoding turns stored lists back into tuples.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from domain.values import (
    AssessmentOutcome,
    Category,
    Coded,
    EvaluationConclusion,
    EventRef,
    FilingOutcome,
    Finding,
    IncidentGrade,
    IncidentKind,
    IncidentSource,
    Indicator,
    Level,
    ListingStatus,
    ParkLevel,
    Product,
    ProposalAction,
    Reference,
    Region,
    RegionKind,
    RemovalReason,
    ThirdPartyEvaluation,
    Uscc,
)


class DateAsIso(Transcoding):
    type = date
    name = "date"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class CodedAsValue(Transcoding):
    def __init__(self, enum_type: type[Coded]) -> None:
        self.type = enum_type
        self.name = enum_type.__name__

    def encode(self, obj: Coded) -> Any:
        return obj.value

    def decode(self, data: Any) -> Coded:
        member: Coded = self.type(data)
        return member


class RegionAsCode(Transcoding):
    type = Region
    name = "region"

    def encode(self, obj: Region) -> str:
        return obj.code

    def decode(self, data: str) -> Region:
        return Region.of(data)


class UsccAsText(Transcoding):
    type = Uscc
    name = "uscc"

    def encode(self, obj: Uscc) -> str:
        return obj.value

    def decode(self, data: str) -> Uscc:
        return Uscc(data)


class DataclassAsDict(Transcoding):
    """A frozen dataclass as a dict of its fields; lists come back as tuples."""

    def __init__(self, data_type: type[Any], name: str) -> None:
        self.type = data_type
        self.name = name
        self.field_names = tuple(f.name for f in dataclasses.fields(data_type))

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self.field_names}

    def decode(self, data: dict[str, Any]) -> Any:
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
        return self.type(**values)


CODED_TYPES: tuple[type[Coded], ...] = (
    Category,
    Level,
    ParkLevel,
    ListingStatus,
    IncidentKind,
    IncidentGrade,
    IncidentSource,
    FilingOutcome,
    AssessmentOutcome,
    ProposalAction,
    RemovalReason,
    EvaluationConclusion,
    RegionKind,
)

DATA_TYPES: tuple[tuple[type[Any], str], ...] = (
    (Reference, "reference"),
    (Product, "product"),
    (ThirdPartyEvaluation, "third_party_evaluation"),
    (Indicator, "indicator"),
    (EventRef, "event_ref"),
    (Finding, "finding"),
)


def register_ledger_transcodings(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsIso())
    transcoder.register(RegionAsCode())
    transcoder.register(UsccAsText())
    for coded in CODED_TYPES:
        transcoder.register(CodedAsValue(coded))
    for data_type, name in DATA_TYPES:
        transcoder.register(DataclassAsDict(data_type, name))
