"""Which rules each decision evaluates, and which of their findings refuse it (ADR 0010).

The ledger calls these when a command is issued, and replay calls the same functions on the state
it folds from the log, so a decision re-derives exactly as it was taken. Every function takes the
aggregates as they stood before the command (plus the command's input) and returns the findings
the decision records — those that apply and those checked that did not.

- Nominated, Renominated: REC-1 (rounds with a scope), REC-2, NEG-1…6, the category's
  requirements, PARK-2, and with a third-party evaluation EVAL-1…4; refused when a barring rule
  applies (`Rulebook.barring_rules`: NEG-*, PARK-1, PARK-2, EVAL-2, EVAL-4, and from 13号 on
  REC-2 and REC-3).
- Listed, Rejected: NEG-1…6 on the publication date and the category's requirements; never
  refused (the ministry decides).
- Removed: by reason — indicators DYN-2 (REV-1 under the 2020 rulebook), incident DYN-3 and
  DYN-4, refused filing DYN-1, negative list NEG-1…6, change DYN-5; refused for indicators unless
  DYN-2 applies.
- Removed or Flagged by an incident: DYN-3, DYN-4, or the negative-list rule of the incident's
  kind (`dynamic.incident_consequence`).
- FilingReviewed, OnSiteAssessmentConcluded: DYN-2. FilingOverdue: DYN-1, refused unless it
  applies. AdjustmentProposed: remove DYN-2 and DYN-3, retain DYN-2 and DYN-3 — refused while
  DYN-3 applies: an incident that is a ground for removal must be acted on, not retained —, rename
  DYN-5. Blacklisted: EVAL-2.
- A rescission of a removal (a correction, not a decision): refused while DYN-3 applies on its
  day, for the same reason; retract the incident first if it was recorded in error.
- An evaluation reported (not a decision): EVAL-1…4, refused when EVAL-2 or EVAL-4 applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from uuid import UUID

from domain.assessor import Assessor
from domain.batch import Batch
from domain.enterprise import Enterprise
from domain.errors import RuleRefusalError
from domain.listing import Listing
from domain.rules.catalogue import rule
from domain.rules.categories import (
    Nomination,
    design_product_standard,
    energy_efficiency,
    factory_evidence,
    on_provincial_list,
    park_conditions,
    parks_per_region,
    recommended_category,
    requirement_findings,
    supply_chain_system,
)
from domain.rules.dynamic import (
    assessment_conclusion,
    change_not_compliant,
    filing_overdue,
    filing_review,
    filings_refused,
    incident_consequence,
    incidents_reported,
    indicator_removal,
    indicators_short,
    re_review,
    removal_timing,
)
from domain.rules.evaluators import (
    blacklist,
    blacklisting,
    evaluation_findings,
    evaluations_cap,
    independence,
    qualifications,
)
from domain.rules.negative_list import NEGATIVE_LIST, negative_list_findings
from domain.rules.publicity import (
    fallen_out,
    objection_window,
    publicised_before_listing,
    recommendation_deadline,
)
from domain.rules.rulebook import Rulebook
from domain.values import (
    AssessmentOutcome,
    Category,
    FilingOutcome,
    Finding,
    Level,
    ProposalAction,
    RemovalReason,
    ThirdPartyEvaluation,
)

#: The functions that evaluate each rule of the catalogue. EVAL-5 has none: the ledger records no
#: evaluator work reports, so there is no fact it could rest on.
RULE_FUNCTIONS: dict[str, tuple[Callable[..., object], ...]] = {
    **{rule_id: (check,) for rule_id, check in NEGATIVE_LIST},
    "FAC-1": (factory_evidence,),
    "FAC-2": (energy_efficiency,),
    "DES-1": (design_product_standard,),
    "PARK-1": (park_conditions,),
    "PARK-2": (parks_per_region,),
    "SC-1": (supply_chain_system,),
    "REC-1": (recommended_category,),
    "REC-2": (on_provincial_list,),
    "REC-3": (recommendation_deadline,),
    "PUB-1": (objection_window, publicised_before_listing, fallen_out),
    "DYN-1": (filing_overdue, filings_refused),
    "DYN-2": (filing_review, assessment_conclusion, indicators_short, indicator_removal),
    "DYN-3": (incident_consequence, incidents_reported),
    "DYN-4": (incident_consequence, removal_timing),
    "DYN-5": (change_not_compliant,),
    "REV-1": (re_review,),
    "EVAL-1": (independence,),
    "EVAL-2": (blacklist, blacklisting),
    "EVAL-3": (qualifications,),
    "EVAL-4": (evaluations_cap,),
}

# -- nominations ----------------------------------------------------------------------------------


def nomination_findings(
    rulebook: Rulebook,
    nomination: Nomination,
    enterprise: Enterprise,
    listings: Sequence[Listing],
    batch: Batch,
    assessor: Assessor | None,
    day: date,
) -> tuple[Finding, ...]:
    """Every rule a nomination is checked against on `day`, applying or not."""
    findings: list[Finding] = []
    if rulebook.enforces("REC-1") and rulebook.recommended_in(nomination.batch_year) is not None:
        findings.append(recommended_category(rulebook, nomination))
    if rulebook.requires_provincial_listing(nomination.category):
        findings.append(on_provincial_list(rulebook, nomination, listings, day))
    if rulebook.enforces("REC-3") and nomination.level is Level.NATIONAL:
        findings.append(recommendation_deadline(nomination, batch, day))
    findings.extend(negative_list_findings(rulebook, enterprise, listings, day))
    findings.extend(requirement_findings(rulebook, nomination, enterprise.industry))
    if nomination.category is Category.GREEN_PARK and rulebook.enforces("PARK-2"):
        findings.append(parks_per_region(rulebook, nomination, batch, enterprise.region.code))
    evaluation = nomination.third_party_evaluation
    if assessor is not None and evaluation is not None:
        findings.extend(
            evaluation_findings(rulebook, assessor, enterprise, batch, evaluation, nomination, day)
        )
    return tuple(findings)


def reported_evaluation_findings(
    rulebook: Rulebook,
    assessor: Assessor,
    enterprise: Enterprise,
    batch: Batch,
    listing: Listing,
    evaluation: ThirdPartyEvaluation,
    day: date,
) -> tuple[Finding, ...]:
    """EVAL-1…4 for an evaluation reported for a listing's current nomination."""
    nomination = Nomination.of_listing(listing)
    return evaluation_findings(rulebook, assessor, enterprise, batch, evaluation, nomination, day)


