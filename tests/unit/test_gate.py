"""The command gate serves its writers in turn (ADR 0053, 0154): real threads, no timing."""

from __future__ import annotations

import threading

from api.http.gate import FairGate


def queued(gate: FairGate, count: int) -> None:
    """Wait until `count` threads wait for the gate (they block in it: nothing else to wait on)."""
    while gate.waiting < count:
        threading.Event().wait(0.001)


def test_a_writer_that_lets_the_gate_go_and_asks_again_comes_after_the_one_waiting() -> None:
    gate, order = FairGate(), list[str]()
    gate.__enter__()

    def waiter() -> None:
        with gate:
            order.append("waiter")

    thread = threading.Thread(target=waiter)
    thread.start()
    queued(gate, 1)
    gate.__exit__(None, None, None)
    with gate:  # the seal's next page asks at once
        order.append("again")
    thread.join(timeout=10)

    assert order == ["waiter", "again"]


def test_waiters_are_served_in_the_order_they_asked() -> None:
    gate, order = FairGate(), list[int]()
    gate.__enter__()
    threads = []
    for number in range(5):
        thread = threading.Thread(target=lambda n=number: _enter_and_note(gate, order, n))
        thread.start()
        queued(gate, number + 1)
        threads.append(thread)
    gate.__exit__(None, None, None)
    for thread in threads:
        thread.join(timeout=10)

    assert order == [0, 1, 2, 3, 4]
    assert gate.waiting == 0
    with gate:  # free again
        pass


def _enter_and_note(gate: FairGate, order: list[int], number: int) -> None:
    with gate:
        order.append(number)


def test_an_error_inside_lets_the_gate_go() -> None:
    gate = FairGate()
    try:
        with gate:
            raise ValueError("a refused command")
    except ValueError:
        pass

    acquired = threading.Event()

    def enter() -> None:
        gate.__enter__()
        acquired.set()

    thread = threading.Thread(target=enter)
    thread.start()
    thread.join(timeout=10)
    assert acquired.is_set()
