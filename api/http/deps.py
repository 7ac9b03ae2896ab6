"""What a route may ask for: `Annotated` aliases over the objects `create_app` wires in.

Authentication and the role a route needs are dependencies too (`MinistryDep`, `WriterDep` …):
a route states who may call it in its signature, and the OpenAPI document shows the bearer scheme
on every route that takes a principal. Region and own-assessor checks need the record the command
names, so routes call `ensure_region` / `ensure_own_assessor` once they know it.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import Depends, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from api.http.auth import ANONYMOUS, Principal, Role, TokenStore
from api.http.commands import Command
from api.http.errors import AuthenticationRequiredError, PermissionDeniedError
from api.http.middleware import POSITION, PRINCIPAL_KIND, TOKEN_ID
from api.http.readside import ReadSide, ReadSideUnavailableError
from api.settings import Settings
from domain.ledger import Ledger
from domain.values import Region
from seal.sealing import Seal


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


async def get_seal(request: Request) -> Seal:
    seal: Seal = request.app.state.seal
    return seal


async def get_signing_key(request: Request) -> Ed25519PrivateKey | None:
    """The key that signs tree heads, when `GREENLEDGER_SIGNING_KEY_PATH` names one."""
    key: Ed25519PrivateKey | None = request.app.state.signing_key
    return key


async def get_read_side(request: Request) -> ReadSide:
    """The read side as it is now (the pages, which wait for their own `min_position`)."""
    read_side: ReadSide | None = request.app.state.read_side
    if read_side is None:
        raise ReadSideUnavailableError(
            "this server keeps no read models (GREENLEDGER_DATABASE_URL is memory://)"
        )
    return read_side


MinPosition = Annotated[
    int | None,
    Query(
        ge=0,
        le=2**62,
        description="A ledger position (a command's `position`): the answer waits until the read "
        "models reflect it (up to `GREENLEDGER_READ_WAIT_SECONDS`), else 503 with `Retry-After`.",
    ),
]


async def get_read_side_at(request: Request, min_position: MinPosition = None) -> ReadSide:
    """The read side once it reflects `min_position` (ADR 0130): waits in the thread pool,
    bounded, when it does not yet."""
    read_side = await get_read_side(request)
    if min_position is not None and read_side.reached < min_position:
        await run_in_threadpool(read_side.ensure, min_position)
    return read_side


async def get_write_gate(request: Request) -> AbstractContextManager[object]:
    """On SQLite, the process's command gate: writes to the file queue here (ADR 0053)."""
    gate: AbstractContextManager[object] = request.app.state.write_gate
    return gate


SettingsDep = Annotated[Settings, Depends(get_settings)]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]
SealDep = Annotated[Seal, Depends(get_seal)]
ReadSideDep = Annotated[ReadSide, Depends(get_read_side_at)]
#: The pages' read side: a page parses and waits for its own `min_position` (api.web.positions).
PageReadSideDep = Annotated[ReadSide, Depends(get_read_side)]
WriteGateDep = Annotated[AbstractContextManager[object], Depends(get_write_gate)]
SigningKeyDep = Annotated[Ed25519PrivateKey | None, Depends(get_signing_key)]

# -- who calls -------------------------------------------------------------------------------------

bearer = HTTPBearer(
    auto_error=False,
    description="A token from `greenledger token create`; without one, only the current "
    "published list (`GET /v1/list` without `known_at`) can be read.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


async def get_principal(request: Request, credentials: BearerDep) -> Principal:
    """The principal of the bearer token; anonymous without an Authorization header.

    The lookup is one indexed select: on SQLite (a local file) it runs right here, cheaper than
    a hop to the thread pool; on PostgreSQL (a network round trip) in the thread pool.
    """
    if credentials is None:
        if "authorization" in request.headers:
            raise AuthenticationRequiredError("the Authorization header must be `Bearer <token>`")
        principal = ANONYMOUS
    else:
        tokens: TokenStore = request.app.state.tokens
        if tokens.local:
            found = tokens.authenticate(credentials.credentials)
        else:
            found = await run_in_threadpool(tokens.authenticate, credentials.credentials)
        if found is None:
            raise AuthenticationRequiredError("the bearer token is not valid or was revoked")
        principal = found
    setattr(request.state, PRINCIPAL_KIND, principal.kind)
    if principal.token_id is not None:
        setattr(request.state, TOKEN_ID, str(principal.token_id))
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require(*roles: Role) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    """A dependency that lets through the given roles only (401 anonymous, 403 other roles)."""
    allowed = frozenset(roles)
    names = ", ".join(role.value for role in roles)

    async def principal_in_role(principal: PrincipalDep) -> Principal:
        if principal.role is None:
            raise AuthenticationRequiredError(
                "this request needs a bearer token (Authorization: Bearer <token>)"
            )
        if principal.role not in allowed:
            raise PermissionDeniedError(f"a {principal.kind} token may not do this (only: {names})")
        return principal

    return principal_in_role


MinistryDep = Annotated[Principal, Depends(require(Role.MINISTRY))]
ProvinceDep = Annotated[Principal, Depends(require(Role.PROVINCE))]
WriterDep = Annotated[Principal, Depends(require(Role.MINISTRY, Role.PROVINCE))]
AssessorDep = Annotated[Principal, Depends(require(Role.ASSESSOR))]
AuditorDep = Annotated[Principal, Depends(require(Role.AUDITOR))]
ReaderDep = Annotated[Principal, Depends(require(Role.MINISTRY, Role.PROVINCE, Role.AUDITOR))]
AnyRoleDep = Annotated[
    Principal, Depends(require(Role.MINISTRY, Role.PROVINCE, Role.AUDITOR, Role.ASSESSOR))
]


def ensure_region(principal: Principal, region: Region | str, what: str) -> None:
    """A province writes only for its own region (api.md); the ministry for every region."""
    if principal.role is not Role.PROVINCE:
        return
    code = region.code if isinstance(region, Region) else region
    if principal.region is None or principal.region.code != code:
        mine = principal.region.code if principal.region else "none"
        raise PermissionDeniedError(
            f"province {mine} may not write for region {code} ({what} belongs to {code})"
        )


def ensure_own_assessor(principal: Principal, assessor_id: UUID) -> None:
    """An assessor reports only its own evaluations."""
    if principal.role is Role.ASSESSOR and principal.assessor_id != assessor_id:
        raise PermissionDeniedError(
            f"assessor {principal.assessor_id} may not act for assessor {assessor_id}"
        )


# -- commands ------------------------------------------------------------------------------------


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        pattern=r"^[!-~]+$",
        description="Any unique string (e.g. a UUID): a retry with the same key and body returns "
        "the first answer and writes nothing; the same key with another body is refused (422).",
    ),
]


