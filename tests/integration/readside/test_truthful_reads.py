"""What the read side says of where a fact comes from: a fictitious unit is marked `synthetic` in
the list and the listing, an alias is kept with the enterprise, and a decision the importer
recorded from an announcement says so in words."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from domain.loading.announcements import read_announcements
from domain.loading.importing import import_announcements, import_published_lists
from domain.loading.published_lists import read_published_lists
from readside.decisions.explanations import get_explanation
from readside.engine import tables
from readside.listings.queries import ListQuery, get_listing, list_listings
from readside.timeline.queries import list_listing_history
from tests.builders import by_ministry, by_province, open_batch
from tests.integration.readside.conftest import ReadSide
from tests.paths import REPOSITORY

DATA = REPOSITORY / "data"
IMPORTED = "依据公告导入，未按规则重新认定"


def fictitious_and_real_factories(read_side: ReadSide) -> tuple[str, str]:
    """Two listed factories of Jiangsu: one fictitious (registered synthetic), one not."""
    ledger = read_side.ledger
    open_batch(ledger)
    ids = []
    for name, synthetic in (("示例江苏青禾钢铁有限公司", True), ("江苏真名钢铁有限公司", False)):
        enterprise = ledger.register_enterprise(
            name=name,
            region="320000",
            synthetic=synthetic,
            provenance=by_province(date(2022, 9, 20)),
        )
        assert enterprise.id is not None
        listing = ledger.nominate_listing(
            enterprise_id=enterprise.id,
            category="green_factory",
            level="national",
            batch_year=2022,
            provenance=by_province(date(2022, 10, 1)),
        )
        assert listing.id is not None
        ids.append(listing.id)
    ledger.publish_batch(
        level="national",
        batch_year=2022,
        announcement=by_ministry(date(2023, 3, 23)).basis[0],
        listed=ids,
        provenance=by_ministry(date(2023, 3, 23)),
    )
    read_side.catch_up()
    return str(ids[0]), str(ids[1])


def test_the_list_and_the_listing_say_which_unit_is_fictitious(read_side: ReadSide) -> None:
    fictitious, real = fictitious_and_real_factories(read_side)

    page = list_listings(read_side.views, ListQuery.of(as_of=date(2023, 6, 30)))
    marked = {str(item.listing_id): item.synthetic for item in page.items}

    assert marked == {fictitious: True, real: False}
    states = {
        str(item.listing_id): get_listing(
            read_side.views, item.listing_id, as_of=date(2023, 6, 30)
        ).synthetic
        for item in page.items
    }
    assert states == marked


def test_an_enterprise_s_alias_is_kept_with_it(read_side: ReadSide) -> None:
    ledger = read_side.ledger
    park = ledger.register_enterprise(
        name="江苏省某某经济开发区", region="320000", provenance=by_province(date(2018, 2, 11))
    )
    assert park.id is not None
    ledger.record_alias(
        park.id, alias="某某经济技术开发区", provenance=by_province(date(2018, 10, 29))
    )

    read_side.catch_up()

    e = tables.enterprises
    with read_side.views.reading() as connection:
        aliases, synthetic = connection.execute(
            sa.select(e.c.aliases, e.c.synthetic).where(e.c.enterprise_id == park.id)
        ).one()
    assert (list(aliases), synthetic) == (["某某经济技术开发区"], False)


def test_an_imported_removal_says_in_words_it_was_recorded_as_announced(
    read_side: ReadSide,
) -> None:
    ledger = read_side.ledger
    import_published_lists(ledger, read_published_lists(DATA / "published-lists"))
    import_announcements(ledger, read_announcements(DATA / "announcements"))
    read_side.catch_up()
    taixing = ledger.find_enterprise(region="320000", name="江苏省泰兴经济开发区")
    assert taixing is not None
    (listing_id,) = taixing.listing_ids

    explanation = get_explanation(read_side.views, listing_id)
    history = list_listing_history(read_side.views, listing_id)

    assert explanation.deciding is not None
    assert explanation.deciding.actor_zh == "依据公告导入"
    assert explanation.findings_note_zh == IMPORTED
    assert IMPORTED in explanation.summary_zh
    assert "工信厅节函〔2018〕341号" in explanation.deciding.summary_zh
    assert [e.event for e in history.entries] == [
        "Listing.Nominated",
        "Listing.Listed",
        "Listing.Removed",
    ]
    assert all(IMPORTED in entry.summary_zh for entry in history.entries)
    assert all("not re-decided" in entry.summary_en for entry in history.entries)
