"""The feed's entries as JSON: one shape for `GET /v1/feed`, the Atom rendering and webhooks."""

from __future__ import annotations

from typing import Any

from domain.values import Reference
from readside.feed.queries import FeedEntry, FeedPage


def _reference(reference: Reference | None) -> dict[str, Any] | None:
    if reference is None:
        return None
    return {
        "doc_no": reference.doc_no,
        "title": reference.title,
        "url": reference.url,
        "sha256": reference.sha256,
    }


def feed_entry_document(entry: FeedEntry) -> dict[str, Any]:
    """One entry; the fields of the other kind of entry are null (or empty)."""
    return {
        "position": entry.position,
        "kind": entry.kind,
        "event": entry.event,
        "effective_on": entry.effective_on.isoformat(),
        "recorded_at": entry.recorded_at.isoformat().replace("+00:00", "Z"),
        "enterprise_id": str(entry.enterprise_id),
        "name": entry.name,
        "region": entry.region,
        "listing_id": str(entry.listing_id) if entry.listing_id is not None else None,
        "category": entry.category,
        "level": entry.level,
        "product": entry.product,
        "batch_year": entry.batch_year,
        "status": entry.status,
        "previous_name": entry.previous_name,
        "reasons": list(entry.reasons),
        "announcement": _reference(entry.announcement),
        "basis": [_reference(reference) for reference in entry.basis],
        "units": [
            {
                "listing_id": str(unit.listing_id),
                "region": unit.region,
                "category": unit.category,
                "level": unit.level,
            }
            for unit in entry.units
        ],
        "stars": entry.stars,
        "green_code": entry.green_code,
        "report_year": entry.report_year,
        "reason": entry.reason,
    }


def feed_page_document(page: FeedPage) -> dict[str, Any]:
    return {
        "after": page.after,
        "limit": page.limit,
        "next": page.next,
        "position": page.position,
        "entries": [feed_entry_document(entry) for entry in page.entries],
    }
