"""The read models' tables (design.md, Read models), in the same database as the events.

Every row here is derived from events and can be rebuilt from them (`greenledger rebuild`); none
holds a fact of its own. The tables are created on start-up (ADR 0021) and carry the version of
their shape in `projection_tracking`, beside the notification position they reflect (ADR 0020).

- `listings`: one row per listing, as it stands now (status, flags, enterprise name as of now).
- `listing_periods`: bitemporal stretches of each listing's standing: valid time
  (`valid_from` … `valid_to`, effective dates) × recorded time (`recorded_from` … `recorded_to`,
  instants, with the notification positions that opened and closed them). The list as of a date,
  as known at an instant, is one indexed query here (ADR 0022).
- `listing_filings`: each yearly indicator filing (动态管理表) and its review.
- `enterprises`, `credit_incidents`: applicant bodies with their names, and their credit records.
- `timeline`: every event, one line in Chinese and in English.
- `decisions`: every decision with its rulebook version and rule findings.
- `statistics`: net changes of unit counts per day × category × level × region × status; the
  count on a date is the sum of the changes up to it (ADR 0022).
- `assessors`, `assessor_blacklistings`, `assessor_workload`, `batches`: third-party assessors,
  their evaluations per batch against the cap, and the batches with their recorded quotas;
  `assessor_work_reports`: their yearly work reports (附件10).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

#: Bump when a table's shape changes: the projector then asks for `greenledger rebuild`.
#: 3: `synthetic` on listings, their periods, enterprises and assessors; enterprises' aliases.
#: 4: the deciding event's position (`status_position`) on each listing period; every name and
#: alias of an enterprise (`enterprise_names`); enterprises by credit code; a design product's
#: standard.
#: 5: `green_codes_withheld` (ADR 0151): a store that already holds GreenCodeWithheld events needs
#: it filled from the first of them, so the read models are rebuilt.
#: 6: `batch_evaluations` (ADR 0155): each nomination's evaluation as its round counts it, with
#: the evaluator's legal representative, filled from every EvaluationCounted, so the read models
#: are rebuilt.
SCHEMA_VERSION = 6

metadata = sa.MetaData()

#: Indexes an earlier version created and this one replaced: dropped where found (ADR 0153).
RETIRED_INDEXES = ("ix_listing_periods_now_day",)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """An instant, stored in UTC on every store and read back as an aware UTC datetime.

    SQLite keeps no zone: instants are stored as naive UTC text, which compares in time order.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"a recorded instant must carry its time zone: {value!r}")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _ordered_text() -> sa.types.TypeEngine[str]:
    """Text that sorts by code point on every store (PostgreSQL's "C" collation)."""
    return sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True)


def _code() -> sa.String:
    return sa.String(32)


