"""What a route may ask for: `Annotated` aliases over the objects `create_app` wires in."""

from __future__ import annotations

from typing import Annotated

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Request

from api.settings import Settings
from domain.ledger import Ledger
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


SettingsDep = Annotated[Settings, Depends(get_settings)]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]
SealDep = Annotated[Seal, Depends(get_seal)]
SigningKeyDep = Annotated[Ed25519PrivateKey | None, Depends(get_signing_key)]
