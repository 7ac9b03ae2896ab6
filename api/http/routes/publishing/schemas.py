"""What the publishing routes answer (api.md v1 additions): the feed, the changes between two
dates, webhook subscriptions and their delivery log, the kept tree heads and certificates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.common import RegionCode
from api.http.schemas.ledger import ConsistencyProofPublic, TreeHeadPublic
from api.http.schemas.reads import ReadModel, ReferencePublic
from domain.values import Category, Level

# -- the feed --------------------------------------------------------------------------------------


class FeedUnitPublic(BaseModel):
    listing_id: UUID
    region: str
    category: str
    level: str


class FeedEntryPublic(BaseModel):
    """One list-changing event. A unit's (`listed`, `removed`, `removal_rescinded`): the unit,
    its `name` and `status` on `effective_on` once the event was recorded. A `renamed` one: the
    enterprise, its new `name`, `previous_name` and its published `units`."""

    position: int
    kind: str = Field(
        description="listed, removed, removal_rescinded, renamed, stars_rated, "
        "green_code_assigned or green_code_withheld"
    )
    event: str = Field(description="The event's class, e.g. Listing.Listed.")
    effective_on: date
    recorded_at: datetime
    enterprise_id: UUID
    name: str
    region: str
    listing_id: UUID | None
    category: str | None
    level: str | None
    product: str | None
    batch_year: int | None
    status: str | None = Field(description="The unit's status after the event (units only).")
    previous_name: str | None
    reasons: list[str] = Field(description="A removal's reason codes; a rescission's reason.")
    announcement: ReferencePublic | None
    basis: list[ReferencePublic]
    units: list[FeedUnitPublic]
    stars: int | None = Field(default=None, description="A stars_rated entry's stars (3–5).")
    green_code: str | None = Field(
        default=None, description="A green_code_assigned entry's 企业绿码 (A+, A, B)."
    )
    report_year: int | None = Field(
        default=None,
        description="The report year a green_code_assigned entry's code (or a "
        "green_code_withheld entry's missing code) is for.",
    )
    reason: str | None = Field(
        default=None,
        description="Why a green_code_withheld entry's unit got no 企业绿码 (Chinese first): "
        "it did not file the year's table, or its data fail the plausibility checks.",
    )


class FeedPagePublic(BaseModel):
    """Entries after `after`, oldest first. Ask next with `after=next`."""

    after: int
    limit: int
    next: int
    position: int = Field(description="The position the read models had reached.")
    entries: list[FeedEntryPublic]


# -- changes between two dates ---------------------------------------------------------------------


class ChangedUnitPublic(ReadModel):
    listing_id: UUID
    enterprise_id: UUID
    name: str = Field(description="The name on `on`.")
    region: str
    category: str
    level: str
    batch_year: int
    on: date


class UnitListedPublic(ReadModel):
    unit: ChangedUnitPublic
    announcement: ReferencePublic | None
    position: int


class UnitRemovedPublic(BaseModel):
    unit: ChangedUnitPublic
    reasons: list[str] = Field(description="Reason codes.")
    reasons_zh: str = Field(description="The reasons in words, Chinese.")
    reasons_en: str
    announcement: ReferencePublic | None
    position: int


class UnitRenamedPublic(ReadModel):
    unit: ChangedUnitPublic
    previous_name: str
    position: int


class ChangeCountsPublic(BaseModel):
    listed: int
    removed: int
    renamed: int
    on_start: int = Field(description="Units on the list on `from`.")
    on_end: int = Field(description="Units on the list on `to`.")
    added: int
    dropped: int
    net: int = Field(description="on_end - on_start")


class ListChangesPublic(BaseModel):
    """The list's changes effective after `from`, up to `to`, as known now."""

    from_: date = Field(alias="from")
    to: date
    category: str | None
    level: str | None
    region: str | None
    counts: ChangeCountsPublic
    by_category: dict[str, ChangeCountsPublic]
    listed: list[UnitListedPublic]
    removed: list[UnitRemovedPublic]
    renamed: list[UnitRenamedPublic]
    added: list[ChangedUnitPublic] = Field(description="On the list on `to`, not on `from`.")
    dropped: list[ChangedUnitPublic] = Field(description="On the list on `from`, not on `to`.")
    position: int

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


# -- subscriptions ---------------------------------------------------------------------------------


class FiltersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Category | None = None
    level: Level | None = None
    region: RegionCode | None = None


class SubscriptionCreate(BaseModel):
    """A webhook: the feed's entries the filters select are POSTed to `url`, signed."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=2000,
        description="http(s) on loopback or on a host of GREENLEDGER_WEBHOOK_HOSTS.",
        examples=["http://127.0.0.1:8116/greenledger"],
    )
    filters: FiltersIn = Field(default_factory=FiltersIn)
    after: int | None = Field(
        default=None,
        ge=0,
        le=2**63 - 1,
        description="Deliver the feed after this position (default: from now on; 0: all of it).",
    )


class FiltersPublic(BaseModel):
    category: str | None
    level: str | None
    region: str | None


class SubscriptionPublic(BaseModel):
    id: UUID
    url: str
    filters: FiltersPublic
    cursor: int = Field(description="The feed position delivered up to.")
    active: bool
    created_at: datetime
    created_by: str


class SubscriptionCreated(SubscriptionPublic):
    secret: str = Field(
        description="The HMAC-SHA256 key of X-Greenledger-Signature. Shown once: keep it."
    )


class AttemptPublic(BaseModel):
    attempt: int
    at: datetime
    status_code: int | None
    error: str | None


class DeliveryPublic(BaseModel):
    id: UUID = Field(description="X-Greenledger-Delivery: the same on every retry.")
    after: int
    next: int
    entries: int
    state: Literal["pending", "delivered"]
    attempts: list[AttemptPublic]
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


class DeliveryLogPublic(BaseModel):
    subscription: SubscriptionPublic
    deliveries: list[DeliveryPublic] = Field(description="Newest first.")


# -- heads and certificates ------------------------------------------------------------------------


class KeptHeadPublic(BaseModel):
    number: int = Field(description="The head's place in the sequence of kept heads (1, 2, …).")
    head: TreeHeadPublic
    consistency: ConsistencyProofPublic | None = Field(
        description="The proof that this head's tree extends the previous kept head's."
    )


class KeptHeadsPublic(BaseModel):
    heads: list[KeptHeadPublic]
    next: int = Field(description="Ask next with after=next.")


class CertifiedEventPublic(BaseModel):
    event: str
    effective_on: str | None
    recorded_at: str
    leaf_index: int
    tree_size: int
    leaf: str = Field(description="The event's canonical bytes (ADR 0030), hex.")
    audit_path: list[str]


class CertificatePublic(BaseModel):
    """A unit's standing on `on`, checkable offline: `greenledger verify-certificate`."""

    format: Literal["greenledger/certificate/v1"]
    subject: dict[str, Any]
    on: date
    statement: dict[str, Any]
    events: list[CertifiedEventPublic]
    tree_head: TreeHeadPublic
