"""Looking a unit up by what a user holds in hand: a credit code (统一社会信用代码) or a name —
the one it bears, one it bore before a rename, or another a document gives it (an alias).

The answer is every enterprise so found and each of its units with its status on a date, read
from the stretch in force then as the list reads it (`in_force`); a unit removed by then says
when, why (the reason codes and their words) and by which announcement, from the removal's
decision. An anonymous reader sees published facts only (`PUBLIC_STATUSES`): a unit nominated or
rejected is left out, and an enterprise with nothing published is not found.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.errors import InvalidInputError
from domain.ledger import Ledger
from domain.values import ListingStatus, Reference, RemovalReason, Uscc
from readside.engine import tables
from readside.engine.database import Views, read_position
from readside.engine.reading import PUBLIC_STATUSES, in_force
from readside.enterprises.projection import name_key
from readside.timeline.queries import reference

#: Enterprises answered at most for a name (a credit code names one).
MAX_FOUND = 20
MAX_NAME = 200


@dataclass(frozen=True)
class RemovalNotice:
    """Why and how a unit left the list: the removal's day, reasons and announcement."""

    removed_on: date
    reasons: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    reasons_en: tuple[str, ...]
    announcement: Reference | None
    summary_zh: str
    summary_en: str


@dataclass(frozen=True)
class FoundUnit:
    """One unit of a found enterprise, as it stood on the day asked."""

    listing_id: UUID
    name: str
    category: str
    level: str
    batch_year: int
    product_name: str | None
    product_model: str | None
    product_standard: str | None
    status: str
    on_list: bool
    listed_on: date | None
    removed_on: date | None
    removal: RemovalNotice | None
    synthetic: bool


@dataclass(frozen=True)
class FoundEnterprise:
    """An enterprise a lookup found, how it matched, and its units on the day asked."""

    enterprise_id: UUID
    name: str
    region: str
    uscc: str | None
    #: `uscc`, or the kind of name that matched: `registered`, `renamed` (a later name), `alias`.
    matched_by: str
    matched: str
    former_names: tuple[str, ...]
    aliases: tuple[str, ...]
    synthetic: bool
    units: tuple[FoundUnit, ...]


@dataclass(frozen=True)
class Lookup:
    uscc: str | None
    name: str | None
    on: date
    enterprises: tuple[FoundEnterprise, ...]
    position: int


def lookup_units(
    views: Views,
    *,
    uscc: str | None = None,
    name: str | None = None,
    on: date | None = None,
    published_only: bool = True,
) -> Lookup:
    """The enterprises with credit code `uscc`, or bearing (or having borne, or known by) a
    name containing `name`, and their units' status on `on` (default: today in China)."""
    code, text = _asked(uscc, name)
    day = on or Ledger.today()
    with views.reading() as connection:
        matches = (
            _by_code(connection, code) if code is not None else _by_name(connection, text or "")
        )
        found = [
            enterprise
            for enterprise in (
                _enterprise(connection, row, how, matched, day, published_only)
                for row, how, matched in matches
            )
            if enterprise.units or not published_only
        ]
        position = read_position(connection)
    return Lookup(uscc=code, name=text, on=day, enterprises=tuple(found), position=position)


def _asked(uscc: str | None, name: str | None) -> tuple[str | None, str | None]:
    uscc = (uscc or "").strip() or None
    name = (name or "").strip() or None
    if (uscc is None) == (name is None):
        raise InvalidInputError("uscc", "give exactly one of uscc (a credit code) and name")
    if name is not None and len(name) > MAX_NAME:
        raise InvalidInputError("name", f"at most {MAX_NAME} characters")
    return (Uscc.parse(uscc).value if uscc is not None else None), name


def looks_like_credit_code(text: str) -> bool:
    """Whether a search box's text is a credit code rather than a name (18 letters and digits
    passing GB 32100's check)."""
    candidate = text.strip().upper()
    if len(candidate) != 18 or not candidate.isascii() or not candidate.isalnum():
        return False
    try:
        Uscc.parse(candidate)
    except InvalidInputError:
        return False
    return True


def _by_code(connection: Connection, code: str) -> list[tuple[Any, str, str]]:
    e = tables.enterprises
    rows = connection.execute(
        sa.select(e).where(e.c.uscc == code).order_by(e.c.region, e.c.enterprise_id)
    ).all()
    return [(row, "uscc", code) for row in rows]


