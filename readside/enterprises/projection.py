"""The applicant bodies (申报主体) and their credit records (工信厅节函〔2022〕235号 一、二).

`enterprises` keeps each body's names with the day each took effect (a listing's name as of a
date comes from them), the aliases documents give it, and whether it is a fictitious unit of the
demo (`synthetic`, ADR 0042); `credit_incidents` keeps every incident with its retraction (a
correction), its rectification and the end of a continuing condition, so an explanation can say
whether an incident still stands and whether it still lasts.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, TypeAlias
from uuid import UUID

from sqlalchemy.engine import Connection

from domain.enterprise import Enterprise, EnterpriseKey
from domain.events import (
    LISTING_EVENTS,
    AssessorEvent,
    BatchEvent,
    EnterpriseEvent,
    LedgerEvent,
    ListingEvent,
    NationalEvent,
    check_ignored,
    classes_of,
)
from domain.values import normalise_name
from readside.engine import tables
from readside.engine.writing import insert_rows, reference_json, select_where_in, update_rows


@dataclass(slots=True)
class EnterpriseRow:
    enterprise_id: UUID
    name: str
    region: str
    uscc: str | None
    industry: str | None
    registered_on: date
    names: list[list[str]]
    aliases: list[str]
    synthetic: bool
    updated_position: int

    def as_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    def name_history(self) -> list[tuple[date, str]]:
        return [(date.fromisoformat(since), name) for since, name in self.names]


_FIELDS = tuple(f.name for f in fields(EnterpriseRow))

#: The events this view leaves alone: mypy checks that it handles every other one.
Ignored: TypeAlias = (
    ListingEvent | EnterpriseKey.Claimed | AssessorEvent | BatchEvent | NationalEvent
)
_IGNORED = classes_of(Ignored)


def _ignore(event: Ignored) -> None:
    check_ignored("the enterprises view", event, _IGNORED)


def _incident(position: int, event: Enterprise.CreditIncidentRecorded) -> dict[str, Any]:
    return {
        "incident_id": event.incident_id,
        "enterprise_id": event.originator_id,
        "kind": event.kind.value,
        "grade": event.grade.value if event.grade else None,
        "occurred_on": event.occurred_on,
        "source": event.source.value,
        "reference": reference_json(event.reference),
        "recorded_on": event.effective_on,
        "position": position,
        "retracted_on": None,
        "retracted_position": None,
        "retraction_reason": None,
        "rectified_on": None,
        "rectified_position": None,
        "ended_on": None,
        "ended_position": None,
    }


@functools.lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A name as searched and sorted: normalised (half-width, no spaces) and case-folded.

    Remembered: a listing's name is keyed again for each of its periods (ADR 0133)."""
    return normalise_name(name).casefold()


class EnterprisesProjection:
    def __init__(self, rows: dict[UUID, EnterpriseRow]) -> None:
        self.rows = rows
        self._new: set[UUID] = set()
        self._dirty: set[UUID] = set()
        self._new_incidents: dict[UUID, dict[str, Any]] = {}
        self._new_names: list[dict[str, Any]] = []
        self._incident_changes: list[dict[str, Any]] = []

    def load(self, connection: Connection, enterprise_ids: set[UUID]) -> None:
        table = tables.enterprises
        missing = enterprise_ids.difference(self.rows)
        for record in select_where_in(connection, table, table.c.enterprise_id, missing):
            row = EnterpriseRow(**record._asdict())
            row.names = [list(pair) for pair in row.names]
            row.aliases = list(row.aliases)
            self.rows[row.enterprise_id] = row

    def get(self, enterprise_id: UUID) -> EnterpriseRow | None:
        return self.rows.get(enterprise_id)

    def process_event(self, position: int, event: LedgerEvent) -> None:
        if isinstance(event, LISTING_EVENTS):
            return  # ignored (most events are a listing's: one test, not the whole match)
        match event:
            case Enterprise.Registered():
                self._register(position, event)
            case Enterprise.Renamed():
                row = self._touched(position, event)
                row.name = event.name
                row.names = [*row.names, [event.effective_on.isoformat(), event.name]]
                self._named(position, event, event.name, "renamed")
            case Enterprise.AliasRecorded():
                row = self._touched(position, event)
                row.aliases = [*row.aliases, event.alias]
                self._named(position, event, event.alias, "alias")
            case Enterprise.CreditCodeAssigned():
                self._touched(position, event).uscc = event.uscc.value
            case Enterprise.Nominated():
                self._touched(position, event)
            case Enterprise.CreditIncidentRecorded():
                self._touched(position, event)
                self._new_incidents[event.incident_id] = _incident(position, event)
            case Enterprise.CreditIncidentRetracted():
                self._touched(position, event)
                self._change_incident(
                    event.incident_id,
                    retracted_on=event.effective_on,
                    retracted_position=position,
                    retraction_reason=event.reason,
                )
            case Enterprise.RectificationCompleted():
                self._touched(position, event)
                self._change_incident(
                    event.incident_id, rectified_on=event.effective_on, rectified_position=position
                )
            case Enterprise.CreditIncidentEnded():
                self._touched(position, event)
                self._change_incident(
                    event.incident_id, ended_on=event.ended_on, ended_position=position
                )
            case _:
                _ignore(event)

    def _touched(self, position: int, event: EnterpriseEvent) -> EnterpriseRow:
        row = self.rows.get(event.originator_id)
        if row is None:
            raise LookupError(f"enterprise {event.originator_id} has events but no registration")
        row.updated_position = position
        if row.enterprise_id not in self._new:
            self._dirty.add(row.enterprise_id)
        return row

    def _named(self, position: int, event: EnterpriseEvent, name: str, kind: str) -> None:
        self._new_names.append(
            {
                "position": position,
                "enterprise_id": event.originator_id,
                "name": name,
                "name_key": name_key(name),
                "kind": kind,
                "since": event.effective_on,
            }
        )

    def _register(self, position: int, event: Enterprise.Registered) -> None:
        self._named(position, event, event.name, "registered")
        self.rows[event.originator_id] = EnterpriseRow(
            enterprise_id=event.originator_id,
            name=event.name,
            region=event.region.code,
            uscc=event.uscc.value if event.uscc else None,
            industry=event.industry,
            registered_on=event.effective_on,
            names=[[event.effective_on.isoformat(), event.name]],
            aliases=[],
            synthetic=event.synthetic,
            updated_position=position,
        )
        self._new.add(event.originator_id)

    def _change_incident(self, incident_id: UUID, **values: Any) -> None:
        pending = self._new_incidents.get(incident_id)
        if pending is not None:
            pending.update(values)
        else:
            self._incident_changes.append({"incident_id": incident_id, **values})

    def flush(self, connection: Connection) -> None:
        insert_rows(
            connection, tables.enterprises, [self.rows[i].as_row() for i in sorted(self._new)]
        )
        update_rows(
            connection,
            tables.enterprises,
            ("enterprise_id",),
            [self.rows[i].as_row() for i in sorted(self._dirty)],
        )
        insert_rows(connection, tables.enterprise_names, self._new_names)
        insert_rows(connection, tables.credit_incidents, list(self._new_incidents.values()))
        for change in self._incident_changes:  # few: one statement each keeps the columns exact
            update_rows(connection, tables.credit_incidents, ("incident_id",), [change])