def _position() -> sa.types.TypeEngine[int]:
    """A notification position as a primary key: SQLite's rowid itself (no second index)."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


tracking = sa.Table(
    "projection_tracking",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
    # The latest recorded instant of the events up to `position` (see `timeline.known_from`).
    sa.Column("recorded_until", UtcDateTime),
    sa.Column("schema_version", sa.Integer, nullable=False),
)

#: Events the projector could not apply (ADR 0105): each is set aside here, in the transaction
#: that moves the tracked position past it, so one bad event never stops the read side. Not a
#: view: a rebuild drops it with the views and quarantines again what still cannot be applied.
quarantine = sa.Table(
    "projection_quarantine",
    metadata,
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("topic", sa.Text, nullable=False),
    sa.Column("originator_id", sa.Text, nullable=False),
    sa.Column("originator_version", sa.BigInteger, nullable=False),
    sa.Column("error", sa.Text, nullable=False),
    sa.Column("quarantined_at", UtcDateTime, nullable=False),
)

listings = sa.Table(
    "listings",
    metadata,
    sa.Column("listing_id", sa.Uuid, primary_key=True),
    sa.Column("enterprise_id", sa.Uuid, nullable=False, index=True),
    sa.Column("region", sa.String(6), nullable=False),
    sa.Column("category", _code(), nullable=False),
    sa.Column("level", _code(), nullable=False),
    sa.Column("product_name", sa.Text),
    sa.Column("product_model", sa.Text),
    sa.Column("product_standard", sa.Text),
    # A design product's name and model as searched (the list's `q`).
    sa.Column("product_key", sa.Text),
    sa.Column("park_level", _code()),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", _ordered_text(), nullable=False),
    sa.Column("batch_year", sa.Integer, nullable=False),
    sa.Column("status", _code(), nullable=False),
    sa.Column("nominated_on", sa.Date, nullable=False),
    sa.Column("listed_on", sa.Date),
    sa.Column("removed_on", sa.Date),
    sa.Column("rejected_on", sa.Date),
    sa.Column("last_filing_year", sa.Integer),
    sa.Column("barred_until", sa.Date),
    sa.Column("filing_overdue", sa.Boolean, nullable=False),
    sa.Column("rectification_pending", sa.Boolean, nullable=False),
    sa.Column("renamed", sa.Boolean, nullable=False),
    # A fictitious unit of the demo (its enterprise registered `synthetic`, ADR 0042).
    sa.Column("synthetic", sa.Boolean, nullable=False),
    # What the fold needs to go on: the status and bar a rescission restores, the overdue years,
    # the position of each year's latest filing.
    sa.Column("status_before_removal", _code(), nullable=False),
    sa.Column("barred_until_before_removal", sa.Date),
    sa.Column("overdue_years", _json(), nullable=False),
    sa.Column("filing_positions", _json(), nullable=False),
    # Positions of the events an explanation starts from.
    sa.Column("status_position", sa.BigInteger, nullable=False),
    sa.Column("listed_position", sa.BigInteger),
    sa.Column("removal_position", sa.BigInteger),
    sa.Column("updated_position", sa.BigInteger, nullable=False),
    # The design products' search keys alone (the list's `q` reads them; ADR 0153).
    sa.Index(
        "ix_listings_product_key",
        "product_key",
        "listing_id",
        sqlite_where=sa.text("product_key IS NOT NULL"),
        postgresql_where=sa.text("product_key IS NOT NULL"),
    ),
)

listing_periods = sa.Table(
    "listing_periods",
    metadata,
    sa.Column("listing_id", sa.Uuid, primary_key=True),
    sa.Column("valid_from", sa.Date, primary_key=True),
    sa.Column("recorded_from_position", sa.BigInteger, primary_key=True),
    sa.Column("valid_to", sa.Date),
    sa.Column("recorded_from", UtcDateTime, nullable=False),
    sa.Column("recorded_to", UtcDateTime),
    sa.Column("recorded_to_position", sa.BigInteger),
    sa.Column("enterprise_id", sa.Uuid, nullable=False),
    sa.Column("region", sa.String(6), nullable=False),
    sa.Column("category", _code(), nullable=False),
    sa.Column("level", _code(), nullable=False),
    sa.Column("status", _code(), nullable=False),
    sa.Column("batch_year", sa.Integer, nullable=False),
    sa.Column("listed_on", sa.Date),
    sa.Column("removed_on", sa.Date),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", _ordered_text(), nullable=False),
    sa.Column("barred_until", sa.Date),
    sa.Column("filing_overdue", sa.Boolean, nullable=False),
    sa.Column("rectification_pending", sa.Boolean, nullable=False),
    sa.Column("renamed", sa.Boolean, nullable=False),
    # The event that set the status: where the explanation on a day, as then known, starts.
    sa.Column("status_position", sa.BigInteger, nullable=False),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    # The list as of a date is one range scan: by region (the usual filter) or by day.
    sa.Index("ix_listing_periods_region", "region", "valid_from"),
    sa.Index("ix_listing_periods_day", "valid_from"),
    # The list as known now, the question nearly every reader asks, answered from two partial
    # indexes over the stretches not superseded, without reading the table: its page in the
    # list's order (read in order, stopping at the page) and its total (a range scan by day with
    # every filter's column at hand). At 50,000 listings on SQLite, the unfiltered page went from
    # 320 ms to 20 ms (ADR 0025).
    sa.Index(
        "ix_listing_periods_now_order",
        *("region", "name_key", "listing_id", "valid_from", "valid_to"),
        *("status", "category", "level", "synthetic"),
        sqlite_where=sa.text("recorded_to IS NULL"),
        postgresql_where=sa.text("recorded_to IS NULL"),
    ),
    # With the listing's id, so that a name search (`q`), which also asks whether the listing
    # is a design product whose name or model matches, is still answered from the index: without
    # it, every period in the day's range was read from the table (90 ms at 50,000 listings on
    # SQLite). With `recorded_to`, null throughout, because SQLite does not count the partial
    # index's own condition as a column it holds (ADR 0153).
    sa.Index(
        "ix_listing_periods_now_by_day",
        *("valid_from", "valid_to", "status", "category", "level", "region", "name_key"),
        *("listing_id", "recorded_to"),
        sqlite_where=sa.text("recorded_to IS NULL"),
        postgresql_where=sa.text("recorded_to IS NULL"),
    ),
)

listing_filings = sa.Table(
    "listing_filings",
    metadata,
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("listing_id", sa.Uuid, nullable=False),
    sa.Column("report_year", sa.Integer, nullable=False),
    sa.Column("submitted_on", sa.Date, nullable=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("indicators", _json(), nullable=False),
    sa.Column("outcome", _code()),
    sa.Column("findings", _json()),
    sa.Column("reviewed_on", sa.Date),
    sa.Column("review_recorded_at", UtcDateTime),
    sa.Column("review_position", sa.BigInteger),
    sa.Index("ix_listing_filings_listing", "listing_id", "report_year"),
)

enterprises = sa.Table(
    "enterprises",
    metadata,
    sa.Column("enterprise_id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("region", sa.String(6), nullable=False),
    # A lookup by credit code (GET /v1/lookup) is one index probe.
    sa.Column("uscc", sa.String(18), index=True),
    sa.Column("industry", sa.Text),
    sa.Column("registered_on", sa.Date, nullable=False),
    # [[since (ISO date), name], ...] in the order recorded (renames never go back in time).
    sa.Column("names", _json(), nullable=False),
    # Other names documents give the same body (Enterprise.AliasRecorded).
    sa.Column("aliases", _json(), nullable=False),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    sa.Column("updated_position", sa.BigInteger, nullable=False),
)

enterprise_names = sa.Table(
    "enterprise_names",
    metadata,
    # Every name an enterprise bore or is known by: the registered one, each rename, each alias
    # a document gives (Enterprise.AliasRecorded), by the position of the event that gave it, so
    # a lookup by an old name finds the body that bears a new one.
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("enterprise_id", sa.Uuid, nullable=False, index=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("name_key", _ordered_text(), nullable=False, index=True),
    sa.Column("kind", _code(), nullable=False),
    sa.Column("since", sa.Date, nullable=False),
)

credit_incidents = sa.Table(
    "credit_incidents",
    metadata,
    sa.Column("incident_id", sa.Uuid, primary_key=True),
    sa.Column("enterprise_id", sa.Uuid, nullable=False, index=True),
    sa.Column("kind", _code(), nullable=False),
    sa.Column("grade", _code()),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("source", _code(), nullable=False),
    sa.Column("reference", _json()),
    sa.Column("recorded_on", sa.Date, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Column("retracted_on", sa.Date),
    sa.Column("retracted_position", sa.BigInteger),
    sa.Column("retraction_reason", sa.Text),
    sa.Column("rectified_on", sa.Date),
    sa.Column("rectified_position", sa.BigInteger),
    sa.Column("ended_on", sa.Date),
    sa.Column("ended_position", sa.BigInteger),
)

timeline = sa.Table(
    "timeline",
    metadata,
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("originator_id", sa.Uuid, nullable=False),
    sa.Column("originator_version", sa.Integer, nullable=False),
    sa.Column("event", sa.String(64), nullable=False),
    sa.Column("enterprise_id", sa.Uuid),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("recorded_at", UtcDateTime, nullable=False),
    # The latest `recorded_at` up to this position: the event cannot have been committed before
    # it (the log commits in position order), so "known at T" is the log up to the last event
    # with `known_from <= T` — always a prefix of the log, whole commands included (ADR 0022).
    sa.Column("known_from", UtcDateTime, nullable=False),
    sa.Column("actor", sa.Text, nullable=False),
    sa.Column("basis", _json(), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("summary_zh", sa.Text, nullable=False),
    sa.Column("summary_en", sa.Text, nullable=False),
    # An aggregate's history, and the event a rule finding names, by (originator, version);
    # an enterprise's history with its listings' by enterprise.
    sa.Index("uq_timeline_event", "originator_id", "originator_version", unique=True),
    sa.Index("ix_timeline_enterprise", "enterprise_id", "position"),
    sa.Index("ix_timeline_known_from", "known_from", "position"),
)

decisions = sa.Table(
    "decisions",
    metadata,
    # The event's line in `timeline` (same position) holds its actor, basis, note, both times
    # and its summaries; this row adds what the decision decided and on which rules.
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("kind", _code(), nullable=False),
    # The listing (or assessor) decided about; its category, for the yearly series.
    sa.Column("subject_id", sa.Uuid, nullable=False),
    sa.Column("category", _code()),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("rulebook", sa.String(16)),
    sa.Column("outcome", _code()),
    sa.Column("reasons", _json(), nullable=False),
    sa.Column("findings", _json(), nullable=False),
    sa.Column("announcement", _json()),
    sa.Column("barred_until", sa.Date),
    sa.Column("rescinded_position", sa.BigInteger),
    sa.Index("ix_decisions_subject", "subject_id", "position"),
    sa.Index("ix_decisions_kind_day", "kind", "effective_on"),
)

statistics = sa.Table(
    "statistics",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("category", _code(), primary_key=True),
    sa.Column("level", _code(), primary_key=True),
    sa.Column("region", sa.String(6), primary_key=True),
    sa.Column("status", _code(), primary_key=True),
    # Net change, on `day`, of the number of units in `status` (as now known).
    sa.Column("change", sa.Integer, nullable=False),
)

assessors = sa.Table(
    "assessors",
    metadata,
    sa.Column("assessor_id", sa.Uuid, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("uscc", sa.String(18), nullable=False),
    sa.Column("group_name", sa.Text),
    sa.Column("group_key", sa.Text, nullable=False),
    sa.Column("senior_staff", sa.Integer, nullable=False),
    sa.Column("intermediate_staff", sa.Integer, nullable=False),
    sa.Column("registered_on", sa.Date, nullable=False),
    sa.Column("synthetic", sa.Boolean, nullable=False),
    sa.Column("last_blacklisting_position", sa.BigInteger),
)

assessor_blacklistings = sa.Table(
    "assessor_blacklistings",
    metadata,
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("assessor_id", sa.Uuid, nullable=False, index=True),
    sa.Column("since", sa.Date, nullable=False),
    sa.Column("until", sa.Date, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("lifted_on", sa.Date),
    sa.Column("lifted_position", sa.BigInteger),
    sa.Column("lift_reason", sa.Text),
)

assessor_workload = sa.Table(
    "assessor_workload",
    metadata,
    sa.Column("assessor_id", sa.Uuid, primary_key=True),
    sa.Column("level", _code(), primary_key=True),
    sa.Column("batch_year", sa.Integer, primary_key=True),
    sa.Column("group_key", sa.Text, nullable=False),
    sa.Column("evaluations", sa.Integer, nullable=False),
    sa.Column("passed", sa.Integer, nullable=False),
    sa.Index("ix_assessor_workload_group", "group_key", "level", "batch_year"),
)

batch_evaluations = sa.Table(
    "batch_evaluations",
    metadata,
    # Each nomination's evaluation as its round counts it against EVAL-4 (Batch.EvaluationCounted;
    # a later one for the same nomination replaces it, as in the aggregate), with whom it counts
    # with: the evaluator's group, and from 13号 its legal representative (ADR 0155).
    sa.Column("batch_id", sa.Uuid, primary_key=True),
    sa.Column("listing_id", sa.Uuid, primary_key=True),
    sa.Column("assessor_id", sa.Uuid, nullable=False),
    sa.Column("evaluator_group", sa.Text, nullable=False),
    sa.Column("legal_representative", sa.Text),
    sa.Column("position", sa.BigInteger, nullable=False),
    sa.Index("ix_batch_evaluations_assessor", "assessor_id", "batch_id"),
)

assessor_work_reports = sa.Table(
    "assessor_work_reports",
    metadata,
    # A new table of events that older programs never wrote: created on start, filled from the
    # first WorkReportSubmitted on, with no rebuild needed.
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("assessor_id", sa.Uuid, nullable=False, index=True),
    sa.Column("report_year", sa.Integer, nullable=False),
    sa.Column("submitted_on", sa.Date, nullable=False),
    sa.Column("evaluations", sa.Integer, nullable=False),
    sa.Column("passed", sa.Integer, nullable=False),
    sa.Column("summary", sa.Text, nullable=False),
    sa.Column("report", _json(), nullable=False),
)

batches = sa.Table(
    "batches",
    metadata,
    sa.Column("batch_id", sa.Uuid, primary_key=True),
    sa.Column("level", _code(), nullable=False),
    sa.Column("batch_year", sa.Integer, nullable=False),
    sa.Column("rulebook", sa.String(16), nullable=False),
    sa.Column("deadlines", _json(), nullable=False),
    sa.Column("quotas", _json(), nullable=False),
    sa.Column("opened_on", sa.Date, nullable=False),
    sa.Column("nominations", sa.Integer, nullable=False),
    sa.Column("published_on", sa.Date),
    sa.Column("announcement", _json()),
)

listing_stars = sa.Table(
    "listing_stars",
    metadata,
    # Listing.StarsRated (ADR 0142): each rating of a unit on a provincial or municipal list. The
    # stars on a date, as known at an instant, are the latest rating effective by the date among
    # those recorded by then. A new table: created on start, filled from the first rating on.
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("listing_id", sa.Uuid, nullable=False),
    sa.Column("stars", sa.Integer, nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Column("announcement", _json()),
    sa.Index("ix_listing_stars_listing", "listing_id", "effective_on", "position"),
)

listing_green_codes = sa.Table(
    "listing_green_codes",
    metadata,
    # GreenCodeRound.GreenCodeAssigned (ADR 0151): each 企业绿码 a national green factory got for
    # a report year, computed or recorded as assigned elsewhere. The code a unit bears on a date,
    # as known at an instant, is its assignment of the latest report year among those effective
    # by the date and recorded by then (a later one of the same year replaces an earlier). A new
    # table: created on start, filled from the first assignment on.
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("listing_id", sa.Uuid, nullable=False),
    sa.Column("report_year", sa.Integer, nullable=False),
    sa.Column("grade", sa.String(2), nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
    sa.Index("ix_listing_green_codes_listing", "listing_id", "report_year", "position"),
)

green_codes_withheld = sa.Table(
    "green_codes_withheld",
    metadata,
    # GreenCodeRound.GreenCodeWithheld (ADR 0151): an applicant that got no 企业绿码 for a report
    # year, and why (it did not file, or its data fail the plausibility checks). Kept by position
    # for the feed's entry naming the unit (SCHEMA_VERSION 5: a store built before rebuilds).
    sa.Column("position", _position(), primary_key=True, autoincrement=False),
    sa.Column("listing_id", sa.Uuid, nullable=False),
    sa.Column("report_year", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("effective_on", sa.Date, nullable=False),
)

listing_cities = sa.Table(
    "listing_cities",
    metadata,
    # The prefecture of a unit on a municipal list (13号 第二条, ADR 0140).
    sa.Column("listing_id", sa.Uuid, primary_key=True),
    sa.Column("city", sa.String(6), nullable=False),
)

#: Every read model (not the tracking table).
VIEW_TABLES: tuple[sa.Table, ...] = tuple(
    t for t in metadata.sorted_tables if t is not tracking and t is not quarantine
)
