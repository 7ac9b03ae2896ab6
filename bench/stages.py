"""The stages added by issue 20: one command at a time (in-process and over HTTP), the seal and
its verification. Each is a measurement of `bench.measure`, run in a child process of its own.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from bench.measure import Figures, latencies, progress
from domain.ledger import Ledger
from domain.values import Provenance

#: Commands of the single-client stage (a quick run makes fewer).
PROVINCE = "320000"


def _names(task: Figures) -> list[str]:
    kind = "p" if task["measurement"] != "command_http" else "w" if _worker(task) else "h"
    tag = f"{task.get('repeat', 0)}{kind}"
    return [f"江苏单客户{tag}第{n}号有限公司" for n in range(task["commands"])]


def _worker(task: Figures) -> bool:
    return bool(task.get("projector_worker", False))


def command_in_process(task: Figures) -> Figures:
    """One client, one command at a time, calling the ledger: a registration each."""
    ledger = Ledger.open(task["url"])
    provenance = Provenance(f"province:{PROVINCE}", date(2026, 11, 24))
    times: list[float] = []
    names = _names(task)
    for number, name in enumerate(names):
        began = time.perf_counter()
        ledger.register_enterprise(name=name, region=PROVINCE, provenance=provenance)
        times.append(time.perf_counter() - began)
        if number % 20 == 0:
            progress(number, len(names))
    ledger.close()
    return {**latencies(times), "commands": len(times)}


def command_http(task: Figures) -> Figures:
    """The same commands, one at a time, over HTTP to `greenledger serve`: the answer comes once
    the events are stored (ADR 0130). With `projector_worker`, the server runs no projector and
    `greenledger project --follow` does, in a process of its own."""
    import httpx

    from api.http.auth import Role, TokenStore
    from api.http.database import api_engine, create_api_tables
    from bench.serving import serving
    from domain.persistence.storage import parse_database_url

    engine = api_engine(parse_database_url(task["url"]), pool_size=1)
    create_api_tables(engine)
    token = TokenStore(engine).create(Role.PROVINCE, region=PROVINCE, name="bench").token
    engine.dispose()
    times: list[float] = []
    errors = 0
    names = _names(task)
    headers = {"Authorization": f"Bearer {token}"}
    with (
        serving(task["url"], projector_worker=_worker(task)) as server,
        httpx.Client(base_url=server.base_url) as client,
    ):
        for number, name in enumerate(names):
            body = {"name": name, "region": PROVINCE, "effective_on": "2026-11-24"}
            began = time.perf_counter()
            answer = client.post("/v1/enterprises", json=body, headers=headers)
            times.append(time.perf_counter() - began)
            errors += not answer.is_success
            if number % 20 == 0:
                progress(number, len(names))
    return {**latencies(times), "commands": len(times), "errors": errors}


def seal(task: Figures) -> Figures:
    """The seal of every stored event from nothing (leaves, nodes, tracking)."""
    from seal.sealing import Seal

    ledger = Ledger.open(task["url"])
    the_seal = Seal.open(ledger, task["url"])
    began = time.perf_counter()
    state = the_seal.catch_up()
    seconds = time.perf_counter() - began
    the_seal.engine.dispose()
    ledger.close()
    return {"events": state.tree_size, "seconds": seconds, "rate": state.tree_size / seconds}


def verify(task: Figures) -> Figures:
    """`greenledger verify`'s work: recompute every leaf and the root from the stored events and
    compare them with the stored seal's, against a head of the whole seal."""
    from seal.sealing import Seal
    from seal.signing import TreeHead, utc_timestamp
    from seal.verification import verify_ledger

    ledger = Ledger.open(task["url"])
    the_seal = Seal.open(ledger, task["url"])
    size, root = the_seal.root()
    head = TreeHead(tree_size=size, root_hash=root, timestamp=utc_timestamp())
    began = time.perf_counter()
    report: Any = verify_ledger(ledger, head, seal=the_seal)
    seconds = time.perf_counter() - began
    the_seal.engine.dispose()
    ledger.close()
    if not report.intact:
        raise SystemExit("the benchmark store did not verify")
    return {"events": size, "seconds": seconds, "rate": size / seconds}
