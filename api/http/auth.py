"""Who calls: bearer tokens, the principals they stand for, and what each principal may do.

api.md, Authentication: a token maps to a principal — the ministry (工信部), a province (省级工信
主管部门) with its region, an auditor, or a third-party assessor (第三方评价机构) with its id. The
principal is the `actor` of every event its commands write (`ministry`, `province:320000`,
`auditor`, `assessor:<id>`). A caller without a token is anonymous and may read the current
published list only.

Tokens are 256-bit random strings; the database keeps only their SHA-256 (ADR 0050), so a copy of
the database does not let anyone call the API. A revoked token is marked, never deleted.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import Engine, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from api.http.database import api_tokens, now, utc
from domain.errors import InvalidInputError
from domain.values import ListingStatus, Region
from readside.engine.reading import PUBLIC_STATUSES

#: Every token starts with this, so a leaked one is recognisable (secret scanners, logs).
TOKEN_PREFIX = "glt_"


class Role(enum.StrEnum):
    MINISTRY = "ministry"
    PROVINCE = "province"
    AUDITOR = "auditor"
    ASSESSOR = "assessor"

    @property
    def label_zh(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.MINISTRY: "工信部",
    Role.PROVINCE: "省级工信主管部门",
    Role.AUDITOR: "审计",
    Role.ASSESSOR: "第三方评价机构",
}


@dataclass(frozen=True)
class Principal:
    """The caller a request runs for; `role` None is the anonymous public."""

    role: Role | None
    region: Region | None = None
    assessor_id: UUID | None = None
    token_id: UUID | None = None

    @property
    def kind(self) -> str:
        """`ministry`, `province`, `auditor`, `assessor` or `anonymous` (for the access log)."""
        return self.role.value if self.role is not None else "anonymous"

    @property
    def actor(self) -> str:
        """The events' `actor` for this principal."""
        if self.role is Role.PROVINCE and self.region is not None:
            return f"province:{self.region.code}"
        if self.role is Role.ASSESSOR and self.assessor_id is not None:
            return f"assessor:{self.assessor_id}"
        return self.kind

    @property
    def key_scope(self) -> str:
        """Whose Idempotency-Keys these are: the token's own (two tokens of one actor never
        share a key, ADR 0051), or the actor's when no token stands behind the principal."""
        if self.token_id is not None:
            return f"token:{self.token_id}"
        return self.actor


ANONYMOUS = Principal(role=None)


def unpublished(principal: Principal, statuses: Iterable[ListingStatus]) -> list[str]:
    """The statuses asked that `principal` may not see (none for a signed-in reader)."""
    if principal.role is not None:
        return []
    return sorted({status.value for status in statuses if status not in PUBLIC_STATUSES})


@dataclass(frozen=True)
class TokenRecord:
    """What the database holds about one token (never the token itself)."""

    id: UUID
    role: Role
    region: str | None
    assessor_id: UUID | None
    name: str | None
    created_at: datetime
    revoked_at: datetime | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def principal(self) -> Principal:
        return Principal(
            role=self.role,
            region=Region.of(self.region) if self.region else None,
            assessor_id=self.assessor_id,
            token_id=self.id,
        )


@dataclass(frozen=True)
class IssuedToken:
    """A token as it is handed out, once: the secret and its record."""

    token: str
    record: TokenRecord


class TokenRefusedError(ValueError):
    """Raised when a token cannot be created as asked (a role without its region or assessor)."""


class TokenNotFoundError(LookupError):
    """Raised when a revocation names neither a known token nor a known token id."""


def hash_token(token: str) -> str:
    """The stored form of a token: hex SHA-256 (enough for 256-bit random secrets, ADR 0050)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    """Create, revoke, list and check bearer tokens in the `api_tokens` table."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: Whether the table is in a local file (SQLite), where a lookup takes microseconds.
        self.local = engine.dialect.name == "sqlite"

    def create(
        self,
        role: Role,
        *,
        region: str | None = None,
        assessor_id: UUID | None = None,
        name: str | None = None,
    ) -> IssuedToken:
        """A new token for a principal; a province needs its region, an assessor its id."""
        region_code = _check_principal(role, region, assessor_id)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        record = TokenRecord(
            id=uuid4(),
            role=role,
            region=region_code,
            assessor_id=assessor_id,
            name=(name or "").strip() or None,
            created_at=now(),
            revoked_at=None,
        )
        with self.engine.connect() as connection:
            connection.execute(
                insert(api_tokens).values(
                    id=record.id,
                    token_hash=hash_token(token),
                    role=record.role.value,
                    region=record.region,
                    assessor_id=record.assessor_id,
                    name=record.name,
                    created_at=record.created_at,
                )
            )
        return IssuedToken(token, record)

    def revoke(self, token_or_id: str) -> TokenRecord:
        """Revoke the token given as itself or by its id; revoking twice keeps the first time."""
        condition = api_tokens.c.token_hash == hash_token(token_or_id.strip())
        token_id = _as_uuid(token_or_id)
        if token_id is not None:
            condition = or_(condition, api_tokens.c.id == token_id)
        with self.engine.connect() as connection:
            connection.execute(
                update(api_tokens)
                .where(condition, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=now())
            )
            row = connection.execute(select(api_tokens).where(condition)).mappings().first()
        if row is None:
            raise TokenNotFoundError(token_or_id)
        return _record(row)

    def list(self) -> Sequence[TokenRecord]:
        """Every token ever created, oldest first, revoked ones included."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(api_tokens).order_by(api_tokens.c.created_at, api_tokens.c.id)
            ).mappings()
            return [_record(row) for row in rows]

    def authenticate(self, token: str) -> Principal | None:
        """The principal of a valid, unrevoked token; None for anything else."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(api_tokens).where(api_tokens.c.token_hash == hash_token(token))
                )
                .mappings()
                .first()
            )
        if row is None or row["revoked_at"] is not None:
            return None
        return _record(row).principal


def _check_principal(role: Role, region: str | None, assessor_id: UUID | None) -> str | None:
    if role is Role.PROVINCE:
        if not region:
            raise TokenRefusedError("a province token needs --region (a six-digit region code)")
        try:
            return Region.of(region.strip()).code
        except InvalidInputError as error:
            raise TokenRefusedError(f"--region {error.reason}") from error
    if region:
        raise TokenRefusedError(f"--region applies to province tokens only, not {role.value}")
    if role is Role.ASSESSOR and assessor_id is None:
        raise TokenRefusedError("an assessor token needs --assessor (the assessor's id)")
    if role is not Role.ASSESSOR and assessor_id is not None:
        raise TokenRefusedError(f"--assessor applies to assessor tokens only, not {role.value}")
    return None


def _as_uuid(text: str) -> UUID | None:
    try:
        return UUID(text.strip())
    except ValueError:
        return None


def _record(row: RowMapping) -> TokenRecord:
    created_at = utc(row["created_at"])
    assert created_at is not None  # the column is NOT NULL
    return TokenRecord(
        id=row["id"],
        role=Role(row["role"]),
        region=row["region"],
        assessor_id=row["assessor_id"],
        name=row["name"],
        created_at=created_at,
        revoked_at=utc(row["revoked_at"]),
    )
