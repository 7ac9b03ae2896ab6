"""Configuration: `Settings` from the environment (`GREENLEDGER_*`), and the ledger they open.

Every process — the HTTP API, the CLI, a projector worker — reads the same settings, so one
variable, `GREENLEDGER_DATABASE_URL`, decides where the events live (ADR 0001).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

import psycopg
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.errors import InvalidInputError
from domain.ledger import DEFAULT_CACHE_SIZE, Ledger
from domain.persistence.storage import DEFAULT_DATABASE_URL, Storage, parse_database_url
from readside.engine.following import AdvisoryLeadership, Leadership, SoleProjector

LogLevel = Literal["critical", "error", "warning", "info", "debug", "trace"]


class Settings(BaseSettings):
    """What a process of the ledger may be configured with: field `x` is `GREENLEDGER_X`."""

    model_config = SettingsConfigDict(env_prefix="GREENLEDGER_", frozen=True)

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        description=(
            "Where the events are stored: sqlite:///relative/path.db, sqlite:////absolute/path.db, "
            "postgresql://user:password@host:5432/dbname or memory:// (tests only)."
        ),
    )
    postgres_lock_timeout: int = Field(
        default=5,
        ge=0,
        description=(
            "Seconds a writer waits for the PostgreSQL event table lock before giving up "
            "(0 waits forever); for SQLite, the busy timeout (at least 1)."
        ),
    )
    postgres_pool_size: int = Field(
        default=5, ge=1, description="Connections each process keeps open to PostgreSQL."
    )
    postgres_connect_timeout: int = Field(
        default=10, ge=1, description="Seconds to wait for a PostgreSQL connection."
    )
    aggregate_cache_size: int = Field(
        default=DEFAULT_CACHE_SIZE,
        ge=1,
        description=(
            "Aggregates (listings, enterprises, batches) each process keeps in memory, about "
            "1.5 kB each: below the ledger's size, a yearly filing round replays every listing "
            "from the store (ADR 0156)."
        ),
    )
    idempotency_stale_seconds: float = Field(
        default=300.0,
        gt=0,
        description="Seconds after which an Idempotency-Key claim left unanswered (a process "
        "that died between the claim and the answer) is resolved: answered from the events it "
        "wrote, or released (ADR 0107).",
    )
    host: str = Field(default="127.0.0.1", description="Address `greenledger serve` binds.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `greenledger serve` binds.")
    max_body_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1, description="Largest request body the HTTP API accepts."
    )
    effective_horizon_days: int = Field(
        default=0,
        ge=0,
        le=3660,
        description="How many days after today (in China) a fact's effective_on or an "
        "incident's occurred_on may be: 0, a fact is recorded once it is true (ADR 0102).",
    )
    log_level: LogLevel = Field(default="info", description="Server log level.")
    signing_key_path: Path | None = Field(
        default=None,
        description="Ed25519 private key that signs tree heads (tamper evidence, design.md).",
    )
    publish_interval_seconds: float = Field(
        default=5.0,
        ge=0,
        description=(
            "Seconds between two rounds of the publisher (seal, scheduled tree heads, webhook "
            "deliveries) in `greenledger serve` and `greenledger project --follow`; 0 runs none."
        ),
    )
    head_interval_seconds: float = Field(
        default=3600.0,
        ge=0,
        description="The publisher signs and keeps a new tree head at most this often, when "
        "events were sealed since the last one (0: at every round).",
    )
    webhook_hosts: str = Field(
        default="",
        description="Host names webhooks may be sent to, comma-separated, besides loopback "
        "(127.0.0.0/8, ::1, localhost), which is always allowed.",
    )
    webhook_retry_seconds: float = Field(
        default=10.0, gt=0, description="The first retry of a failed webhook delivery waits this."
    )
    webhook_retry_max_seconds: float = Field(
        default=3600.0, gt=0, description="Retries double their wait up to this, then keep it."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Seconds a webhook receiver has to answer."
    )

    read_database_url: str | None = Field(
        default=None,
        description="A PostgreSQL streaming replica of GREENLEDGER_DATABASE_URL's database: the "
        "API's reads go there, and `min_position` waits on its position (ADR 0132).",
    )
    read_wait_seconds: float = Field(
        default=5.0,
        ge=0,
        description="Longest wait of a read for its `min_position` before it answers 503 with "
        "Retry-After.",
    )
    background_projector: bool = Field(
        default=True,
        description="`greenledger serve` runs the projector in the background (on PostgreSQL, "
        "in the one process holding the projector's lock); false leaves it to "
        "`greenledger project --follow`.",
    )
    projector_poll_seconds: float = Field(
        default=0.1,
        gt=0,
        le=3600,
        description="The background projector looks for events stored by other processes this "
        "often (it catches up at once after a command of its own process).",
    )
    projector_settle_seconds: float = Field(
        default=0.02,
        ge=0,
        le=1,
        description="After a command of its own process, the background projector waits this "
        "long for the rest of a burst of commands before it catches up (a read that waits for "
        "a position wakes it at once); 0 catches up after every command.",
    )
    workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Server processes `greenledger serve` starts (PostgreSQL only beyond 1).",
    )

    public_url: str | None = Field(
        default=None,
        description="The address the public reaches this ledger at (https://…, no path), for "
        "links that leave the server — the QR code of a printed certificate. Unset: the "
        "address of the request (a Host header an outsider chose ends up on the paper).",
    )

    @field_validator("public_url")
    @classmethod
    def _an_origin(cls, url: str | None) -> str | None:
        if url is None or url == "":
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("an http(s) address with a host, such as https://ledger.example.cn")
        if parts.path.strip("/") or parts.query or parts.fragment or parts.username:
            raise ValueError("the origin alone: no path, query, fragment or user")
        return f"{parts.scheme}://{parts.netloc}"

    @field_validator("database_url")
    @classmethod
    def _names_a_store(cls, url: str) -> str:
        try:
            parse_database_url(url)
        except InvalidInputError as error:
            raise ValueError(error.reason) from error
        return url

    @field_validator("read_database_url")
    @classmethod
    def _names_a_replica(cls, url: str | None) -> str | None:
        if url is None or url == "":
            return None
        try:
            storage = parse_database_url(url)
        except InvalidInputError as error:
            raise ValueError(error.reason) from error
        if storage.kind != "postgres":
            raise ValueError("a read replica is a PostgreSQL URL (postgresql://…)")
        return url

    @property
    def read_storage(self) -> Storage | None:
        """The parsed read replica URL, if one is set."""
        return parse_database_url(self.read_database_url) if self.read_database_url else None

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_case(cls, level: object) -> object:
        return level.lower() if isinstance(level, str) else level

    @property
    def webhook_host_names(self) -> frozenset[str]:
        """The configured webhook hosts, lower-case."""
        return frozenset(
            host.strip().lower() for host in self.webhook_hosts.split(",") if host.strip()
        )

    @property
    def storage(self) -> Storage:
        """The parsed database URL."""
        return parse_database_url(self.database_url)

    @property
    def database_kind(self) -> str:
        """`sqlite`, `postgres` or `memory`."""
        return self.storage.kind


#: The advisory lock under which a process creates the ledger's tables ("GreenLdg" in ASCII).
SCHEMA_LOCK = 0x477265656E4C6467


def open_ledger(settings: Settings) -> Ledger:
    """The ledger on the configured database (tables are created on first use).

    On PostgreSQL, processes starting together (API workers, projectors) take turns creating the
    tables under an advisory lock: the library's table creation is not safe to run concurrently.
    """

    def open_it() -> Ledger:
        return Ledger.open(
            settings.database_url,
            lock_timeout_seconds=settings.postgres_lock_timeout,
            pool_size=settings.postgres_pool_size,
            connect_timeout_seconds=settings.postgres_connect_timeout,
            horizon_days=settings.effective_horizon_days,
            cache_size=settings.aggregate_cache_size,
        )

    storage = settings.storage
    if storage.kind != "postgres":
        return open_it()
    with psycopg.connect(
        storage.libpq_url, autocommit=True, connect_timeout=settings.postgres_connect_timeout
    ) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            return open_it()
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def projector_leadership(settings: Settings) -> Leadership:
    """Who may project among the processes of this ledger: on PostgreSQL the holder of the
    projector's advisory lock (ADR 0131); on SQLite, the one server process."""
    storage = settings.storage
    if storage.kind != "postgres":
        return SoleProjector()
    return AdvisoryLeadership(storage.libpq_url, connect_timeout=settings.postgres_connect_timeout)


def without_password(url: str) -> str:
    """The URL as it may be shown to a person: any password replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    credentials, host = parts.netloc.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
