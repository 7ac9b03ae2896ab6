"""The real history the repository ships: the published national lists of batches 1–5 and
2021年度, and what later notices announced of them (江苏省泰兴经济开发区's removal by
工信厅节函〔2018〕341号) — no synthetic fact. Tests of the list's changes run on it."""

from __future__ import annotations

from domain.ledger import Ledger
from domain.loading.announcements import read_announcements
from domain.loading.importing import import_announcements, import_published_lists
from domain.loading.published_lists import read_published_lists
from tests.paths import REPOSITORY

DATA = REPOSITORY / "data"
TAIXING = "江苏省泰兴经济开发区"


def load_real_history(ledger: Ledger) -> None:
    """The published lists, then the later notices the repository ships (the batch-3 notice's
    removal of 泰兴: its date is the one the shipped data gives; the tests never assume it)."""
    import_published_lists(ledger, read_published_lists(DATA / "published-lists"))
    import_announcements(ledger, read_announcements(DATA / "announcements"))