def refuse_barred(rulebook: Rulebook, findings: Iterable[Finding], refused: str) -> None:
    """Raise `RuleRefusalError` with every barring finding that applies (the first one named)."""
    barring = tuple(f for f in findings if f.applies and rulebook.bars_with(f.rule_id))
    if barring:
        raise _refusal(rulebook, barring[0].rule_id, barring, refused)


# -- publication ----------------------------------------------------------------------------------


def publication_findings(
    rulebook: Rulebook,
    listing: Listing,
    enterprise: Enterprise,
    listings: Sequence[Listing],
    day: date,
) -> tuple[Finding, ...]:
    """For Listed and Rejected: the negative list on the publication date and the category's
    requirements on the nomination's evidence."""
    return (
        *negative_list_findings(rulebook, enterprise, listings, day),
        *requirement_findings(rulebook, Nomination.of_listing(listing), enterprise.industry),
    )


# -- removals -------------------------------------------------------------------------------------


def removal_findings(
    rulebook: Rulebook,
    listing: Listing,
    enterprise: Enterprise,
    listings: Sequence[Listing],
    reasons: Sequence[RemovalReason],
    day: date,
) -> tuple[Finding, ...]:
    """The findings each removal reason rests on (none for withdrawal or falsified data, of
    which the ledger holds no fact)."""
    checks: dict[RemovalReason, Callable[[], Sequence[Finding]]] = {
        RemovalReason.INDICATORS: lambda: _in_force(
            rulebook,
            ("DYN-2", lambda: indicator_removal(rulebook, listing)),
            ("REV-1", lambda: re_review(rulebook, listing)),
        ),
        RemovalReason.INCIDENT: lambda: _in_force(
            rulebook,
            ("DYN-3", lambda: incidents_reported(rulebook, enterprise, day)),
            ("DYN-4", lambda: removal_timing(rulebook, enterprise, day)),
        ),
        RemovalReason.REFUSED_FILING: lambda: _in_force(
            rulebook, ("DYN-1", lambda: filings_refused(rulebook, listing))
        ),
        RemovalReason.NEGATIVE_LIST: lambda: negative_list_findings(
            rulebook, enterprise, listings, day
        ),
        RemovalReason.CHANGE_NOT_COMPLIANT: lambda: _in_force(
            rulebook, ("DYN-5", lambda: change_not_compliant(rulebook, listing, enterprise))
        ),
    }
    findings: dict[str, Finding] = {}
    for reason in reasons:
        check = checks.get(reason)
        for finding in check() if check is not None else ():
            findings.setdefault(finding.rule_id, finding)
    return tuple(findings.values())


def refuse_unsupported_removal(
    rulebook: Rulebook, reasons: Sequence[RemovalReason], findings: Iterable[Finding]
) -> None:
    """DYN-2: a removal for indicators needs an assessment that does not meet and a proposal."""
    if RemovalReason.INDICATORS not in reasons or not rulebook.enforces("DYN-2"):
        return
    dyn2 = tuple(f for f in findings if f.rule_id == "DYN-2")
    if not any(f.applies for f in dyn2):
        raise _refusal(
            rulebook,
            "DYN-2",
            dyn2,
            "removal for indicators",
            "it needs an on-site assessment concluded does_not_meet and the province's removal "
            "proposal after it",
        )


# -- dynamic management ---------------------------------------------------------------------------


