"""The ledger's commands on a province's own lists (13号 第二条): stars, and the renames a
publication announces (ADR 0141, 0142). A mixin of `Ledger`, kept here so that the three lists
stay in one place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.batch import Batch
from domain.enterprise import Enterprise, EnterpriseKey, name_key
from domain.errors import EnterpriseIdentityConflictError, InvalidInputError
from domain.tiers.errors import TierRefusedError
from domain.tiers.stars import check_stars
from domain.values import Level, Provenance, Reference, clean_name

if TYPE_CHECKING:
    from domain.ledger import Receipt
    from domain.listing import Listing


@dataclass(frozen=True)
class RenameRequest:
    """One rename a publication announces (更名名单): the listing and its enterprise's new name."""

    listing_id: UUID
    name: str


class TierCommands:
    """Stars and renames; the rest of the ledger is `domain.ledger.Ledger`."""

    if TYPE_CHECKING:

        def get_listing(self, listing_id: UUID) -> Listing: ...
        def get_enterprise(self, enterprise_id: UUID) -> Enterprise: ...
        def _resolve(self, provenance: Provenance) -> Provenance: ...
        def _save(self, *aggregates: Aggregate) -> int | None: ...
        def _find_enterprise(self, keys: Iterable[str]) -> Enterprise | None: ...

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

    @staticmethod
    def _check_same_list(batch: Batch, listing: Listing, i: int) -> None:
        same_region = batch.level is Level.NATIONAL or batch.region_code in (
            None,
            listing.region.code,
        )
        if listing.level is not batch.level or not same_region:
            raise TierRefusedError(
                f"renamed[{i}]: listing {listing.id} is on the {listing.level.value} list of "
                f"{listing.region.code}, not on this round's",
                f"第{i + 1}条更名：该单位不在本批次所属名单上",
            )
