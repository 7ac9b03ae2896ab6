"""Issuing a certificate of a unit's standing (ADR 0031): the read side says which events it rests
on, the seal proves each one in a signed tree head, `seal.certificates` derives the statement.

Only published standings are certified — on the list, or removed — never a nomination or a
nomination not listed (api.md: anonymous callers see published facts only).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.http.errors import ApiError
from domain.enterprise import Enterprise
from domain.listing import Listing
from domain.national.green_codes import GreenCodeRound
from domain.values import Category, Level, ListingStatus, Product
from readside.engine.database import Views
from readside.feed.queries import FEED_EVENTS, list_event_positions
from readside.listings.queries import get_listing
from seal.certificates import Certificate, CertifiedEvent, Subject, certify
from seal.heads import KeptHeads
from seal.sealing import Seal

#: What a certificate rests on: the enterprise's registration (its name) and every event of the
#: feed (the unit's list-changing events and the enterprise's renames).
#: A star rating is a province's, a green code (or its withholding) a grade of the unit, neither a
#: standing on the list: no certificate rests on them.
CERTIFIED_EVENTS: tuple[type, ...] = (
    Enterprise.Registered,
    *(
        event
        for event in FEED_EVENTS
        if event
        not in (
            Listing.StarsRated,
            GreenCodeRound.GreenCodeAssigned,
            GreenCodeRound.GreenCodeWithheld,
        )
    ),
)


class SigningKeyMissingError(ApiError):
    """Raised when a certificate is asked of a server that holds no signing key."""

    status = 503
    slug = "signing-key-missing"
    title = "无签名密钥 No signing key"


class NoPublishedStandingError(ApiError):
    """Raised when a unit had no published standing on the date (not listed, not removed)."""

    status = 404
    slug = "no-published-standing"
    title = "该日期无公布的名单状态 No published standing on that date"


class CertificateDisagreesError(ApiError):
    """Raised when the events prove another standing than the read models show."""

    status = 409
    slug = "certificate-disagrees"
    title = "事件与读模型不一致 The events and the read models disagree"


def issue_certificate(
    *,
    views: Views,
    seal: Seal,
    heads: KeptHeads,
    signing_key: Ed25519PrivateKey | None,
    gate: AbstractContextManager[object],
    listing_id: UUID,
    on: date,
) -> Certificate:
    """The certificate of the listing's standing on `on`, under a head that covers its events."""
    if signing_key is None:
        raise SigningKeyMissingError(
            "本服务器未配置签名密钥（GREENLEDGER_SIGNING_KEY_PATH），无法签发证书 "
            "this server holds no signing key, so it cannot issue certificates"
        )
    state = get_listing(views, listing_id, as_of=on)
    status = ListingStatus(state.status)
    if not status.is_on_list and status is not ListingStatus.REMOVED:
        raise NoPublishedStandingError(
            f"{on} 该单位既不在名单上也未被移出 "
            f"on {on} the unit was neither on the list nor removed"
        )
    product = Product(state.product_name, state.product_model) if state.product_name else None
    subject = Subject(
        listing_id, state.enterprise_id, Category(state.category), Level(state.level), product
    )
    positions = list_event_positions(views, (listing_id, state.enterprise_id), CERTIFIED_EVENTS)
    seal.catch_up(gate=gate)  # page by page, each taking the gate (ADR 0154)
    with gate:  # the seal and the heads write to the ledger's database
        seal.catch_up()  # what was stored meanwhile
        kept = heads.sign(signing_key)
    if kept is None:
        raise CertificateDisagreesError("nothing is sealed yet")
    size = kept.head.tree_size
    events = []
    for position in positions:
        proof = seal.inclusion_proof(position, size)
        if proof.leaf is None:
            raise CertificateDisagreesError(f"the event at position {position} is not stored")
        events.append(CertifiedEvent(proof.leaf_index, size, proof.leaf, proof.audit_path))
    certificate = certify(subject, on, events, kept.head)
    if certificate.statement["on_the_list"] != status.is_on_list:
        raise CertificateDisagreesError(
            f"the read models show {status.value} on {on}, the events prove "
            f"{certificate.statement['status']}"
        )
    return certificate
