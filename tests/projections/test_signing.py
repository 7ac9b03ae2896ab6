"""Signed tree heads: what the ministry publishes, and what an auditor accepts."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from seal.merkle import EMPTY_ROOT, leaf_hash
from seal.signing import (
    SigningKeyError,
    TreeHead,
    TreeHeadRejectedError,
    check_signature,
    create_signing_key,
    key_id,
    load_private_key,
    load_public_key,
    public_key_path_for,
    sign_head,
    utc_timestamp,
)

HEAD = TreeHead(tree_size=8, root_hash=leaf_hash(b"root"), timestamp="2025-03-01T08:00:00.000Z")


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "seal.pem"
    create_signing_key(path)
    return path


def test_a_new_key_pair_is_written_with_the_private_key_readable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    private = tmp_path / "seal.pem"

    created_id = create_signing_key(private)

    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert private.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    public = load_public_key(public_key_path_for(private))
    assert key_id(public) == created_id == key_id(load_private_key(private).public_key())


def test_an_existing_key_is_never_overwritten(key_file: Path) -> None:
    before = key_file.read_bytes()

    with pytest.raises(SigningKeyError, match="never overwritten"):
        create_signing_key(key_file)

    assert key_file.read_bytes() == before


def test_a_head_signed_with_the_key_verifies_with_its_public_key(key_file: Path) -> None:
    signed = sign_head(HEAD, load_private_key(key_file))

    check_signature(signed, load_public_key(public_key_path_for(key_file)))
    assert signed.key_id == key_id(load_private_key(key_file).public_key())


def test_a_head_signed_by_another_key_is_rejected(key_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    create_signing_key(other)
    forged = sign_head(HEAD, load_private_key(other))

    with pytest.raises(TreeHeadRejectedError, match="not by the given key"):
        check_signature(forged, load_public_key(public_key_path_for(key_file)))


def test_a_head_claiming_the_right_key_id_but_signed_by_another_key_is_rejected(
    key_file: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.pem"
    create_signing_key(other)
    public = load_public_key(public_key_path_for(key_file))
    forged = replace(sign_head(HEAD, load_private_key(other)), key_id=key_id(public))

    with pytest.raises(TreeHeadRejectedError, match="altered"):
        check_signature(forged, public)


@pytest.mark.parametrize(
    "change",
    [
        {"tree_size": 9},
        {"root_hash": EMPTY_ROOT},
        {"timestamp": "2025-03-02T08:00:00.000Z"},
    ],
)
def test_a_signed_head_with_any_field_altered_is_rejected(
    key_file: Path, change: dict[str, object]
) -> None:
    signed = sign_head(HEAD, load_private_key(key_file))
    altered = replace(signed, **change)  # type: ignore[arg-type]

    with pytest.raises(TreeHeadRejectedError):
        check_signature(altered, load_public_key(public_key_path_for(key_file)))


def test_an_unsigned_head_is_rejected_when_a_key_is_given(key_file: Path) -> None:
    with pytest.raises(TreeHeadRejectedError, match="not signed"):
        check_signature(HEAD, load_public_key(public_key_path_for(key_file)))


def test_a_signed_head_survives_its_json_form(key_file: Path) -> None:
    signed = sign_head(HEAD, load_private_key(key_file))

    again = TreeHead.from_json(signed.to_json())

    assert again == signed
    check_signature(again, load_public_key(public_key_path_for(key_file)))
    assert json.loads(signed.to_json())["root_hash"] == HEAD.root_hash.hex()


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"tree_size": -1}, "tree_size"),
        ({"tree_size": "8"}, "tree_size"),
        ({"root_hash": "00"}, "root_hash"),
        ({"root_hash": "zz" * 32}, "root_hash"),
        ({"format": "other"}, "format"),
        ({"signature": "00" * 64, "algorithm": "RSA", "key_id": "x"}, "algorithm"),
        ({"signature": "00" * 63, "algorithm": "Ed25519", "key_id": "x"}, "signature"),
    ],
)
def test_a_malformed_head_names_its_field(document: dict[str, object], field: str) -> None:
    with pytest.raises(TreeHeadRejectedError, match=field):
        TreeHead.from_document(HEAD.to_document() | document)


def test_a_timestamp_is_rfc3339_utc_with_milliseconds() -> None:
    moment = datetime(2025, 3, 1, 16, 0, 0, 123456, tzinfo=UTC)

    assert utc_timestamp(moment) == "2025-03-01T16:00:00.123Z"


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SigningKeyError, match=r"absent\.pem"):
        load_private_key(tmp_path / "absent.pem")
