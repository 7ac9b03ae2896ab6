"""The real history the repository ships: the published national lists of batches 1–5 and
2021年度, and what later notices announced of them (江苏省泰兴经济开发区's removal by
工信厅节函〔2018〕341号) — no synthetic fact. Tests of the list's changes run on it."""

from __future__ import annotations

import random
from pathlib import Path

from domain.ledger import Ledger
from domain.loading.demo import DemoReport, _History
from domain.loading.importing import import_published_lists
from domain.loading.published_lists import read_published_lists

DATA = Path(__file__).resolve().parents[2] / "data"
TAIXING = "江苏省泰兴经济开发区"


def load_real_history(ledger: Ledger) -> None:
    """The published lists, then the removal the batch-3 notice announced (real: its date is
    the one the shipped data gives; the tests never assume it)."""
    import_published_lists(ledger, read_published_lists(DATA / "published-lists"))
    _History(ledger, random.Random(0), DemoReport(), None).taixing_removal()
