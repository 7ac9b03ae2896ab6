"""A clock the test moves: the publisher's time, so that waiting an hour takes no time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class TestClock:
    """Now is whatever the test says; it moves only when told."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
