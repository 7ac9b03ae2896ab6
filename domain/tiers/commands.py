"""The ledger's commands on a province's own lists (13号 第二条): stars, and the renames a
publication announces (ADR 0141, 0142). A mixin of `Ledger`, kept here so that the three lists
stay in one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.utils import get_topic

from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey, name_key
from domain.errors import EnterpriseIdentityConflictError, InvalidInputError, LedgerError
from domain.listing import Listing, listing_id_for
from domain.rules import rulebook_for
from domain.tiers.errors import TierRefusedError
from domain.tiers.importing import ListRow, ProvincialImportReport, ProvincialList, RowRefusal
from domain.tiers.stars import check_stars
from domain.values import Level, ListingStatus, Provenance, Reference, Region, Uscc, clean_name

if TYPE_CHECKING:
    from domain.ledger import Receipt

A = TypeVar("A", bound=Aggregate)

#: What every imported fact of a province's list says (as the national import, ADR 0040).
IMPORTED_NOTE = (
    "依据省级公告导入，未按规则重新认定 "
    "(imported from the province's announcement, not re-decided under the rules)"
)


def check_on_rounds_list(batch: Batch, listing: Listing, where: str) -> None:
    """A publication lists, rejects, removes and renames units of its own list only: the same
    level, and for a province's round the same region (and city) — never the national list
    from a province's round, nor another region's (ADR 0141)."""
    same_place = batch.level is Level.NATIONAL or (
        batch.region_code in (None, listing.region.code)
        and (batch.city is None or batch.city == listing.city)
    )
    if listing.level is not batch.level or not same_place:
        raise TierRefusedError(
            f"{where}: listing {listing.id} is on the {listing.level.value} list of "
            f"{listing.region.code}, not on this round's ({batch.level.value})",
            f"{where}：该单位在{listing.region.name_zh}{listing.level.label_zh}名单上，"
            f"不在本批次所属名单上",
        )


@dataclass(frozen=True)
class RenameRequest:
    """One rename a publication announces (更名名单): the listing and its enterprise's new name."""

    listing_id: UUID
    name: str