def review_findings(
    rulebook: Rulebook, listing: Listing, report_year: int, outcome: FilingOutcome
) -> tuple[Finding, ...]:
    if not rulebook.enforces("DYN-2"):
        return ()
    return (filing_review(rulebook, listing, report_year, outcome),)


def overdue_findings(
    rulebook: Rulebook, listing: Listing, report_year: int, day: date
) -> tuple[Finding, ...]:
    if not rulebook.enforces("DYN-1"):
        return ()
    return (filing_overdue(rulebook, listing, report_year, day),)


def refuse_not_overdue(rulebook: Rulebook, findings: Sequence[Finding], report_year: int) -> None:
    """DYN-1: an overdue filing is recorded only when DYN-1 finds it overdue."""
    if not findings:
        raise _refusal(
            rulebook,
            "DYN-1",
            (),
            f"{report_year} overdue record",
            "no yearly filing is due under this rulebook",
        )
    if not any(f.applies for f in findings):
        raise _refusal(
            rulebook, "DYN-1", tuple(findings), f"{report_year} overdue record", findings[0].detail
        )


def refuse_early_closing(rulebook: Rulebook, report_year: int, day: date) -> None:
    """DYN-1: a filing year is closed under a rulebook with yearly filings, after its deadline."""
    if not rulebook.enforces("DYN-1"):
        raise _refusal(
            rulebook, "DYN-1", (), f"closing {report_year}", "no yearly filing under this rulebook"
        )
    deadline = rulebook.filing_deadline(report_year)
    if day <= deadline:
        raise _refusal(
            rulebook,
            "DYN-1",
            (),
            f"closing {report_year}",
            f"its filings are due on {deadline.isoformat()}, which has not passed on "
            f"{day.isoformat()}",
        )


def conclusion_findings(
    rulebook: Rulebook, listing: Listing, assessment_id: UUID, outcome: AssessmentOutcome
) -> tuple[Finding, ...]:
    if not rulebook.enforces("DYN-2"):
        return ()
    return (assessment_conclusion(rulebook, listing, assessment_id, outcome),)


def proposal_findings(
    rulebook: Rulebook,
    listing: Listing,
    enterprise: Enterprise,
    action: ProposalAction,
    day: date,
) -> tuple[Finding, ...]:
    checks: dict[ProposalAction, tuple[tuple[str, Callable[[], Finding]], ...]] = {
        ProposalAction.REMOVE: (
            ("DYN-2", lambda: indicators_short(rulebook, listing)),
            ("DYN-3", lambda: incidents_reported(rulebook, enterprise, day)),
        ),
        ProposalAction.RETAIN: (
            ("DYN-2", lambda: indicators_short(rulebook, listing)),
            ("DYN-3", lambda: incidents_reported(rulebook, enterprise, day)),
        ),
        ProposalAction.RENAME: (
            ("DYN-5", lambda: change_not_compliant(rulebook, listing, enterprise)),
        ),
    }
    return _in_force(rulebook, *checks[action])


def retention_findings(
    rulebook: Rulebook, enterprise: Enterprise, day: date
) -> tuple[Finding, ...]:
    """DYN-3 for a rescission of a removal: whether a ground for removal stands on `day`."""
    return _in_force(rulebook, ("DYN-3", lambda: incidents_reported(rulebook, enterprise, day)))


def refuse_retaining(rulebook: Rulebook, findings: Iterable[Finding], refused: str) -> None:
    """DYN-3: a unit with a standing ground for removal is not kept on the list; the ministry must
    act on it (235号 二 第二段: 予以剔除)."""
    grounds = tuple(f for f in findings if f.rule_id == "DYN-3" and f.applies)
    if grounds:
        raise _refusal(
            rulebook,
            "DYN-3",
            grounds,
            refused,
            f"{grounds[0].detail}; the unit is to be removed, not retained (retract the incident "
            "if it was recorded in error)",
        )


def blacklisting_findings(
    rulebook: Rulebook, assessor: Assessor, since: date, until: date
) -> tuple[Finding, ...]:
    if not rulebook.enforces("EVAL-2"):
        return ()
    return (blacklisting(rulebook, assessor, since, until),)


# -- refusals -------------------------------------------------------------------------------------


def _in_force(
    rulebook: Rulebook, *checks: tuple[str, Callable[[], Finding]]
) -> tuple[Finding, ...]:
    return tuple(check() for rule_id, check in checks if rulebook.enforces(rule_id))


def _refusal(
    rulebook: Rulebook,
    rule_id: str,
    findings: tuple[Finding, ...],
    refused: str,
    reason: str | None = None,
) -> RuleRefusalError:
    message = reason or "; ".join(f"{f.rule_id}: {f.detail}" for f in findings)
    return RuleRefusalError(
        rule_id,
        rule(rule_id, rulebook.version).citation,
        f"{refused} refused under rulebook {rulebook.version}: {message}",
        findings=findings,
        rulebook=rulebook.version,
    )
