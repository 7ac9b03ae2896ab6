"""The ledger's re-benchmark commands (390号; ADR 0152): launch the campaign over the national
green factories and parks on the list, record each unit's self-evaluation result, flag those with
none after the due date. Functions of the ledger, beside it, as `commands` are."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from domain.errors import (
    InvalidInputError,
    ListingNotFoundError,
    NotFoundError,
    TransitionRefusedError,
)
from domain.ledger import Ledger, Receipt
from domain.listing import Listing
from domain.national.rebenchmark import RebenchmarkCampaign, RebenchmarkOutcome, campaign_id
from domain.values import Category, Level, Provenance, Reference

#: The categories that re-benchmark under 390号: factories and parks.
REBENCHMARKED = frozenset({Category.GREEN_FACTORY, Category.GREEN_PARK})


class CampaignAlreadyLaunchedError(TransitionRefusedError):
    """A year has one campaign; its units are fixed at launch."""


class CampaignNotFoundError(NotFoundError):
    kind = "re-benchmark campaign"


def get_campaign(ledger: Ledger, year: int) -> RebenchmarkCampaign | None:
    return ledger._maybe_get(RebenchmarkCampaign, campaign_id(year))


def _campaign(ledger: Ledger, year: int) -> RebenchmarkCampaign:
    found = get_campaign(ledger, year)
    if found is None:
        raise CampaignNotFoundError(year)
    return found


def launch_rebenchmark(
    ledger: Ledger,
    *,
    year: int,
    due_on: date,
    requirements: Reference,
    listing_ids: Sequence[UUID],
    provenance: Provenance,
) -> Receipt:
    """RebenchmarkCampaign.Launched over the given units, each a national green factory or park
    on the list (the API passes every one the list holds that day)."""
    p = ledger._resolve(provenance)
    if get_campaign(ledger, year) is not None:
        raise CampaignAlreadyLaunchedError(f"the {year} re-benchmark is already launched")
    units: dict[UUID, str] = {}
    for listing_id in listing_ids:
        listing = ledger._maybe_get(Listing, listing_id)
        if listing is None:
            raise ListingNotFoundError(str(listing_id))
        if (
            listing.level is not Level.NATIONAL
            or listing.category not in REBENCHMARKED
            or not listing.is_on_list
        ):
            raise InvalidInputError(
                "listing_ids", f"{listing_id} is not a national green factory or park on the list"
            )
        units[listing.id] = listing.region.code
    campaign = RebenchmarkCampaign.launch(
        year=year, due_on=due_on, requirements=requirements, units=units, provenance=p
    )
    return Receipt(campaign.id, ledger._save(campaign), (campaign.id,))


def record_rebenchmark_result(
    ledger: Ledger,
    *,
    year: int,
    listing_id: UUID,
    outcome: str,
    self_evaluation: Reference,
    provenance: Provenance,
) -> Receipt:
    """RebenchmarkCampaign.ResultRecorded: the unit's self-evaluation and whether it meets."""
    the_outcome = RebenchmarkOutcome.parse(outcome)
    p = ledger._resolve(provenance)
    campaign = _campaign(ledger, year)
    campaign.record_result(listing_id, the_outcome, self_evaluation, p)
    return Receipt(campaign.id, ledger._save(campaign), (campaign.id, listing_id))


def flag_not_rebenchmarked(ledger: Ledger, *, year: int, provenance: Provenance) -> Receipt:
    """NotRebenchmarked for every unit with no result, after the due date (409 before)."""
    p = ledger._resolve(provenance)
    campaign = _campaign(ledger, year)
    campaign.flag_missing(p)
    return Receipt(campaign.id, ledger._save(campaign), (campaign.id,))
