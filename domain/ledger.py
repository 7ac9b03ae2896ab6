"""The write side: one method per command of the HTTP contract (api.md).

Each method parses its input into value types (bad input raises an `InvalidInputError` naming the
field), loads the aggregates it touches, lets them and the rulebook decide, and saves everything it
touched in one atomic `save()`: a command writes all its events or none. Identities are uuid5
(design.md), so registering the same enterprise or assessor twice returns the same id and writes
nothing. Two commands racing on one aggregate: the second gets `ConcurrentWriteError` and may retry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Self
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    JSONTranscoder,
)

from domain.assessor import Assessor, assessor_id_for, evaluation_id_for
from domain.batch import Batch, batch_id_for, check_batch_year
from domain.enterprise import Enterprise, EnterpriseKey, key_id, name_key, uscc_key
from domain.errors import (
    AssessorNotFoundError,
    BatchAlreadyOpenError,
    BatchNotFoundError,
    EmptyValueError,
    EnterpriseIdentityConflictError,
    EnterpriseNotFoundError,
    EvaluationNotFoundError,
    FutureDateError,
    InvalidInputError,
    ListingNotFoundError,
    ListingNotNominatedError,
)
from domain.listing import Listing, listing_id_for
from domain.persistence.speedups import FastApplication
from domain.persistence.storage import DEFAULT_DATABASE_URL, library_environment, parse_database_url
from domain.persistence.transcodings import register_ledger_transcodings
from domain.rules import Rulebook, rulebook_for, rulebook_named
from domain.rules.categories import Nomination
from domain.rules.decisions import (
    blacklisting_findings,
    conclusion_findings,
    nomination_findings,
    overdue_findings,
    proposal_findings,
    publication_findings,
    refuse_barred,
    refuse_early_closing,
    refuse_not_overdue,
    refuse_retaining,
    refuse_unsupported_removal,
    removal_findings,
    reported_evaluation_findings,
    retention_findings,
    review_findings,
)
from domain.rules.dynamic import incident_consequence, listing_filing_deadline, overdue_filings
from domain.rules.negative_list import Eligibility, eligibility, removal_bar_end
from domain.rules.publicity import (
    listing_publicity_findings,
    objection_window,
    publicity_end,
    refuse_outside_publicity,
    refuse_unpublicised,
    rejection_publicity_findings,
)
from domain.texts import LONG_MAX, SHORT_MAX, optional_text, storable
from domain.tiers.cities import check_region_for, check_tier
from domain.tiers.commands import RenameRequest, TierCommands, check_on_rounds_list
from domain.values import (
    AssessmentOutcome,
    Category,
    EvaluationConclusion,
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
    Provenance,
    Reference,
    Region,
    RemovalReason,
    Round,
    ThirdPartyEvaluation,
    Uscc,
    check_indicators,
    clean_name,
    clean_reason,
)

#: The ministry works on Beijing time: "today" is today in China.
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
#: The setting of how far after today an announced fact may be effective (ADR 0102).
HORIZON_SETTING = "GREENLEDGER_EFFECTIVE_HORIZON_DAYS"


@dataclass(frozen=True)
class Receipt:
    """What a command answers: the id it concerns, the ids it touched, the ledger position.

    `position` is the notification id of the command's last event, or None when the command
    found everything already recorded and wrote nothing.
    """

    id: UUID | None
    position: int | None
    ids: tuple[UUID, ...] = field(default_factory=tuple)

    @property
    def written(self) -> bool:
        return self.position is not None


@dataclass(frozen=True)
class RemovalRequest:
    """One removal announced with a batch publication."""

    listing_id: UUID
    reasons: tuple[RemovalReason, ...]


#: Aggregates a ledger process keeps in memory unless configured otherwise (ADR 0156).
DEFAULT_CACHE_SIZE = 100_000


class Ledger(TierCommands, FastApplication):
    """绿色制造名单动态管理台账: the commands of api.md over the four aggregates."""

    name = "Ledger"
    #: Notification log sections up to this size (the projector reads pages of this size).
    log_section_size = 1000
    env = {  # noqa: RUF012 - the library reads this class attribute
        # An LRU cache with fast-forward, sized to hold every aggregate of a national ledger
        # (about 25,000 units, their enterprises, the batches): a yearly filing round touches
        # each listing once, so a cache smaller than the ledger evicts every listing before its
        # next use and each filing replays it from the store (ADR 0156). About 1.5 kB an
        # aggregate: 100,000 cost about 150 MB at most.
        "AGGREGATE_CACHE_MAXSIZE": str(DEFAULT_CACHE_SIZE),
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # The library names an application after its class, and names its tables after that: a
        # subclass of the ledger is still the same ledger, on the same tables.
        if "name" not in cls.__dict__:
            cls.name = Ledger.name
        super().__init_subclass__(**kwargs)

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env=dict(env) if env is not None else None)

    @classmethod
    def open(
        cls,
        database_url: str = DEFAULT_DATABASE_URL,
        horizon_days: int | None = None,
        cache_size: int | None = None,
        **settings: Any,
    ) -> Self:
        """A ledger on the database of `database_url` (see domain/persistence/storage.py);
        `horizon_days`: how many days after today a fact may be effective (ADR 0102);
        `cache_size`: how many aggregates the process keeps in memory (ADR 0156)."""
        storage = parse_database_url(database_url)
        env = library_environment(storage, **settings)
        if horizon_days is not None:
            env[HORIZON_SETTING] = str(horizon_days)
        if cache_size is not None:
            if cache_size < 1:  # the library would take 0 for a cache without a bound
                raise ValueError(f"cache_size must be at least 1, not {cache_size}")
            env["AGGREGATE_CACHE_MAXSIZE"] = str(cache_size)
        return cls(env=env)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_ledger_transcodings(transcoder)

    # -- time and position ---------------------------------------------------------------------

    @staticmethod
    def today() -> date:
        return datetime.now(CHINA).date()

    @property
    def horizon_days(self) -> int:
        """How many days after today a fact may be effective (`GREENLEDGER_EFFECTIVE_HORIZON_DAYS`,
        default 0: a fact is recorded once it is true; ADR 0102)."""
        text = (self.env.get(HORIZON_SETTING) or "0").strip()
        try:
            days = int(text)
        except ValueError:
            raise InvalidInputError(HORIZON_SETTING, f"{text!r} is not a whole number") from None
        if not 0 <= days <= 3660:
            raise InvalidInputError(HORIZON_SETTING, f"{days} is not between 0 and 3660")
        return days

    def check_not_future(self, day: date, field_name: str) -> date:
        """`day`, or `FutureDateError` naming the field when it is later than today (in China)
        and the configured horizon (finding 8 of issue 16)."""
        latest = self.today() + timedelta(days=self.horizon_days)
        if day > latest:
            raise FutureDateError(field_name, day, latest)
        return day

    def _resolve(self, provenance: Provenance) -> Provenance:
        if not provenance.actor.strip():
            raise EmptyValueError("actor")
        clean_name(provenance.actor, "actor", SHORT_MAX)
        if provenance.note is not None:
            storable(provenance.note, "note", multiline=True, max_length=LONG_MAX)
        if provenance.effective_on is not None:
            self.check_not_future(provenance.effective_on, "effective_on")
        return provenance.on(self.today())

    @property
    def position(self) -> int:
        """The notification id of the last stored event (0 for an empty ledger)."""
        return self.recorder.max_notification_id() or 0

    # -- enterprises ---------------------------------------------------------------------------

    def register_enterprise(
        self,
        *,
        name: str,
        region: str | Region,
        uscc: str | Uscc | None = None,
        industry: str | None = None,
        synthetic: bool = False,
        provenance: Provenance,
    ) -> Receipt:
        """Enterprise.Registered, idempotent on the credit code, or on region + name.

        `synthetic`: a fictitious unit (the demo's); it never joins a real enterprise, nor a real
        registration a fictitious one (ADR 0042).
        """
        name = clean_name(name)
        the_region = Region.of(region)
        the_uscc = _parse_uscc(uscc)
        p = self._resolve(provenance)
        keys = ([uscc_key(the_uscc)] if the_uscc else []) + [name_key(the_region, name)]
        existing = self._find_enterprise(keys)
        if existing is not None:
            if existing.region != the_region:
                raise EnterpriseIdentityConflictError(
                    f"the credit code {the_uscc} already belongs to enterprise {existing.id} "
                    f"of region {existing.region.code}, not {the_region.code}"
                )
            if existing.synthetic != synthetic:
                raise EnterpriseIdentityConflictError(
                    f"enterprise {existing.id} ({existing.name}) is "
                    f"{'fictitious' if existing.synthetic else 'real'}: a "
                    f"{'fictitious' if synthetic else 'real'} registration cannot be it"
                )
            touched = self._attach_keys(existing, the_uscc, p)
            return Receipt(existing.id, self._save(*touched), (existing.id,))
        enterprise = Enterprise.register(
            enterprise_id=key_id(keys[0]),
            name=name,
            region=the_region,
            uscc=the_uscc,
            industry=optional_text(industry, "industry"),
            synthetic=synthetic,
            provenance=p,
        )
        claims = [
            EnterpriseKey.claim(key=k, enterprise_id=enterprise.id, provenance=p) for k in keys[1:]
        ]
        return Receipt(enterprise.id, self._save(enterprise, *claims), (enterprise.id,))

    def rename_enterprise(
        self, enterprise_id: UUID, *, name: str, provenance: Provenance
    ) -> Receipt:
        """Enterprise.Renamed; the new name then leads to the enterprise too."""
        name = clean_name(name)
        p = self._resolve(provenance)
        enterprise = self.get_enterprise(enterprise_id)
        key = name_key(enterprise.region, name)
        holder = self._find_enterprise([key])
        if holder is not None and holder.id != enterprise.id:
            raise EnterpriseIdentityConflictError(
                f"the name {name!r} already belongs to enterprise {holder.id} in region "
                f"{enterprise.region.code}"
            )
        if not enterprise.rename(name=name, provenance=p):
            return Receipt(enterprise.id, None, (enterprise.id,))
        touched: list[Aggregate] = [enterprise]
        if holder is None:
            touched.append(EnterpriseKey.claim(key=key, enterprise_id=enterprise.id, provenance=p))
        return Receipt(enterprise.id, self._save(*touched), (enterprise.id,))

    def record_alias(self, enterprise_id: UUID, *, alias: str, provenance: Provenance) -> Receipt:
        """Enterprise.AliasRecorded: another name a document gives the same body; the alias then
        leads to the enterprise too. Nothing recorded when the name is already known."""
        alias = clean_name(alias, "alias")
        p = self._resolve(provenance)
        enterprise = self.get_enterprise(enterprise_id)
        key = name_key(enterprise.region, alias)
        holder = self._find_enterprise([key])
        if holder is not None and holder.id != enterprise.id:
            raise EnterpriseIdentityConflictError(
                f"the name {alias!r} already belongs to enterprise {holder.id} in region "
                f"{enterprise.region.code}"
            )
        if not enterprise.record_alias(alias=alias, provenance=p):
            return Receipt(enterprise.id, None, (enterprise.id,))
        claim = EnterpriseKey.claim(key=key, enterprise_id=enterprise.id, provenance=p)
        return Receipt(enterprise.id, self._save(enterprise, claim), (enterprise.id,))

    def assign_credit_code(
        self, enterprise_id: UUID, *, uscc: str | Uscc, provenance: Provenance
    ) -> Receipt:
        """Enterprise.CreditCodeAssigned: the code then leads to the enterprise too."""
        the_uscc = _parse_uscc(uscc)
        if the_uscc is None:
            raise EmptyValueError("uscc")
        p = self._resolve(provenance)
        enterprise = self.get_enterprise(enterprise_id)
        touched = self._attach_keys(enterprise, the_uscc, p)
        return Receipt(enterprise.id, self._save(*touched), (enterprise.id,))

    def record_incident(
        self,
        enterprise_id: UUID,
        *,
        kind: str | IncidentKind,
        grade: str | IncidentGrade | None = None,
        occurred_on: date,
        source: str | IncidentSource,
        reference: Reference | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """CreditIncidentRecorded; by the rulebook, its consequence for the active listings.

        DYN-4 (13号 on): a 重大 or graver accident removes every active listing of the enterprise
        at once; any other incident flags them for the province's proposal and the ministry's
        decision (DYN-3: a ground for removal, or a negative-list finding). One atomic save.
        """
        the_kind = IncidentKind.parse(kind, "kind")
        the_grade = IncidentGrade.parse(grade, "grade") if grade is not None else None
        the_source = IncidentSource.parse(source, "source")
        p = self._resolve(provenance)
        self.check_not_future(occurred_on, "occurred_on")
        enterprise = self.get_enterprise(enterprise_id)
        incident_id = enterprise.record_incident(
            kind=the_kind,
            grade=the_grade,
            occurred_on=occurred_on,
            source=the_source,
            reference=reference,
            provenance=p,
        )
        rulebook = rulebook_for(p.day)
        active = [
            listing
            for listing in (self.get_listing(i) for i in enterprise.listing_ids)
            if listing.is_on_list
        ]
        consequence = incident_consequence(rulebook, enterprise, incident_id)
        for listing in active:
            listing.bear_incident(
                consequence,
                barred_until=removal_bar_end(rulebook, p.day, (RemovalReason.INCIDENT,)),
                rulebook=rulebook.version,
                provenance=p,
            )
        position = self._save(enterprise, *active)
        return Receipt(incident_id, position, (enterprise.id, *(x.id for x in active)))

    def retract_incident(
        self, enterprise_id: UUID, incident_id: UUID, *, reason: str, provenance: Provenance
    ) -> Receipt:
        """CreditIncidentRetracted: a correction; the incident no longer counts."""
        reason = clean_reason(reason)
        p = self._resolve(provenance)
        enterprise = self.get_enterprise(enterprise_id)
        enterprise.retract_incident(incident_id=incident_id, reason=reason, provenance=p)
        return Receipt(incident_id, self._save(enterprise), (enterprise.id,))

    def complete_rectification(
        self, enterprise_id: UUID, incident_id: UUID, *, provenance: Provenance
    ) -> Receipt:
        """RectificationCompleted: the energy-saving rectification was done, which ends NEG-5's
        state on the effective date (it bars three years more)."""
        p = self._resolve(provenance)
        enterprise = self.get_enterprise(enterprise_id)
        enterprise.complete_rectification(incident_id=incident_id, provenance=p)
        return Receipt(incident_id, self._save(enterprise), (enterprise.id,))

    def end_incident(
        self, enterprise_id: UUID, incident_id: UUID, *, ended_on: date, provenance: Provenance
    ) -> Receipt:
        """CreditIncidentEnded: a continuing condition (not operating, dishonest debtor,
        rectification outstanding) stopped on `ended_on`; its bar runs three years from then."""
        p = self._resolve(provenance)
        enterprise = self.get_enterprise(enterprise_id)
        enterprise.end_incident(incident_id=incident_id, ended_on=ended_on, provenance=p)
        return Receipt(incident_id, self._save(enterprise), (enterprise.id,))

    # -- batches -------------------------------------------------------------------------------

    def open_batch(
        self,
        *,
        level: str | Level,
        batch_year: int,
        rulebook: str | None = None,
        region: str | Region | None = None,
        city: str | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """Batch.Opened under the rulebook in force (or the one named); idempotent. A provincial
        or municipal round is the region's own (and the city's), ADR 0141."""
        the_level = Level.parse(level, "level")
        check_batch_year(batch_year, "year")
        the_region = check_region_for(the_level, region)
        the_city = check_tier(the_level, the_region, city)
        region_code = the_region.code if the_region else None
        p = self._resolve(provenance)
        book = rulebook_named(rulebook) if rulebook else rulebook_for(p.day)
        batch_id = batch_id_for(the_level, batch_year, region_code, the_city)
        existing = self._maybe_get(Batch, batch_id)
        if existing is not None:
            if existing.rulebook != book.version:
                raise BatchAlreadyOpenError(
                    f"batch {batch_year} ({the_level.value}) is already open under rulebook "
                    f"{existing.rulebook}, not {book.version}"
                )
            return Receipt(batch_id, None, (batch_id,))
        batch = Batch.open(
            level=the_level,
            batch_year=batch_year,
            rulebook=book.version,
            deadlines=book.batch_deadlines(the_level, batch_year, p.day),
            quotas=book.quotas,
            provenance=p,
            region=region_code,
            city=the_city,
        )
        return Receipt(batch_id, self._save(batch), (batch_id,))

    def grant_park_quota_exception(
        self,
        *,
        level: str | Level = Level.NATIONAL,
        batch_year: int,
        region: str | Region,
        parks: int = 1,
        reason: str,
        provenance: Provenance,
    ) -> Receipt:
        """Batch.ParkQuotaExceptionGranted: PARK-2 says "原则上"; the ministry lets the region
        nominate `parks` more parks in this batch, for `reason`."""
        the_level = Level.parse(level, "level")
        check_batch_year(batch_year)
        the_region = Region.of(region)
        reason = clean_reason(reason)
        p = self._resolve(provenance)
        batch = self.get_batch(the_level, batch_year)
        batch.grant_park_quota_exception(
            region_code=the_region.code, parks=parks, reason=reason, provenance=p
        )
        return Receipt(batch.id, self._save(batch), (batch.id,))

    def nominate_listing(
        self,
        *,
        enterprise_id: UUID,
        category: str | Category,
        level: str | Level,
        batch_year: int,
        product: Product | None = None,
        park_level: str | ParkLevel | None = None,
        self_evaluation: Reference | None = None,
        third_party_evaluation: ThirdPartyEvaluation | None = None,
        indicators: Mapping[str, Indicator] | None = None,
        city: str | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """Listing.Nominated (or Renominated), recorded with the enterprise and the batch: for a
        provincial or municipal list, the round of the enterprise's region (and city)."""
        nomination = _requested_nomination(
            enterprise_id, category, level, batch_year, product, park_level, indicators
        )
        p = self._resolve(provenance)
        enterprise = self.get_enterprise(enterprise_id)
        the_city = check_tier(nomination.level, enterprise.region, city)
        batch = self.get_batch(nomination.level, batch_year, enterprise.region.code, the_city)
        assessor = self._evaluator(third_party_evaluation)
        rulebook = rulebook_for(p.day)
        listing = self._maybe_get(Listing, nomination.listing_id)
        nomination = replace(
            nomination,
            self_evaluation=self_evaluation,
            third_party_evaluation=third_party_evaluation,
            # A renomination keeps the listing's product and park level as first recorded.
            product=listing.product if listing is not None else nomination.product,
            park_level=listing.park_level if listing is not None else nomination.park_level,
        )
        findings = nomination_findings(
            rulebook, nomination, enterprise, self._listings_of(enterprise), batch, assessor, p.day
        )
        refuse_barred(rulebook, findings, "nomination")
        listing = Listing.put_forward(
            listing,
            nomination,
            region=enterprise.region,
            rulebook=rulebook.version,
            rule_findings=findings,
            provenance=p,
            city=the_city,
        )
        _record_nomination(enterprise, batch, nomination, p)
        touched: list[Aggregate] = [listing, enterprise, batch]
        cited = _cite_evaluation(assessor, third_party_evaluation, listing, batch, p)
        if assessor is not None and cited:
            touched.append(assessor)
        return Receipt(listing.id, self._save(*touched), (*(a.id for a in touched), *cited))

    def _evaluator(self, evaluation: ThirdPartyEvaluation | None) -> Assessor | None:
        return self.get_assessor(evaluation.assessor_id) if evaluation is not None else None

    def report_evaluation(
        self,
        assessor_id: UUID,
        *,
        listing_id: UUID,
        conclusion: str | EvaluationConclusion,
        report: Reference,
        provenance: Provenance,
    ) -> Receipt:
        """Assessor.EvaluationReported for a nomination it evaluated, counted in its batch."""
        the_conclusion = EvaluationConclusion.parse(conclusion, "conclusion")
        p = self._resolve(provenance)
        assessor = self.get_assessor(assessor_id)
        listing = self.get_listing(listing_id)
        batch = self.get_batch(listing.level, listing.batch_year, listing.region.code, listing.city)
        evaluation = ThirdPartyEvaluation(assessor.id, report, the_conclusion)
        enterprise = self.get_enterprise(listing.enterprise_id)
        rulebook = rulebook_for(p.day)
        findings = reported_evaluation_findings(
            rulebook, assessor, enterprise, batch, listing, evaluation, p.day
        )
        refuse_barred(rulebook, findings, "evaluation report")
        self._record_evaluation(assessor, batch, listing, evaluation, p)
        return Receipt(assessor.id, self._save(assessor, batch), (assessor.id, batch.id))

    def confirm_evaluation(
        self, assessor_id: UUID, evaluation_id: UUID, *, provenance: Provenance
    ) -> Receipt:
        """Assessor.EvaluationConfirmed for an evaluation a province cited, counted in its batch
        (Batch.EvaluationCounted) after EVAL-1…4; refused while the assessor is blacklisted
        (EVAL-2) or when the cap is reached (EVAL-4). Once confirmed (or reported by the
        assessor itself), again writes nothing."""
        p = self._resolve(provenance)
        assessor = self.get_assessor(assessor_id)
        cited = assessor.cited.get(evaluation_id)
        if cited is None:
            if any(
                evaluation_id_for(assessor.id, e.listing_id, e.batch_year) == evaluation_id
                for e in assessor.evaluations
            ):
                return Receipt(evaluation_id, None, (assessor.id, evaluation_id))
            raise EvaluationNotFoundError(evaluation_id)
        listing = self.get_listing(cited.listing_id)
        batch = self.get_batch(listing.level, cited.batch_year, listing.region.code, listing.city)
        evaluation = ThirdPartyEvaluation(assessor.id, cited.report, cited.conclusion)
        rulebook = rulebook_for(p.day)
        findings = reported_evaluation_findings(
            rulebook,
            assessor,
            self.get_enterprise(listing.enterprise_id),
            batch,
            listing,
            evaluation,
            p.day,
        )
        refuse_barred(rulebook, findings, "evaluation confirmation")
        assessor.confirm_evaluation(cited, provenance=p)
        batch.count_evaluation(
            listing_id=listing.id,
            assessor_id=assessor.id,
            evaluator_group=assessor.group_key,
            legal_representative=assessor.legal_representative,
            provenance=p,
        )
        return Receipt(
            evaluation_id, self._save(assessor, batch), (assessor.id, batch.id, evaluation_id)
        )

    def _record_evaluation(
        self,
        assessor: Assessor,
        batch: Batch,
        listing: Listing,
        evaluation: ThirdPartyEvaluation,
        p: Provenance,
    ) -> None:
        assessor.report_evaluation(
            listing_id=listing.id,
            batch_year=batch.batch_year,
            conclusion=evaluation.conclusion,
            report=evaluation.report,
            provenance=p,
        )
        batch.count_evaluation(
            listing_id=listing.id,
            assessor_id=assessor.id,
            evaluator_group=assessor.group_key,
            legal_representative=assessor.legal_representative,
            provenance=p,
        )

    def publish_batch(
        self,
        *,
        level: str | Level,
        batch_year: int,
        announcement: Reference,
        listed: Sequence[UUID] = (),
        rejected: Sequence[UUID] = (),
        removed: Sequence[RemovalRequest] = (),
        renamed: Sequence[RenameRequest] = (),
        region: str | Region | None = None,
        city: str | None = None,
        rejection_reasons: Mapping[UUID, str] | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """Batch.Published with Listed, Rejected and Removed for each listing, and Renamed for
        the enterprise of each renamed listing, atomically; a province's own round names its
        region (and city). The publication's effective date is the announcement's date. Under
        13号 a national nominee is listed only after its publicity (PUB-1); a publicised nominee
        rejected needs its reason in `rejection_reasons`, which its Rejected records (ADR 0150).
        """
        the_level = Level.parse(level, "level")
        check_batch_year(batch_year)
        the_region = check_region_for(the_level, region)
        the_city = check_tier(the_level, the_region, city)
        removed_ids = [r.listing_id for r in removed]
        _check_distinct({"listed": listed, "rejected": rejected, "removed": removed_ids})
        p = self._resolve(provenance)
        batch = self.get_batch(
            the_level, batch_year, the_region.code if the_region else None, the_city
        )
        rulebook = rulebook_for(p.day)
        touched: list[Aggregate] = [batch]
        touched.extend(self._listed_in_publication(batch, listed, announcement, rulebook, p))
        touched.extend(
            self._rejected_in_publication(
                batch, rejected, announcement, rulebook, rejection_reasons, p
            )
        )
        for i, request in enumerate(removed):
            listing = self.get_listing(request.listing_id)
            check_on_rounds_list(batch, listing, f"removed[{i}]")
            self._remove(listing, request.reasons, announcement, rulebook, p)
            touched.append(listing)
        touched.extend(self._renamed_in_publication(batch, renamed, p))
        batch.publish(
            announcement=announcement,
            listed=tuple(listed),
            rejected=tuple(rejected),
            removed=tuple(removed_ids),
            rejection_reasons={i: r for i, r in (rejection_reasons or {}).items() if i in rejected},
            provenance=p,
        )
        return Receipt(batch.id, self._save(*touched), tuple(a.id for a in touched))

    def _listed_in_publication(
        self,
        batch: Batch,
        listed: Sequence[UUID],
        announcement: Reference,
        rulebook: Rulebook,
        p: Provenance,
    ) -> list[Listing]:
        """Listing.Listed for each listed nominee of the round, after its checks (PUB-1)."""
        listings = []
        for i, listing_id in enumerate(listed):
            listing = self.get_listing(listing_id)
            check_on_rounds_list(batch, listing, f"listed[{i}]")
            findings = (
                *self._publication_findings(rulebook, listing, p.day),
                *listing_publicity_findings(rulebook, batch, listing_id, p.day),
            )
            refuse_unpublicised(rulebook, batch, findings)
            listing.put_on_list(
                batch_year=batch.batch_year,
                announcement=announcement,
                rulebook=rulebook.version,
                rule_findings=findings,
                provenance=p,
            )
            listings.append(listing)
        return listings

    def _rejected_in_publication(
        self,
        batch: Batch,
        rejected: Sequence[UUID],
        announcement: Reference,
        rulebook: Rulebook,
        rejection_reasons: Mapping[UUID, str] | None,
        p: Provenance,
    ) -> list[Listing]:
        """Listing.Rejected for each rejected nominee of the round, a publicised one with its
        reason (ADR 0150)."""
        listings = []
        for i, listing_id in enumerate(rejected):
            listing = self.get_listing(listing_id)
            check_on_rounds_list(batch, listing, f"rejected[{i}]")
            listing.reject(
                batch_year=batch.batch_year,
                announcement=announcement,
                rulebook=rulebook.version,
                rule_findings=(
                    *self._publication_findings(rulebook, listing, p.day),
                    *rejection_publicity_findings(batch, listing_id, rejection_reasons),
                ),
                provenance=p,
            )
            listings.append(listing)
        return listings

    def publicise_batch(
        self,
        *,
        batch_year: int,
        announcement: Reference,
        nominees: Sequence[UUID],
        provenance: Provenance,
    ) -> Receipt:
        """Batch.Publicised: the national nominees publicised (公示) from the effective date for
        the rulebook's days (PUB-1, 13号: 15), before the list."""
        check_batch_year(batch_year)
        _check_distinct({"nominees": nominees})
        p = self._resolve(provenance)
        rulebook = rulebook_for(p.day)
        ends_on = publicity_end(rulebook, p.day)
        if ends_on is None:
            raise InvalidInputError(
                "effective_on", f"no publicity (公示) under rulebook {rulebook.version}"
            )
        batch = self.get_batch(Level.NATIONAL, batch_year)
        for listing_id in nominees:
            _check_nominee(self.get_listing(listing_id), batch_year)
        batch.publicise(
            announcement=announcement, ends_on=ends_on, nominees=tuple(nominees), provenance=p
        )
        return Receipt(batch.id, self._save(batch), (batch.id,))

    def record_objection(
        self,
        *,
        batch_year: int,
        listing_id: UUID,
        objection: str,
        objector: str | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """Batch.ObjectionRecorded: an objection (异议) against a publicised nominee, received
        on the effective date; refused (PUB-1) outside the publicity or for another unit."""
        check_batch_year(batch_year)
        objection = clean_name(objection, "objection")
        p = self._resolve(provenance)
        batch = self.get_batch(Level.NATIONAL, batch_year)
        rulebook = rulebook_for(p.day)
        refuse_outside_publicity(rulebook, objection_window(batch, listing_id, p.day))
        batch.record_objection(
            listing_id=listing_id,
            objection=objection,
            objector=clean_name(objector, "objector") if objector else None,
            provenance=p,
        )
        return Receipt(batch.id, self._save(batch), (batch.id, listing_id))

    def _publication_findings(
        self, rulebook: Rulebook, listing: Listing, day: date
    ) -> tuple[Finding, ...]:
        enterprise = self.get_enterprise(listing.enterprise_id)
        listings = self._listings_of(enterprise, listing)
        return publication_findings(rulebook, listing, enterprise, listings, day)

    # -- dynamic management --------------------------------------------------------------------

    def submit_filing(
        self,
        listing_id: UUID,
        *,
        report_year: int,
        indicators: Mapping[str, Indicator],
        provenance: Provenance,
    ) -> Receipt:
        """IndicatorFilingSubmitted: the yearly dynamic management table (DYN-1)."""
        the_indicators = dict(indicators)
        check_indicators(the_indicators)
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        listing.submit_filing(report_year=report_year, indicators=the_indicators, provenance=p)
        return Receipt(listing.id, self._save(listing), (listing.id,))

    def review_filing(
        self,
        listing_id: UUID,
        *,
        report_year: int,
        outcome: str | FilingOutcome,
        findings: Sequence[str] = (),
        provenance: Provenance,
    ) -> Receipt:
        """FilingReviewed by the province; non-compliant flags the listing."""
        the_outcome = FilingOutcome.parse(outcome, "outcome")
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        rulebook = rulebook_for(p.day)
        listing.review_filing(
            report_year=report_year,
            outcome=the_outcome,
            findings=_texts(findings),
            rulebook=rulebook.version,
            rule_findings=review_findings(rulebook, listing, report_year, the_outcome),
            provenance=p,
        )
        return Receipt(listing.id, self._save(listing), (listing.id,))

    def record_filing_overdue(
        self, listing_id: UUID, *, report_year: int, provenance: Provenance
    ) -> Receipt:
        """FilingOverdue: no filing for the report year by the rulebook's deadline (DYN-1)."""
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        rulebook = rulebook_for(p.day)
        findings = overdue_findings(rulebook, listing, report_year, p.day)
        refuse_not_overdue(rulebook, findings, report_year)
        listing.record_overdue(
            report_year=report_year,
            deadline=listing_filing_deadline(rulebook, listing, report_year)[0],
            rulebook=rulebook.version,
            rule_findings=findings,
            provenance=p,
        )
        return Receipt(listing.id, self._save(listing), (listing.id,))

    def close_filing_year(
        self,
        report_year: int,
        provenance: Provenance,
        progress: Callable[[int, int], None] | None = None,
        *,
        chunk_size: int = 500,
    ) -> Receipt:
        """FilingOverdue (DYN-1) for every listing on the list on the year's deadline that filed
        nothing by it; `progress(done, total)` after each chunk. Idempotent.

        The ledger holds no index of listings: it walks the batches (their ids are
        deterministic) and their nominations. Each chunk is saved on its own, so a run stopped
        part-way keeps what it recorded and a second run writes only what is missing.
        """
        p = self._resolve(provenance)
        rulebook = rulebook_for(p.day)
        refuse_early_closing(rulebook, report_year, p.day)
        listing_ids = self._nominated_listing_ids(max(report_year, p.day.year) + 1)
        overdue: list[UUID] = []
        position: int | None = None
        for start in range(0, len(listing_ids), chunk_size):
            chunk = [self.get_listing(i) for i in listing_ids[start : start + chunk_size]]
            found = overdue_filings(rulebook, chunk, report_year, p.day)
            for item in found:
                item.listing.record_overdue(
                    report_year=report_year,
                    deadline=listing_filing_deadline(rulebook, item.listing, report_year)[0],
                    rulebook=rulebook.version,
                    rule_findings=(item.finding,),
                    provenance=p,
                )
            position = self._save(*(item.listing for item in found)) or position
            overdue.extend(item.listing.id for item in found)
            if progress is not None:
                progress(min(start + chunk_size, len(listing_ids)), len(listing_ids))
        return Receipt(None, position, tuple(overdue))

    def _nominated_listing_ids(self, last_year: int) -> list[UUID]:
        """Every listing ever nominated, from the batches of both levels up to `last_year`."""
        ids: dict[UUID, None] = {}
        for level in (Level.NATIONAL, Level.PROVINCIAL):  # and region-less provincial rounds
            for each in Round.every(last_year):
                batch = self._maybe_get(Batch, batch_id_for(level, each.number))
                if batch is not None:
                    ids.update(dict.fromkeys(batch.nominations))
        for batch in self._own_rounds(last_year):  # the provinces' own rounds, ADR 0141
            ids.update(dict.fromkeys(batch.nominations))
        return list(ids)

    def order_assessment(self, listing_id: UUID, *, reason: str, provenance: Provenance) -> Receipt:
        """OnSiteAssessmentOrdered (DYN-2); the receipt's id is the assessment's."""
        reason = clean_reason(reason)
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        assessment_id = listing.order_assessment(reason=reason, provenance=p)
        return Receipt(assessment_id, self._save(listing), (listing.id,))

    def conclude_assessment(
        self,
        listing_id: UUID,
        assessment_id: UUID,
        *,
        outcome: str | AssessmentOutcome,
        findings: Sequence[str] = (),
        provenance: Provenance,
    ) -> Receipt:
        """OnSiteAssessmentConcluded: meets, does not meet, or rectification required."""
        the_outcome = AssessmentOutcome.parse(outcome, "outcome")
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        rulebook = rulebook_for(p.day)
        listing.conclude_assessment(
            assessment_id=assessment_id,
            outcome=the_outcome,
            findings=_texts(findings),
            rulebook=rulebook.version,
            rule_findings=conclusion_findings(rulebook, listing, assessment_id, the_outcome),
            provenance=p,
        )
        return Receipt(assessment_id, self._save(listing), (listing.id,))

    def propose_adjustment(
        self,
        listing_id: UUID,
        *,
        action: str | ProposalAction,
        reasons: Sequence[str] = (),
        new_name: str | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """AdjustmentProposed by the province: retain, remove or rename."""
        the_action = ProposalAction.parse(action, "action")
        if the_action is ProposalAction.RENAME and not (new_name or "").strip():
            raise EmptyValueError("new_name")
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        enterprise = self.get_enterprise(listing.enterprise_id)
        rulebook = rulebook_for(p.day)
        findings = proposal_findings(rulebook, listing, enterprise, the_action, p.day)
        if the_action is ProposalAction.RETAIN:
            refuse_retaining(rulebook, findings, "proposal to retain")
        listing.propose_adjustment(
            action=the_action,
            reasons=_texts(reasons),
            new_name=clean_name(new_name, "new_name") if new_name else None,
            rulebook=rulebook.version,
            rule_findings=findings,
            provenance=p,
        )
        return Receipt(listing.id, self._save(listing), (listing.id,))

    def remove_listing(
        self,
        listing_id: UUID,
        *,
        reasons: Sequence[str | RemovalReason],
        announcement: Reference | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """Removed by the ministry's decision, with the rule findings that support it."""
        the_reasons = _removal_reasons(reasons)
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        self._remove(listing, the_reasons, announcement, rulebook_for(p.day), p)
        return Receipt(listing.id, self._save(listing), (listing.id,))

    def _remove(
        self,
        listing: Listing,
        reasons: tuple[RemovalReason, ...],
        announcement: Reference | None,
        rulebook: Rulebook,
        p: Provenance,
    ) -> None:
        """Removed, with the findings its reasons rest on; DYN-2 refuses an unsupported removal
        for indicators."""
        enterprise = self.get_enterprise(listing.enterprise_id)
        listings = self._listings_of(enterprise, listing)
        findings = removal_findings(rulebook, listing, enterprise, listings, reasons, p.day)
        refuse_unsupported_removal(rulebook, reasons, findings)
        listing.remove(
            reasons=reasons,
            announcement=announcement,
            barred_until=removal_bar_end(rulebook, p.day, reasons),
            rulebook=rulebook.version,
            rule_findings=findings,
            provenance=p,
        )

    def rescind_removal(self, listing_id: UUID, *, reason: str, provenance: Provenance) -> Receipt:
        """RemovalRescinded: a correction; the removal is void and the listing back on the list.

        Refused while a ground for removal (DYN-3) stands on the enterprise: that would keep on
        the list a unit the ministry must remove.
        """
        reason = clean_reason(reason)
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        rulebook = rulebook_for(p.day)
        enterprise = self.get_enterprise(listing.enterprise_id)
        refuse_retaining(
            rulebook, retention_findings(rulebook, enterprise, p.day), "rescission of a removal"
        )
        listing.rescind_removal(reason=reason, provenance=p)
        return Receipt(listing.id, self._save(listing), (listing.id,))

    # -- assessors -----------------------------------------------------------------------------

    def register_assessor(
        self,
        *,
        name: str,
        uscc: str | Uscc,
        group: str | None = None,
        senior_staff: int,
        intermediate_staff: int,
        legal_representative: str | None = None,
        synthetic: bool = False,
        provenance: Provenance,
    ) -> Receipt:
        """Assessor.Registered, idempotent on the credit code. Without a legal representative,
        the cap of 13号 第二十条 counts the assessor's own evaluations only. `synthetic`: a
        fictitious one (the demo's, ADR 0042)."""
        name = clean_name(name)
        the_uscc = _parse_uscc(uscc)
        if the_uscc is None:
            raise EmptyValueError("uscc")
        for field_name, count in (
            ("senior_staff", senior_staff),
            ("intermediate_staff", intermediate_staff),
        ):
            if count < 0:
                raise InvalidInputError(field_name, f"{count} is negative")
        p = self._resolve(provenance)
        assessor_id = assessor_id_for(the_uscc)
        existing = self._maybe_get(Assessor, assessor_id)
        if existing is not None:
            if existing.synthetic != synthetic:
                raise EnterpriseIdentityConflictError(
                    f"assessor {assessor_id} ({existing.name}) is "
                    f"{'fictitious' if existing.synthetic else 'real'}: a "
                    f"{'fictitious' if synthetic else 'real'} registration cannot be it"
                )
            return Receipt(assessor_id, None, (assessor_id,))
        assessor = Assessor.register(
            assessor_id=assessor_id,
            name=name,
            uscc=the_uscc,
            group=optional_text(group, "group"),
            senior_staff=senior_staff,
            intermediate_staff=intermediate_staff,
            legal_representative=optional_text(legal_representative, "legal_representative"),
            synthetic=synthetic,
            provenance=p,
        )
        return Receipt(assessor_id, self._save(assessor), (assessor_id,))

    def submit_work_report(
        self,
        assessor_id: UUID,
        *,
        report_year: int,
        report: Reference,
        evaluations: int,
        passed: int,
        summary: str = "",
        provenance: Provenance,
    ) -> Receipt:
        """Assessor.WorkReportSubmitted: the yearly work report (EVAL-5, 附件10)."""
        p = self._resolve(provenance)
        assessor = self.get_assessor(assessor_id)
        assessor.submit_work_report(
            report_year=report_year,
            report=report,
            evaluations=evaluations,
            passed=passed,
            summary=storable(summary, "summary", multiline=True, max_length=2 * LONG_MAX).strip(),
            provenance=p,
        )
        return Receipt(assessor.id, self._save(assessor), (assessor.id,))

    def blacklist_assessor(
        self,
        assessor_id: UUID,
        *,
        reason: str,
        until: date | None = None,
        provenance: Provenance,
    ) -> Receipt:
        """Blacklisted (EVAL-2): its results are not accepted through `until` (default 3 years)."""
        reason = clean_reason(reason)
        p = self._resolve(provenance)
        assessor = self.get_assessor(assessor_id)
        rulebook = rulebook_for(p.day)
        last_day = until or rulebook.bar_end(p.day)
        assessor.blacklist(
            reason=reason,
            until=last_day,
            rulebook=rulebook.version,
            rule_findings=blacklisting_findings(rulebook, assessor, p.day, last_day),
            provenance=p,
        )
        return Receipt(assessor.id, self._save(assessor), (assessor.id,))

    def lift_blacklist(self, assessor_id: UUID, *, reason: str, provenance: Provenance) -> Receipt:
        """BlacklistLifted: a correction or an early end of the blacklist."""
        reason = clean_reason(reason)
        p = self._resolve(provenance)
        assessor = self.get_assessor(assessor_id)
        assessor.lift_blacklist(reason=reason, provenance=p)
        return Receipt(assessor.id, self._save(assessor), (assessor.id,))

    # -- queries -------------------------------------------------------------------------------

    def eligibility(
        self, enterprise_id: UUID, on: date, known_at: datetime | None = None
    ) -> Eligibility:
        """Whether the enterprise may be nominated on `on` (the negative list, NEG-1…6), on the
        facts the ledger had recorded at `known_at` (default: all of them)."""
        if known_at is not None and known_at.utcoffset() is None:
            raise InvalidInputError("known_at", "must carry a time zone")
        enterprise = self._known(Enterprise, enterprise_id, known_at, EnterpriseNotFoundError)
        listings = [
            self._known(Listing, i, known_at, ListingNotFoundError) for i in enterprise.listing_ids
        ]
        return eligibility(rulebook_for(on), enterprise, listings, on, known_at)

    # -- loading -------------------------------------------------------------------------------

    def get_enterprise(self, enterprise_id: UUID) -> Enterprise:
        return self._get(Enterprise, enterprise_id, EnterpriseNotFoundError)

    def get_listing(self, listing_id: UUID) -> Listing:
        return self._get(Listing, listing_id, ListingNotFoundError)

    def get_assessor(self, assessor_id: UUID) -> Assessor:
        return self._get(Assessor, assessor_id, AssessorNotFoundError)

    def _listings_of(self, enterprise: Enterprise, *loaded: Listing) -> tuple[Listing, ...]:
        """The enterprise's listings as stored; `loaded` ones (not yet changed) are reused."""
        at_hand = {listing.id: listing for listing in loaded}
        return tuple(at_hand.get(i) or self.get_listing(i) for i in enterprise.listing_ids)

    def get_batch(
        self, level: Level, batch_year: int, region: str | None = None, city: str | None = None
    ) -> Batch:
        batch = self._maybe_get(Batch, batch_id_for(level, batch_year, region, city))
        if batch is None:
            where = (
                "" if level is Level.NATIONAL else f", {region or '-'}{'/' + city if city else ''}"
            )
            raise BatchNotFoundError(f"{batch_year} ({level.value}{where})")
        return batch

    def find_enterprise(self, *, region: str | Region, name: str) -> Enterprise | None:
        """The enterprise registered in the region under this name (or a former name)."""
        return self._find_enterprise([name_key(Region.of(region), clean_name(name))])

    def find_enterprise_by_uscc(self, uscc: str | Uscc) -> Enterprise | None:
        the_uscc = _parse_uscc(uscc)
        return self._find_enterprise([uscc_key(the_uscc)]) if the_uscc else None

    def _find_enterprise(self, keys: Iterable[str]) -> Enterprise | None:
        for key in keys:
            found = self._load(key_id(key))
            if isinstance(found, Enterprise):
                return found
            if isinstance(found, EnterpriseKey):
                return self.get_enterprise(found.enterprise_id)
        return None

    def _attach_keys(
        self, enterprise: Enterprise, uscc: Uscc | None, p: Provenance
    ) -> list[Aggregate]:
        """Give a known enterprise the credit code it was registered with now, if it had none."""
        if uscc is None or enterprise.uscc == uscc:
            return []
        if enterprise.uscc is not None:
            raise EnterpriseIdentityConflictError(
                f"enterprise {enterprise.id} has the credit code {enterprise.uscc}, not {uscc}"
            )
        holder = self._find_enterprise([uscc_key(uscc)])
        if holder is not None and holder.id != enterprise.id:
            raise EnterpriseIdentityConflictError(
                f"the credit code {uscc} already belongs to enterprise {holder.id}"
            )
        enterprise.assign_credit_code(uscc=uscc, provenance=p)
        claim = EnterpriseKey.claim(key=uscc_key(uscc), enterprise_id=enterprise.id, provenance=p)
        return [enterprise, claim]


def _parse_uscc(uscc: str | Uscc | None) -> Uscc | None:
    if uscc is None or isinstance(uscc, Uscc):
        return uscc
    text = uscc.strip()
    return Uscc.parse(text) if text else None


def _check_product(category: Category, product: Product | None) -> None:
    if category is Category.GREEN_DESIGN_PRODUCT:
        if product is None:
            raise InvalidInputError("product", "a green design product needs its product")
        clean_name(product.name, "product.name", SHORT_MAX)
    elif product is not None:
        raise InvalidInputError("product", "applies to green design products only")


def _check_nominee(listing: Listing, batch_year: int) -> None:
    """A publicised nominee is a pending nomination of the batch."""
    if listing.status is not ListingStatus.NOMINATED or listing.batch_year != batch_year:
        raise ListingNotNominatedError(listing.id, listing.status.value, f" in batch {batch_year}")


def _check_distinct(groups: Mapping[str, Sequence[UUID]]) -> None:
    seen: dict[UUID, str] = {}
    for group, ids in groups.items():
        for listing_id in ids:
            if listing_id in seen:
                raise InvalidInputError(
                    group,
                    f"listing {listing_id} appears more than once (also in {seen[listing_id]})",
                )
            seen[listing_id] = group


def _texts(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(v.strip() for v in values if v.strip())


def _removal_reasons(reasons: Sequence[str | RemovalReason]) -> tuple[RemovalReason, ...]:
    parsed = tuple(RemovalReason.parse(reason, f"reasons[{i}]") for i, reason in enumerate(reasons))
    if not parsed:
        raise EmptyValueError("reasons")
    return tuple(dict.fromkeys(parsed))


def _record_nomination(
    enterprise: Enterprise, batch: Batch, nomination: Nomination, p: Provenance
) -> None:
    """The nomination recorded with its enterprise (NEG rules read it) and its batch (quotas)."""
    enterprise.record_nomination(
        listing_id=nomination.listing_id,
        category=nomination.category,
        level=nomination.level,
        batch_year=nomination.batch_year,
        provenance=p,
    )
    batch.receive_nomination(
        listing_id=nomination.listing_id,
        region_code=enterprise.region.code,
        category=nomination.category,
        provenance=p,
    )


def _cite_evaluation(
    assessor: Assessor | None,
    evaluation: ThirdPartyEvaluation | None,
    listing: Listing,
    batch: Batch,
    p: Provenance,
) -> tuple[UUID, ...]:
    """The id of the evaluation a nomination cites, recorded with its assessor as pending until
    the assessor confirms it: counted toward nothing (ADR 0110); none without an evaluation."""
    if assessor is None or evaluation is None:
        return ()
    return (
        assessor.cite_evaluation(
            listing_id=listing.id,
            batch_year=batch.batch_year,
            conclusion=evaluation.conclusion,
            report=evaluation.report,
            provenance=p,
        ),
    )


def _requested_nomination(
    enterprise_id: UUID,
    category: str | Category,
    level: str | Level,
    batch_year: int,
    product: Product | None,
    park_level: str | ParkLevel | None,
    indicators: Mapping[str, Indicator] | None,
) -> Nomination:
    """A nomination's input as value types, its evidence still to come; bad input is refused
    naming its field."""
    the_category = Category.parse(category, "category")
    the_level = Level.parse(level, "level")
    check_batch_year(batch_year)
    the_park_level = ParkLevel.parse(park_level, "park_level") if park_level else None
    _check_product(the_category, product)
    if the_park_level is not None and the_category is not Category.GREEN_PARK:
        raise InvalidInputError("park_level", "applies to green parks only")
    the_indicators = dict(indicators or {})
    check_indicators(the_indicators)
    return Nomination(
        listing_id=listing_id_for(enterprise_id, the_category, the_level, product),
        enterprise_id=enterprise_id,
        category=the_category,
        level=the_level,
        batch_year=batch_year,
        product=product,
        park_level=the_park_level,
        self_evaluation=None,
        third_party_evaluation=None,
        indicators=the_indicators,
    )
