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
