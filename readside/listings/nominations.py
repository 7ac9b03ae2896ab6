"""The units a region nominated in one round (推荐汇总表, 工信厅节函〔2022〕235号 附件1): each
nomination of the round's level and year with its enterprise's credit code and industry, and what
became of it (listed, not listed, still pending), as now known."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa

from domain.values import Level, Region
from readside.engine import tables
from readside.engine.database import Views, read_position


@dataclass(frozen=True)
class Nomination:
    listing_id: UUID
    name: str
    region: str
    category: str
    level: str
    product_name: str | None
    product_model: str | None
    park_level: str | None
    uscc: str | None
    industry: str | None
    nominated_on: date
    status: str
    listed_on: date | None


@dataclass(frozen=True)
class RoundNominations:
    batch_year: int
    level: str
    region: str | None
    items: tuple[Nomination, ...]
    position: int


def list_round_nominations(
    views: Views, *, batch_year: int, level: Level, region: str | Region | None
) -> RoundNominations:
    """The nominations of the round `level` × `batch_year`, of one region (or all)."""
    code = Region.of(region).code if region is not None else None
    listing, enterprise = tables.listings, tables.enterprises
    where = [listing.c.batch_year == batch_year, listing.c.level == level.value]
    if code is not None:
        where.append(listing.c.region == code)
    query = (
        sa.select(listing, enterprise.c.uscc, enterprise.c.industry)
        .join(enterprise, enterprise.c.enterprise_id == listing.c.enterprise_id)
        .where(*where)
        .order_by(listing.c.region, listing.c.category, listing.c.name_key, listing.c.listing_id)
    )
    with views.reading() as connection:
        rows = connection.execute(query).all()
        position = read_position(connection)
    items = tuple(
        Nomination(
            listing_id=row.listing_id,
            name=row.name,
            region=row.region,
            category=row.category,
            level=row.level,
            product_name=row.product_name,
            product_model=row.product_model,
            park_level=row.park_level,
            uscc=row.uscc,
            industry=row.industry,
            nominated_on=row.nominated_on,
            status=row.status,
            listed_on=row.listed_on,
        )
        for row in rows
    )
    return RoundNominations(batch_year, level.value, code, items, position)
