"""A command that loses an optimistic-concurrency race is decided again (ADR 0111).

Every command loads the aggregates it touches, lets them and the rules decide, and saves their
new events at the versions it read. When another process (or another ledger on the same
database) saved one of those aggregates in between, the store refuses the save — the library's
`IntegrityError`, our `ConcurrentWriteError` — and nothing of the command is written. Nothing
was wrong with the command: it was decided on a state that is no longer the latest. So it is run
again, from the start: the aggregates are loaded afresh (the cache fast-forwards them over the
rival's events) and the rules decide on what is now recorded — which may now refuse it, with
the rule's 409, or find it already recorded. Only when it loses `attempts` times in a row is the
conflict answered.

Between attempts a short pause, doubling each time and jittered (half to one and a half times),
so that two losers do not collide again in step.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from domain.errors import ConcurrentWriteError

T = TypeVar("T")

#: How many times a command is run before a lost race is answered as a conflict.
ATTEMPTS = 5
#: The first pause between two attempts, in seconds (then 2×, 4×, … jittered).
FIRST_PAUSE = 0.01


def rerun_on_conflict(
    command: Callable[[], T],
    *,
    attempts: int = ATTEMPTS,
    first_pause: float = FIRST_PAUSE,
    sleep: Callable[[float], object] = time.sleep,
    jitter: Callable[[], float] = random.random,
    lost: Callable[[int], object] | None = None,
) -> T:
    """Run `command` until it is not refused for a concurrent write, at most `attempts` times;
    the last `ConcurrentWriteError` propagates. Any other error propagates at once (a rule's
    refusal is the command's answer, not a race). `lost` is told of each lost attempt."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, not {attempts}")
    for attempt in range(1, attempts + 1):
        try:
            return command()
        except ConcurrentWriteError:
            if lost is not None:
                lost(attempt)
            if attempt == attempts:
                raise
            sleep(first_pause * 2 ** (attempt - 1) * (0.5 + jitter()))
    raise AssertionError("unreachable")  # the loop returns or raises
