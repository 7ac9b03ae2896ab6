"""What a route may ask for: `Annotated` aliases over the objects `create_app` wires in."""

from __future__ import annotations

from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request

from api.settings import Settings
from domain.ledger import Ledger
from projections.database import Views
from projections.projector import Projector
from projections.seal import Seal


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def get_seal(request: Request) -> Seal:
    seal: Seal = request.app.state.seal
    return seal


def get_signing_key(request: Request) -> Ed25519PrivateKey | None:
    """The key that signs tree heads, when `GREENLEDGER_SIGNING_KEY_PATH` names one."""
    key: Ed25519PrivateKey | None = request.app.state.signing_key
    return key


def get_views(request: Request) -> Views | None:
    """The read models, or None on the in-memory store (the read side needs SQL)."""
    views: Views | None = request.app.state.views
    return views


def get_projector(request: Request) -> Projector | None:
    projector: Projector | None = request.app.state.projector
    return projector


def caught_up(projector: Projector | None) -> int | None:
    """Apply the events not yet in the read models (call after a command, so that the client
    reads its own write); the position they reflect, None without read models."""
    return projector.catch_up() if projector is not None else None


SettingsDep = Annotated[Settings, Depends(get_settings)]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]
SealDep = Annotated[Seal, Depends(get_seal)]
SigningKeyDep = Annotated[Ed25519PrivateKey | None, Depends(get_signing_key)]
ViewsDep = Annotated[Views | None, Depends(get_views)]
ProjectorDep = Annotated[Projector | None, Depends(get_projector)]
