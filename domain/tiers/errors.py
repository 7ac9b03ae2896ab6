"""Refusals of the tiers: bad input that names its field and says why in both languages."""

from __future__ import annotations

from domain.errors import InvalidInputError, TransitionRefusedError


class TierInputError(InvalidInputError):
    """Raised when a level, region, city or star rating does not fit; carries its Chinese."""

    def __init__(self, field: str, message: str, reason_zh: str) -> None:
        super().__init__(field, message)
        self.reason_zh = reason_zh


class TierRefusedError(TransitionRefusedError):
    """Raised when a listing's level or standing does not allow what is asked (409)."""

    def __init__(self, message: str, reason_zh: str) -> None:
        super().__init__(message)
        self.reason_zh = reason_zh
