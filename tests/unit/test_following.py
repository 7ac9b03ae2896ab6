"""The background projector's thread (ADR 0133): a read that waits wakes it at once; a stored
command lets a burst settle first, unless a read then waits. Real threads; the catch-up is a
counter. No assertion depends on how fast the machine is: the settle is an hour, so a catch-up
that happens at all after a command alone is a defect, and every wait for one is bounded only to
end a broken run."""

from __future__ import annotations

import threading

import pytest

from readside.engine.following import Follower, SoleProjector

HOUR = 3600.0
#: Only to end a broken run; a correct one returns as soon as the catch-up ran.
GIVE_UP_SECONDS = 30.0

pytestmark = pytest.mark.unit


class CatchUps:
    """Counts the catch-ups the follower runs and lets a test wait for the next."""

    def __init__(self) -> None:
        self.count = 0
        self.ran = threading.Condition()

    def __call__(self) -> int:
        with self.ran:
            self.count += 1
            self.ran.notify_all()
        return self.count

    def wait_for(self, count: int) -> bool:
        with self.ran:
            return self.ran.wait_for(lambda: self.count >= count, timeout=GIVE_UP_SECONDS)


def following(settle_seconds: float) -> tuple[Follower, CatchUps]:
    catch_ups = CatchUps()
    follower = Follower(
        catch_ups, SoleProjector(), poll_seconds=HOUR, settle_seconds=settle_seconds
    )
    follower.start()
    assert catch_ups.wait_for(1)  # its first round, at start
    return follower, catch_ups


def test_a_read_that_waits_wakes_the_projector_at_once() -> None:
    follower, catch_ups = following(settle_seconds=HOUR)
    try:
        follower.wake(urgent=True)
        assert catch_ups.wait_for(2)
    finally:
        follower.stop()


def test_a_stored_command_waits_for_its_burst_to_settle_unless_a_read_then_waits() -> None:
    follower, catch_ups = following(settle_seconds=HOUR)
    try:
        follower.wake(urgent=False)
        follower.wake(urgent=False)  # the rest of the burst
        settled = threading.Event().wait(0.3)  # the follower is now settling, for an hour
        assert not settled
        assert catch_ups.count == 1  # no catch-up per command

        follower.wake(urgent=True)  # a read waits for the burst's position
        assert catch_ups.wait_for(2)
    finally:
        follower.stop()
    assert catch_ups.count == 2  # the burst was caught up once


def test_without_a_settle_a_stored_command_is_caught_up_at_once() -> None:
    follower, catch_ups = following(settle_seconds=0)
    try:
        follower.wake(urgent=False)
        assert catch_ups.wait_for(2)
    finally:
        follower.stop()


def test_stopping_ends_a_settle_at_once() -> None:
    follower, _ = following(settle_seconds=HOUR)
    follower.wake(urgent=False)

    follower.stop(timeout=GIVE_UP_SECONDS)

    assert not follower._thread.is_alive()
