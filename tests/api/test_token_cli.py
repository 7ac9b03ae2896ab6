"""`greenledger token create / revoke / list`: the token printed once, only its hash kept, revoked
tokens refused by the API at once."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from typer.testing import CliRunner

from api.cli.main import app
from domain.ledger import Ledger
from domain.values import Provenance
from tests.api.live import Caller, live_api
from tests.api.world import credit_code

runner = CliRunner()


def greenledger(database_url: str, *arguments: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(arguments), env={"GREENLEDGER_DATABASE_URL": database_url})
    return result.exit_code, result.stdout, result.stderr


def created_token(database_url: str, *arguments: str) -> str:
    code, out, err = greenledger(database_url, "token", "create", *arguments)
    assert code == 0, err
    return out.strip().splitlines()[-1]


def test_a_new_token_is_printed_alone_on_the_last_line_and_only_its_hash_is_stored(
    sqlite_url: str,
) -> None:
    token = created_token(sqlite_url, "--role", "province", "--region", "320000", "--name", "江苏")

    engine = sa.create_engine(sqlite_url)
    with engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT * FROM api_tokens")).mappings().one()
    engine.dispose()
    assert token.startswith("glt_")
    assert len(token) > 40
    assert stored["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in stored.values()}
    assert (stored["role"], stored["region"], stored["name"]) == ("province", "320000", "江苏")


def test_a_province_token_needs_a_known_region_and_an_assessor_token_a_known_assessor(
    sqlite_url: str,
) -> None:
    without_region = greenledger(sqlite_url, "token", "create", "--role", "province")
    unknown_region = greenledger(
        sqlite_url, "token", "create", "--role", "province", "--region", "999999"
    )
    unknown_assessor = greenledger(
        sqlite_url,
        "token",
        "create",
        "--role",
        "assessor",
        "--assessor",
        "8a0d2f0e-6b3c-5f4a-9e21-7c5d4b3a2f10",
    )
    region_for_ministry = greenledger(
        sqlite_url, "token", "create", "--role", "ministry", "--region", "320000"
    )

    assert [r[0] for r in (without_region, unknown_region, unknown_assessor)] == [2, 2, 2]
    assert "--region" in without_region[2]
    assert "999999" in unknown_region[2]
    assert "No such assessor" in unknown_assessor[2]
    assert region_for_ministry[0] == 2


def test_an_assessor_token_is_made_for_a_registered_assessor(sqlite_url: str) -> None:
    with Ledger.open(sqlite_url) as ledger:
        receipt = ledger.register_assessor(
            name="评价机构",
            uscc=credit_code(1, prefix="91110000MA"),
            senior_staff=6,
            intermediate_staff=8,
            provenance=Provenance("ministry"),
        )

    code, out, _ = greenledger(
        sqlite_url, "token", "create", "--role", "assessor", "--assessor", str(receipt.id)
    )

    assert code == 0
    assert f"assessor:{receipt.id}" in out


def test_a_revoked_token_is_refused_at_once_and_still_listed(sqlite_url: str) -> None:
    token = created_token(sqlite_url, "--role", "ministry", "--name", "节能司")
    with live_api(sqlite_url) as api:
        ministry = Caller(api.client, token)
        before = ministry.get("/v1/ledger/head")

        code, out, _ = greenledger(sqlite_url, "token", "revoke", token)
        after = ministry.get("/v1/ledger/head")

    _, listing, _ = greenledger(sqlite_url, "token", "list")
    assert before.status_code == 200
    assert code == 0
    assert "Token revoked" in out
    assert after.status_code == 401
    assert "节能司" in listing
    assert token not in listing


def test_a_token_can_be_revoked_by_its_id_and_revoking_twice_keeps_the_first_time(
    sqlite_url: str,
) -> None:
    created_token(sqlite_url, "--role", "auditor")
    _, listing, _ = greenledger(sqlite_url, "token", "list")
    token_id = next(word for word in listing.split() if word.count("-") == 4)

    first = greenledger(sqlite_url, "token", "revoke", token_id)
    second = greenledger(sqlite_url, "token", "revoke", token_id)
    unknown = greenledger(sqlite_url, "token", "revoke", "glt_nothing")

    revoked_at = [line for line in first[1].splitlines() if "Revoked at" in line]
    assert revoked_at
    assert revoked_at == [line for line in second[1].splitlines() if "Revoked at" in line]
    assert unknown[0] == 1
