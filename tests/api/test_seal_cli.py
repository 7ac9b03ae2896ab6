"""The auditor's round on the command line: keys, a signed head, verify, proofs, verify-proof."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from api.cli.main import app as greenledger
from domain.ledger import Ledger
from tests.builders import listed_factory
from tests.builders import register as register_enterprise
from tests.tampering import alter_one_byte, execute

runner = CliRunner()


def verify_proof(*arguments: str) -> Result:
    """The auditor's side: no database, only the files received."""
    return runner.invoke(greenledger, ["verify-proof", *arguments])


class Ministry:
    """The side that seals, signs and serves proofs, on one store, with its key on disk."""

    def __init__(self, database_url: str, folder: Path) -> None:
        self.database_url = database_url
        self.key = folder / "keys" / "seal.pem"
        self.public_key = folder / "keys" / "seal.pem.pub"
        self.folder = folder

    def run(self, *arguments: str) -> Result:
        return runner.invoke(
            greenledger,
            list(arguments),
            env={
                "GREENLEDGER_DATABASE_URL": self.database_url,
                "GREENLEDGER_SIGNING_KEY_PATH": str(self.key),
            },
        )

    def publish_head(self, name: str) -> Path:
        result = self.run("seal", "head", "--sign")
        assert result.exit_code == 0, result.output
        path = self.folder / name
        path.write_text(result.stdout, encoding="utf-8")
        return path

    def proof(self, name: str, *arguments: str) -> Path:
        result = self.run("seal", *arguments)
        assert result.exit_code == 0, result.output
        path = self.folder / name
        path.write_text(result.stdout, encoding="utf-8")
        return path


@pytest.fixture
def ministry(sql_database_url: str, tmp_path: Path) -> Ministry:
    with Ledger.open(sql_database_url) as ledger:
        listed_factory(ledger)
    the_ministry = Ministry(sql_database_url, tmp_path)
    created = the_ministry.run("keys", "create")
    assert created.exit_code == 0, created.output
    return the_ministry


def test_keys_create_writes_the_pair_and_shows_its_key_id(tmp_path: Path) -> None:
    key = tmp_path / "seal.pem"

    result = runner.invoke(greenledger, ["keys", "create", "--private-key", str(key)])

    assert result.exit_code == 0, result.output
    assert key.exists()
    assert (tmp_path / "seal.pem.pub").exists()
    assert "密钥标识 Key id" in result.stdout


def test_keys_create_never_overwrites_a_key(ministry: Ministry) -> None:
    before = ministry.key.read_bytes()

    result = ministry.run("keys", "create")

    assert result.exit_code == 2
    assert "never overwritten" in result.stderr
    assert ministry.key.read_bytes() == before


def test_a_signed_head_of_an_untouched_store_verifies(ministry: Ministry) -> None:
    head = ministry.publish_head("head.json")

    result = ministry.run("verify", "--head", str(head), "--public-key", str(ministry.public_key))

    assert result.exit_code == 0, result.output
    assert "完好 intact" in result.stdout
    assert "有效 valid" in result.stdout
    assert json.loads(head.read_text())["tree_size"] == 7


def test_verify_names_the_position_altered_straight_in_the_store_and_exits_1(
    ministry: Ministry,
) -> None:
    head = ministry.publish_head("head.json")

    alter_one_byte(ministry.database_url, 6)
    result = ministry.run("verify", "--head", str(head), "--public-key", str(ministry.public_key))

    assert result.exit_code == 1
    assert "不一致 TAMPERED" in result.stdout
    assert "position 6" in result.stdout


def test_verify_rejects_a_head_signed_by_another_key(ministry: Ministry, tmp_path: Path) -> None:
    head = ministry.publish_head("head.json")
    impostor = tmp_path / "impostor.pem"
    runner.invoke(greenledger, ["keys", "create", "--private-key", str(impostor)])

    result = ministry.run("verify", "--head", str(head), "--public-key", f"{impostor}.pub")

    assert result.exit_code == 1
    assert "签名无效 Signature rejected" in result.stderr


def test_a_head_cannot_be_signed_without_a_key(sql_database_url: str) -> None:
    result = runner.invoke(
        greenledger,
        ["seal", "head", "--sign"],
        env={"GREENLEDGER_DATABASE_URL": sql_database_url, "GREENLEDGER_SIGNING_KEY_PATH": None},
    )

    assert result.exit_code == 2
    assert "GREENLEDGER_SIGNING_KEY_PATH" in result.stderr
    assert result.stdout == ""


def test_a_malformed_head_file_is_named_with_its_field(ministry: Ministry) -> None:
    head = ministry.publish_head("head.json")
    document = json.loads(head.read_text())
    head.write_text(json.dumps(document | {"root_hash": "abc"}))

    result = ministry.run("verify", "--head", str(head))

    assert result.exit_code == 2
    assert "root_hash" in result.stderr


def test_an_inclusion_proof_checks_offline_against_the_signed_head(ministry: Ministry) -> None:
    head = ministry.publish_head("head.json")
    proof = ministry.proof("proof.json", "inclusion-proof", "--position", "6")

    result = verify_proof(
        "--proof", str(proof), "--head", str(head), "--public-key", str(ministry.public_key)
    )

    assert result.exit_code == 0, result.output
    assert "position 6 is leaf 5 of the 7-event tree" in result.stdout
    assert "domain.batch:Batch.Published" in result.stdout


def test_a_tampered_inclusion_proof_is_rejected_offline(ministry: Ministry) -> None:
    head = ministry.publish_head("head.json")
    proof = ministry.proof("proof.json", "inclusion-proof", "--position", "6")
    document = json.loads(proof.read_text())
    first = document["audit_path"][0]
    document["audit_path"][0] = ("0" if first[0] != "0" else "1") + first[1:]
    proof.write_text(json.dumps(document))

    result = runner.invoke(
        greenledger, ["verify-proof", "--proof", str(proof), "--head", str(head)]
    )

    assert result.exit_code == 1
    assert "证明不成立 Proof rejected" in result.stderr


def test_a_later_head_is_proven_to_extend_an_earlier_one(ministry: Ministry) -> None:
    earlier = ministry.publish_head("earlier.json")
    with Ledger.open(ministry.database_url) as ledger:
        register_enterprise(ledger, "浙江绿源纺织有限公司", "330000")
    later = ministry.publish_head("later.json")
    proof = ministry.proof("consistency.json", "consistency-proof", "--first", "7", "--second", "8")

    result = verify_proof(
        *("--proof", str(proof), "--head", str(earlier), "--head", str(later)),
        *("--public-key", str(ministry.public_key)),
    )

    assert result.exit_code == 0, result.output
    assert "the 8-event tree extends the 7-event tree unchanged" in result.stdout


def test_a_rewritten_history_fails_the_consistency_check_against_the_earlier_head(
    ministry: Ministry,
) -> None:
    earlier = ministry.publish_head("earlier.json")
    alter_one_byte(ministry.database_url, 3)
    with Ledger.open(ministry.database_url) as ledger:
        register_enterprise(ledger, "浙江绿源纺织有限公司", "330000")
    # The forger rebuilds the seal from the altered events and signs a new head.
    for table in ("seal_leaves", "seal_nodes", "seal_tracking"):
        execute(ministry.database_url, f"DROP TABLE {table}")
    later = ministry.publish_head("later.json")
    proof = ministry.proof("consistency.json", "consistency-proof", "--first", "7", "--second", "8")

    result = verify_proof("--proof", str(proof), "--head", str(earlier), "--head", str(later))

    assert result.exit_code == 1
    assert "size 7" in result.stderr