def _by_name(connection: Connection, text: str) -> list[tuple[Any, str, str]]:
    """Enterprises any of whose names contains the text; exact matches first."""
    n, e = tables.enterprise_names, tables.enterprises
    key = name_key(text)
    named = connection.execute(
        sa.select(n.c.enterprise_id, n.c.name, n.c.name_key, n.c.kind)
        .where(n.c.name_key.contains(key, autoescape=True))
        .order_by(n.c.position)
    ).all()
    best: dict[UUID, tuple[int, str, str]] = {}
    for row in named:
        rank = 0 if row.name_key == key else 1
        if row.enterprise_id not in best or rank < best[row.enterprise_id][0]:
            best[row.enterprise_id] = (rank, row.kind, row.name)
    chosen = sorted(best, key=lambda ident: (best[ident][0], best[ident][2], str(ident)))
    chosen = chosen[:MAX_FOUND]
    rows = {
        row.enterprise_id: row
        for row in connection.execute(sa.select(e).where(e.c.enterprise_id.in_(chosen)))
    }
    return [(rows[i], best[i][1], best[i][2]) for i in chosen if i in rows]


def _enterprise(
    connection: Connection, row: Any, how: str, matched: str, day: date, published_only: bool
) -> FoundEnterprise:
    names = [name for _, name in row.names]
    return FoundEnterprise(
        enterprise_id=row.enterprise_id,
        name=row.name,
        region=row.region,
        uscc=row.uscc,
        matched_by=how,
        matched=matched,
        former_names=tuple(name for name in names[:-1] if name != row.name),
        aliases=tuple(row.aliases),
        synthetic=bool(row.synthetic),
        units=tuple(_units(connection, row.enterprise_id, day, published_only)),
    )


def _units(
    connection: Connection, enterprise_id: UUID, day: date, published_only: bool
) -> Iterable[FoundUnit]:
    p, listing = tables.listing_periods, tables.listings
    rows = connection.execute(
        sa.select(
            p,
            listing.c.product_name,
            listing.c.product_model,
            listing.c.product_standard,
        )
        .join_from(p, listing, p.c.listing_id == listing.c.listing_id)
        .where(p.c.enterprise_id == enterprise_id, *in_force(p, day, None))
        .order_by(p.c.category, p.c.level, p.c.batch_year, p.c.listing_id)
    ).all()
    for row in rows:
        status = ListingStatus(row.status)
        if published_only and status not in PUBLIC_STATUSES:
            continue
        removal = (
            _removal(connection, row.listing_id, day) if status is ListingStatus.REMOVED else None
        )
        yield FoundUnit(
            listing_id=row.listing_id,
            name=row.name,
            category=row.category,
            level=row.level,
            batch_year=row.batch_year,
            product_name=row.product_name,
            product_model=row.product_model,
            product_standard=row.product_standard,
            status=status.value,
            on_list=status.is_on_list,
            listed_on=row.listed_on,
            removed_on=row.removed_on,
            removal=removal,
            synthetic=bool(row.synthetic),
        )


def _removal(connection: Connection, listing_id: UUID, day: date) -> RemovalNotice | None:
    """The removal in force on `day`: the latest not rescinded, taking effect by then."""
    d, t = tables.decisions, tables.timeline
    row = connection.execute(
        sa.select(d.c.effective_on, d.c.reasons, d.c.announcement, t.c.summary_zh, t.c.summary_en)
        .join_from(d, t, d.c.position == t.c.position)
        .where(
            d.c.subject_id == listing_id,
            d.c.kind == "removal",
            d.c.rescinded_position.is_(None),
            d.c.effective_on <= day,
        )
        .order_by(d.c.effective_on.desc(), d.c.position.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    reasons = tuple(RemovalReason(code) for code in row.reasons)
    return RemovalNotice(
        removed_on=row.effective_on,
        reasons=tuple(reason.value for reason in reasons),
        reasons_zh=tuple(reason.label_zh for reason in reasons),
        reasons_en=tuple(reason.value.replace("_", " ") for reason in reasons),
        announcement=reference(row.announcement),
        summary_zh=row.summary_zh,
        summary_en=row.summary_en,
    )
