"""Why the ledger refuses a command.

One hierarchy under `LedgerError`. `api/http/errors.py` is the only place that maps it to HTTP:
`InvalidInputError` → 422 naming the field, `NotFoundError` → 404, `TransitionRefusedError` and
`ConcurrentWriteError` → 409 with the conflict, `RuleRefusalError` → 409 with the rule id and its
citation. A refused command writes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID


class LedgerError(Exception):
    """Raised when the ledger refuses a command; the message says what was refused and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- bad input (422) -------------------------------------------------------------------------------


class InvalidInputError(LedgerError):
    """Raised when a command's input is malformed; `field` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class UnknownCodeError(InvalidInputError):
    """Raised when a code (category, level, kind, grade, ...) is not one the contract defines."""


class UnknownRegionError(InvalidInputError):
    """Raised when a region code is not one of the 37 reporting regions of regions.csv."""

    def __init__(self, field: str, code: str) -> None:
        super().__init__(field, f"{code!r} is not one of the 37 reporting regions")
        self.code = code


class InvalidUsccError(InvalidInputError):
    """Raised when a Unified Social Credit Code fails the GB 32100-2015 check."""

    def __init__(self, value: str, reason: str, field: str = "uscc") -> None:
        super().__init__(field, f"{value!r} is not a valid Unified Social Credit Code: {reason}")
        self.value = value


class InvalidReferenceError(InvalidInputError):
    """Raised when a document reference has neither number, title nor URL, or a bad hash."""

    def __init__(self, message: str, field: str = "basis") -> None:
        super().__init__(field, message)


class UnknownIndicatorError(InvalidInputError):
    """Raised when a filing names an indicator code or unit outside indicators.csv."""


class EmptyValueError(InvalidInputError):
    """Raised when a required text (a name, a reason) is empty."""

    def __init__(self, field: str) -> None:
        super().__init__(field, "must not be empty")


class InvalidBatchYearError(InvalidInputError):
    """Raised when a batch is neither a numbered batch 1–5 nor a year from 2016 on."""

    def __init__(self, batch_year: int, field: str = "batch_year") -> None:
        super().__init__(field, f"{batch_year} is neither batch 1–5 nor a year from 2016 on")


class EffectiveDateOrderError(InvalidInputError):
    """Raised when a fact's `effective_on` is earlier than the fact it follows."""

    def __init__(self, given: date, earliest: date, follows: str, field: str = "effective_on"):
        super().__init__(
            field,
            f"{given.isoformat()} is earlier than {earliest.isoformat()}, "
            f"the effective date of the {follows} it follows",
        )
        self.given = given
        self.earliest = earliest


class FutureDateError(InvalidInputError):
    """Raised when a fact's date is later than today (in China) and the configured horizon."""

    def __init__(self, field: str, given: date, latest: date) -> None:
        super().__init__(
            field,
            f"{given.isoformat()} is later than {latest.isoformat()}: a fact is recorded once "
            "it is true (the horizon is GREENLEDGER_EFFECTIVE_HORIZON_DAYS)",
        )
        self.given = given
        self.latest = latest


class InvalidDateRangeError(InvalidInputError):
    """Raised when an end date is not after its start date."""


class FilingYearBeforeListingError(InvalidInputError):
    """Raised when an indicator filing reports a year before the listing's first year."""

    def __init__(self, report_year: int, first_year: int) -> None:
        super().__init__(
            "report_year",
            f"{report_year} is before {first_year}, the first year the listing covers",
        )


# -- unknown ids (404) -----------------------------------------------------------------------------


class NotFoundError(LedgerError):
    """Raised when a command or query names an id the ledger does not hold."""

    kind = "thing"

    def __init__(self, ident: UUID | str | int) -> None:
        super().__init__(f"no {self.kind} {ident} in the ledger")
        self.ident = ident


class EnterpriseNotFoundError(NotFoundError):
    """Raised when no enterprise has the given id."""

    kind = "enterprise"


class ListingNotFoundError(NotFoundError):
    """Raised when no listing has the given id."""

    kind = "listing"


class AssessorNotFoundError(NotFoundError):
    """Raised when no third-party assessor has the given id."""

    kind = "assessor"


class EvaluationNotFoundError(NotFoundError):
    """Raised when an assessor has no evaluation of the given id (cited or reported)."""

    kind = "evaluation"


class BatchNotFoundError(NotFoundError):
    """Raised when the batch of that level and year was never opened."""

    kind = "batch"


class FilingNotFoundError(NotFoundError):
    """Raised when a review names a report year the listing never filed."""

    kind = "filing for report year"


class IncidentNotFoundError(NotFoundError):
    """Raised when a retraction names an incident the enterprise never had recorded."""

    kind = "incident"


# -- illegal transitions (409) ---------------------------------------------------------------------


class TransitionRefusedError(LedgerError):
    """Raised when a command does not fit the current state of its aggregate."""


class ListingNotListedError(TransitionRefusedError):
    """Raised when a filing, assessment, proposal or removal names a listing not on the list."""

    def __init__(self, listing_id: UUID, status: str, action: str) -> None:
        super().__init__(f"listing {listing_id} is {status}, not on the list: cannot {action}")
        self.listing_id = listing_id
        self.status = status


