"""How many aggregates a ledger process keeps in memory: a setting, bounded (ADR 0156)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import LRUCache
from pydantic import ValidationError

from api.settings import Settings, open_ledger
from domain.enterprise import Enterprise
from domain.ledger import DEFAULT_CACHE_SIZE, Ledger
from domain.values import Region
from tests.builders import JIANGSU, by_province, register


def _kept(ledger: Ledger, ids: list[UUID]) -> list[UUID]:
    cache = ledger.repository.cache
    assert isinstance(cache, LRUCache)
    kept = []
    for aggregate_id in ids:
        try:
            cache.get(aggregate_id)
        except KeyError:
            continue
        kept.append(aggregate_id)
    return kept


def test_the_process_keeps_as_many_aggregates_as_configured(sqlite_url: str) -> None:
    settings = Settings(database_url=sqlite_url, aggregate_cache_size=2)
    with open_ledger(settings) as ledger:
        ids = [register(ledger, f"江苏示例缓存{number}有限公司") for number in range(3)]

        assert _kept(ledger, ids) == ids[1:]
        # the evicted one is read again from the store, and kept again
        assert ledger.get_enterprise(ids[0]).id == ids[0]
        assert _kept(ledger, ids) == [ids[0], ids[2]]


def test_by_default_a_national_ledger_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GREENLEDGER_AGGREGATE_CACHE_SIZE", raising=False)
    assert Settings().aggregate_cache_size == DEFAULT_CACHE_SIZE >= 100_000
    with Ledger.open("memory://") as ledger:
        ids = [register(ledger, f"江苏示例默认{number}有限公司") for number in range(3)]
        assert _kept(ledger, ids) == ids


def test_the_size_is_read_from_the_environment_and_never_unbounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GREENLEDGER_AGGREGATE_CACHE_SIZE", "5000")
    assert Settings().aggregate_cache_size == 5000
    # the library would take 0 for a cache that never lets go
    monkeypatch.setenv("GREENLEDGER_AGGREGATE_CACHE_SIZE", "0")
    with pytest.raises(ValidationError, match="aggregate_cache_size"):
        Settings()
    with pytest.raises(ValueError, match="cache_size"):
        Ledger.open("memory://", cache_size=0)


def test_the_cache_holds_what_was_stored_not_what_its_writer_did_next(sqlite_url: str) -> None:
    """An import goes on with the objects it saved, chunk after chunk: what it changes after a
    save is not stored until its next save (which may fail), and no reader is handed it."""
    with Ledger.open(sqlite_url) as ledger:
        enterprise = Enterprise.register(
            enterprise_id=uuid4(),
            name="江苏示例缓存写者有限公司",
            region=Region.of(JIANGSU),
            uscc=None,
            industry=None,
            synthetic=True,
            provenance=by_province(date(2022, 9, 20)),
        )
        ledger.save(enterprise)
        enterprise.rename(
            name="江苏示例未保存之名有限公司", provenance=by_province(date(2023, 1, 5))
        )

        assert ledger.get_enterprise(enterprise.id).name == "江苏示例缓存写者有限公司"