async def get_command(
    request: Request, principal: PrincipalDep, idempotency_key: IdempotencyKey = None
) -> Command:
    state = request.app.state
    return Command(
        request=request,
        principal=principal,
        ledger=state.ledger,
        keys=state.idempotency_keys,
        stored=state.read_side.stored if state.read_side is not None else None,
        idempotency_key=idempotency_key,
        gate=state.gate,
    )


CommandDep = Annotated[Command, Depends(get_command)]


# -- queries ---------------------------------------------------------------------------------------


class Positioned(Protocol):
    @property
    def position(self) -> int: ...


T = TypeVar("T", bound=Positioned)


@dataclass
class Reading:
    """One query request: the read side it reads, and the answer's position for the access log."""

    request: Request
    read_side: ReadSide

    def answer(self, answer: T) -> T:
        setattr(self.request.state, POSITION, answer.position)
        return answer


async def get_reading(request: Request, read_side: ReadSideDep) -> Reading:
    return Reading(request, read_side)


ReadingDep = Annotated[Reading, Depends(get_reading)]


# -- query parameters ------------------------------------------------------------------------------

E = TypeVar("E", bound=Callable[..., Any])


def reads_query(*names: str) -> Callable[[E], E]:
    """Declare the query parameters an endpoint reads from the raw query string (the pages read
    their forms field by field) besides those in its signature."""

    def declared(endpoint: E) -> E:
        endpoint.query_names = frozenset(names)  # type: ignore[attr-defined]
        return endpoint

    return declared


class UnknownQueryParametersError(RequestValidationError):
    """Raised when a request names query parameters its route does not take."""

    def __init__(self, unknown: list[str], accepted: list[str]) -> None:
        takes = ", ".join(accepted) or "none"
        super().__init__(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": f"Unknown query parameter; this route takes: {takes}",
                    "input": name,
                }
                for name in unknown
            ]
        )
        self.unknown = unknown
        self.accepted = accepted


def _query_names(dependant: Dependant) -> set[str]:
    """Every query parameter a route's handler and its dependencies declare (a pydantic model
    given as `Query()` stands for its fields)."""
    names: set[str] = set()
    for param in dependant.query_params:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.update(field.alias or name for name, field in model.model_fields.items())
        else:
            names.add(param.alias)
    for sub in dependant.dependencies:
        names.update(_query_names(sub))
    return names


def _always_waits(route: APIRoute) -> set[str]:
    """Every read of the API takes `min_position` (ADR 0130); one that reads the ledger's events
    rather than the read models is always at or past it, so there is nothing to wait for."""
    reads = "GET" in (route.methods or set()) and route.path.startswith("/v1/")
    return {"min_position"} if reads else set()


def accepted_query(route: APIRoute) -> frozenset[str]:
    """The query parameters `route` takes: declared, read raw (`reads_query`), and those every
    route of its kind takes (a page's `lang`)."""
    found = getattr(route, "_accepted_query", None)
    if found is None:
        found = frozenset(
            _query_names(route.dependant)
            | set(getattr(route.endpoint, "query_names", ()))
            | set(getattr(route, "common_query", ()))
            | _always_waits(route)
        )
        route._accepted_query = found  # type: ignore[attr-defined]
    return found


async def refuse_unknown_query(request: Request) -> None:
    """Unknown query parameters are refused (422 naming each), never ignored (api.md, v1
    additions): a misspelt filter must not answer the whole list."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    accepted = accepted_query(route)
    unknown = sorted({name for name in request.query_params if name not in accepted})
    if unknown:
        raise UnknownQueryParametersError(unknown, sorted(accepted))


RefuseUnknownQuery = Depends(refuse_unknown_query)