class ListingAlreadyRemovedError(TransitionRefusedError):
    """Raised when a removal names a listing that is already removed."""

    def __init__(self, listing_id: UUID, removed_on: date | None) -> None:
        when = f" on {removed_on.isoformat()}" if removed_on else ""
        super().__init__(f"listing {listing_id} was already removed{when}")
        self.listing_id = listing_id


class ListingNotRemovedError(TransitionRefusedError):
    """Raised when a rescission names a listing that is not removed."""

    def __init__(self, listing_id: UUID, status: str) -> None:
        super().__init__(f"listing {listing_id} is {status}: there is no removal to rescind")
        self.listing_id = listing_id


class ListingNotNominatedError(TransitionRefusedError):
    """Raised when a publication lists or rejects a listing that awaits no decision."""

    def __init__(self, listing_id: UUID, status: str, detail: str = "") -> None:
        super().__init__(
            f"listing {listing_id} is {status}, not a pending nomination{detail}",
        )
        self.listing_id = listing_id


class ListingAlreadyActiveError(TransitionRefusedError):
    """Raised when a nomination names a listing that is already nominated or on the list."""

    def __init__(self, listing_id: UUID, status: str) -> None:
        super().__init__(f"listing {listing_id} is already {status}")
        self.listing_id = listing_id


class AssessmentNotOrderedError(TransitionRefusedError):
    """Raised when a conclusion names an on-site assessment that was never ordered."""

    def __init__(self, listing_id: UUID, assessment_id: UUID) -> None:
        super().__init__(
            f"no on-site assessment {assessment_id} was ordered for listing {listing_id}"
        )


class AssessmentAlreadyConcludedError(TransitionRefusedError):
    """Raised when a conclusion names an on-site assessment that was already concluded."""

    def __init__(self, assessment_id: UUID) -> None:
        super().__init__(f"on-site assessment {assessment_id} was already concluded")


class AssessmentAlreadyOpenError(TransitionRefusedError):
    """Raised when an assessment is ordered while another one is still open."""

    def __init__(self, assessment_id: UUID) -> None:
        super().__init__(f"on-site assessment {assessment_id} is still open")


class IncidentAlreadyRetractedError(TransitionRefusedError):
    """Raised when an incident is retracted or resolved twice."""

    def __init__(self, incident_id: UUID) -> None:
        super().__init__(f"incident {incident_id} was already retracted")


class IncidentNotContinuingError(TransitionRefusedError):
    """Raised when an end is recorded for an incident that is an event, not a continuing state."""

    def __init__(self, incident_id: UUID, kind: str) -> None:
        super().__init__(
            f"incident {incident_id} is {kind}, an event, not a continuing condition "
            "(not_operating, energy_rectification_overdue, dishonest_debtor): it has no end"
        )
        self.incident_id = incident_id


class IncidentAlreadyEndedError(TransitionRefusedError):
    """Raised when a continuing condition is ended, or rectified, a second time."""

    def __init__(self, incident_id: UUID, ended_on: date) -> None:
        super().__init__(f"incident {incident_id} already ended on {ended_on.isoformat()}")
        self.incident_id = incident_id


class AssessorNotBlacklistedError(TransitionRefusedError):
    """Raised when a blacklist is lifted from an assessor that is not blacklisted."""

    def __init__(self, assessor_id: UUID) -> None:
        super().__init__(f"assessor {assessor_id} is not blacklisted")


class BatchAlreadyOpenError(TransitionRefusedError):
    """Raised when a batch is opened again with different settings."""


class EnterpriseIdentityConflictError(TransitionRefusedError):
    """Raised when a credit code or a name already belongs to a different enterprise."""


# -- rules (409 with rule id and citation) ---------------------------------------------------------


class RuleRefusalError(LedgerError):
    """Raised when the rulebook forbids a command; carries every finding that refuses it."""

    def __init__(
        self,
        rule_id: str,
        citation: str,
        message: str,
        findings: Sequence[Any] = (),
        rulebook: str = "",
    ) -> None:
        super().__init__(f"{rule_id} ({citation}): {message}")
        self.rule_id = rule_id
        self.citation = citation
        self.reason = message
        self.findings = tuple(findings)
        self.rulebook = rulebook


# -- concurrency (409) -----------------------------------------------------------------------------


class ConcurrentWriteError(LedgerError):
    """Raised when another command changed the same aggregate first; retrying is safe."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "another command changed the same record at the same time; nothing was written, "
            "retry the command" + (f" ({detail})" if detail else "")
        )


class ImportOvertakenError(ConcurrentWriteError):
    """A chunk of an import (or of any work saved a chunk at a time) refused because another writer
    changed some of its records first. Unlike a single command's conflict, the chunks saved before
    it (by this run, or by an earlier run of the same work) stay saved: its refusal never says
    "nothing was written". Run again, the work counts them as already present and records the
    rest."""

    def __init__(self) -> None:
        LedgerError.__init__(
            self,
            "another writer changed some of these records first; any chunks saved before this "
            "one stay saved, and running it again records the rest",
        )
