"""Where the tests find the repository's own files, whatever folder a test lives in."""

from __future__ import annotations

from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
#: The ministry's published lists as shipped (data/published-lists/README.md).
PUBLISHED_LISTS = REPOSITORY / "data" / "published-lists"