class TierCommands:
    """Stars and renames; the rest of the ledger is `domain.ledger.Ledger`."""

    if TYPE_CHECKING:
        recorder: ApplicationRecorder

        def open_batch(
            self,
            *,
            level: str | Level,
            batch_year: int,
            rulebook: str | None = None,
            region: str | Region | None = None,
            city: str | None = None,
            provenance: Provenance,
        ) -> Receipt: ...
        def register_enterprise(
            self,
            *,
            name: str,
            region: str | Region,
            uscc: str | Uscc | None = None,
            industry: str | None = None,
            synthetic: bool = False,
            provenance: Provenance,
        ) -> Receipt: ...
        def get_batch(
            self,
            level: Level,
            batch_year: int,
            region: str | None = None,
            city: str | None = None,
        ) -> Batch: ...
        def _maybe_get(self, kind: type[A], aggregate_id: UUID) -> A | None: ...
        def get_listing(self, listing_id: UUID) -> Listing: ...
        def get_enterprise(self, enterprise_id: UUID) -> Enterprise: ...
        def _resolve(self, provenance: Provenance) -> Provenance: ...
        def _save(self, *aggregates: Aggregate) -> int | None: ...
        def _find_enterprise(self, keys: Iterable[str]) -> Enterprise | None: ...

    def _own_rounds(self, last_year: int) -> list[Batch]:
        """Every province's own round (provincial, municipal) up to `last_year`, found from the
        log's Batch.Opened events: walking every region's and prefecture's deterministic ids
        would be 372 lookups a round (9 s on PostgreSQL for an empty ledger)."""
        topic = get_topic(Batch.Opened)
        found: list[Batch] = []
        start = 0
        while page := self.recorder.select_notifications(
            start=start, limit=1000, topics=(topic,), inclusive_of_start=False
        ):
            for notification in page:
                batch = self._maybe_get(Batch, UUID(str(notification.originator_id)))
                if (
                    batch is not None
                    and batch.region_code is not None
                    and batch.level is not Level.NATIONAL
                    and batch.batch_year <= last_year
                ):
                    found.append(batch)
            start = page[-1].id
        return found

    def rate_stars(
        self,
        listing_id: UUID,
        *,
        stars: int,
        announcement: Reference,
        provenance: Provenance,
    ) -> Receipt:
        """Listing.StarsRated: 3, 4 or 5 stars for a unit on a provincial or municipal list, by
        the province's announcement; an upgrade or a downgrade is a later rating."""
        from domain.ledger import Receipt

        check_stars(stars)
        p = self._resolve(provenance)
        listing = self.get_listing(listing_id)
        listing.rate_stars(stars=stars, announcement=announcement, provenance=p)
        return Receipt(listing.id, self._save(listing), (listing.id,))

    def _renamed_in_publication(
        self, batch: Batch, renamed: Sequence[RenameRequest], p: Provenance
    ) -> list[Aggregate]:
        """The enterprises renamed by a publication (更名名单), with the keys their new names
        claim: each listing must be on the round's own list (same level and region)."""
        touched: list[Aggregate] = []
        seen: set[UUID] = set()
        for i, request in enumerate(renamed):
            name = clean_name(request.name, f"renamed[{i}].name")
            listing = self.get_listing(request.listing_id)
            self._check_same_list(batch, listing, i)
            if listing.enterprise_id in seen:
                raise InvalidInputError(
                    f"renamed[{i}].listing_id", "renames the same enterprise twice"
                )
            seen.add(listing.enterprise_id)
            enterprise = self.get_enterprise(listing.enterprise_id)
            key = name_key(enterprise.region, name)
            holder = self._find_enterprise([key])
            if holder is not None and holder.id != enterprise.id:
                raise EnterpriseIdentityConflictError(
                    f"the name {name!r} already belongs to enterprise {holder.id} in region "
                    f"{enterprise.region.code}"
                )
            if enterprise.rename(name=name, provenance=p):
                touched.append(enterprise)
                if holder is None:
                    touched.append(
                        EnterpriseKey.claim(key=key, enterprise_id=enterprise.id, provenance=p)
                    )
        return touched

    def import_provincial_list(
        self, announced: ProvincialList, *, actor: str, synthetic: bool = False
    ) -> ProvincialImportReport:
        """A province's own list as announced (ADR 0143): its units registered, nominated in its
        round and listed in one atomic publication on the announcement date, not re-decided
        under the rules; then rated with their stars. A second import writes nothing."""
        report = ProvincialImportReport(refused=list(announced.refused))
        day = announced.published_on
        p = Provenance(actor, day, (announced.announcement,), IMPORTED_NOTE)
        region, city, level = announced.region, announced.city, announced.level
        opened = self.open_batch(
            level=level, batch_year=announced.batch_year, region=region, city=city, provenance=p
        )
        report.position = opened.position
        batch = self.get_batch(level, announced.batch_year, region.code, city)
        book = rulebook_for(day)
        enterprises: dict[UUID, Enterprise] = {}
        to_list: dict[UUID, Listing] = {}
        rated: list[tuple[UUID, int]] = []
        for row in announced.rows:
            try:
                listing = self._announced_listing(
                    row, announced, batch, enterprises, book.version, p
                )
            except LedgerError as error:
                report.refused.append(RowRefusal(row.line, f"未导入：{error}", str(error)))
                continue
            if listing.is_on_list:
                report.already_listed += 1
            else:
                to_list[listing.id] = listing
            if row.stars is not None:
                rated.append((listing.id, row.stars))
        for listing in to_list.values():
            listing.put_on_list(
                batch_year=announced.batch_year,
                announcement=announced.announcement,
                rulebook=book.version,
                rule_findings=(),
                provenance=p,
            )
        if to_list:
            batch.publish(
                announcement=announced.announcement,
                listed=tuple(to_list),
                rejected=(),
                removed=(),
                provenance=p,
            )
            touched = [batch, *enterprises.values(), *to_list.values()]
            report.position = self._save(*touched) or report.position
            report.listed = len(to_list)
        for listing_id, stars in rated:
            if self.get_listing(listing_id).stars_on(day) != stars:
                receipt = self.rate_stars(
                    listing_id, stars=stars, announcement=announced.announcement, provenance=p
                )
                report.position = receipt.position or report.position
                report.stars_rated += 1
        return report

    def _announced_listing(
        self,
        row: ListRow,
        announced: ProvincialList,
        batch: Batch,
        enterprises: dict[UUID, Enterprise],
        rulebook: str,
        p: Provenance,
    ) -> Listing:
        """The row's listing: on the list already, or nominated now in the province's round."""
        registered = self.register_enterprise(
            name=row.name, region=announced.region, uscc=row.uscc, provenance=p
        )
        if registered.id is None:  # registration always names the enterprise
            raise InvalidInputError("name", f"{row.name!r} was not registered")
        enterprise = enterprises.get(registered.id) or self.get_enterprise(registered.id)
        listing_id = listing_id_for(enterprise.id, row.category, announced.level, None)
        listing = self._maybe_get(Listing, listing_id)
        if listing is not None and (
            listing.is_on_list
            or (
                listing.status is ListingStatus.NOMINATED and listing.batch_year == batch.batch_year
            )
        ):
            return listing
        listing = _put_forward(listing, listing_id, enterprise.id, row, announced, rulebook, p)
        enterprise.record_nomination(
            listing_id=listing_id,
            category=row.category,
            level=announced.level,
            batch_year=announced.batch_year,
            provenance=p,
        )
        batch.receive_nomination(
            listing_id=listing_id,
            region_code=announced.region.code,
            category=row.category,
            provenance=p,
        )
        enterprises[enterprise.id] = enterprise
        return listing

    @staticmethod
    def _check_same_list(batch: Batch, listing: Listing, i: int, group: str = "renamed") -> None:
        check_on_rounds_list(batch, listing, f"{group}[{i}]")


def _put_forward(
    listing: Listing | None,
    listing_id: UUID,
    enterprise_id: UUID,
    row: ListRow,
    announced: ProvincialList,
    rulebook: str,
    p: Provenance,
) -> Listing:
    """An announced unit not on the round's list: nominated, or renominated when it was removed or
    not listed before (refused unless so)."""
    if listing is None:
        return Listing.nominate(
            listing_id=listing_id,
            enterprise_id=enterprise_id,
            region=announced.region,
            category=row.category,
            level=announced.level,
            batch_year=announced.batch_year,
            product=None,
            park_level=None,
            self_evaluation=None,
            third_party_evaluation=None,
            indicators={},
            rulebook=rulebook,
            rule_findings=(),
            provenance=p,
            city=announced.city,
        )
    listing.renominate(
        batch_year=announced.batch_year,
        self_evaluation=None,
        third_party_evaluation=None,
        indicators={},
        rulebook=rulebook,
        rule_findings=(),
        provenance=p,
    )
    return listing
