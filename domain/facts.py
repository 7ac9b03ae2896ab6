"""What every stored fact carries, besides the library's id, version and recorded `timestamp`.

Two time axes (design.md, ADR 0002): the library's `timestamp` says when the ledger learned the
fact; `effective_on` says when it is true in the world. Every fact also names its `actor` (the
principal who issued the command: `ministry`, `province:320000`, `importer` ...), its `basis` (the
documents it rests on) and an optional `note`. Decisions add the rulebook version they were taken
under and the rule findings that supported them (工信厅节函〔2022〕235号: every removal must be
explainable).

Events are frozen dataclasses (the library's metaclass makes them so). Their `apply` only assigns
state: it runs again on every replay.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Self
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import AggregateCreated, AggregateEvent

from domain.values import Finding, Reference

#: Root of every deterministic identity in the ledger (design.md: identities are uuid5).
LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "urn:greenledger:v1")


def identity(*parts: object) -> UUID:
    """The uuid5 of the parts joined by '/': same parts, same id, in every ledger."""
    return uuid5(LEDGER_NAMESPACE, "/".join(str(part) for part in parts))


class Fact(AggregateEvent):
    effective_on: date
    actor: str
    basis: tuple[Reference, ...]
    note: str | None


class FoundingFact(AggregateCreated, Fact):
    """The first fact of an aggregate."""


class Decision(Fact):
    """A fact that is a decision under the rulebook: it records the version and the findings."""

    rulebook: str
    rule_findings: tuple[Finding, ...]


class ImmutableValuesState:
    """An aggregate whose state is immutable values, held directly or in top-level containers.

    The events' `apply` replaces attributes or sets items of top-level dicts; it never changes a
    value in place. So copying the top-level containers makes a copy as independent as a deep
    copy — which the library takes of every aggregate it hands out of its cache, and which for a
    yearly batch of thousands of nominations was the whole cost of a nomination.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        copy = object.__new__(type(self))
        for name, value in self.__dict__.items():
            if isinstance(value, dict | list | set):
                value = type(value)(value)
            copy.__dict__[name] = value
        return copy
