"""`GET /v1/listings/{id}/certificate`: a unit's standing on a date that anyone can check offline
(issue 19). Every certificate here is first checked by an outsider — RFC 6962 and Ed25519 written
in the test (`tests/publishing/witness.py`), not the product's code — then by
`greenledger verify-certificate`, which must also refuse a certificate with one byte flipped, a
proof for another tree size, or another key, and say why.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import segno
from cryptography.exceptions import InvalidSignature
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from api.cli.main import app as greenledger
from api.http.app import create_app
from api.settings import Settings
from domain.ledger import Ledger
from seal.certificates import Certificate, CertificateRejectedError, verify_certificate
from seal.signing import create_signing_key, load_public_key
from tests.builders import (
    ANNOUNCEMENT,
    ListedUnit,
    by_ministry,
    by_province,
    listed_factory,
    nominate,
    open_batch,
    publish,
    register,
)
from tests.integration.publishing import witness

runner = CliRunner()


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "seal.pem"
    create_signing_key(private)
    return private, tmp_path / "seal.pem.pub"


@pytest.fixture
def client(sqlite_url: str, keys: tuple[Path, Path]) -> Iterator[TestClient]:
    settings = Settings(
        database_url=sqlite_url, signing_key_path=keys[0], publish_interval_seconds=0
    )
    with TestClient(create_app(settings)) as the_client:
        yield the_client


def ledger_of(client: TestClient) -> Ledger:
    ledger: Ledger = client.app.state.ledger  # type: ignore[attr-defined]
    return ledger


def renamed_factory(client: TestClient) -> ListedUnit:
    """Listed 2023-03-23, its enterprise renamed 2024-02-01."""
    ledger = ledger_of(client)
    unit = listed_factory(ledger)
    ledger.rename_enterprise(
        unit.enterprise_id, name="江苏绿源新材料有限公司", provenance=by_province(date(2024, 2, 1))
    )
    client.app.state.read_side.catch_up()  # type: ignore[attr-defined]
    return unit


def certificate(client: TestClient, unit: ListedUnit, on: str) -> dict[str, Any]:
    response = client.get(f"/v1/listings/{unit.listing_id}/certificate", params={"on": on})
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def verify_cli(document: dict[str, Any], public_key: Path, folder: Path) -> Result:
    path = folder / "certificate.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return runner.invoke(
        greenledger, ["verify-certificate", str(path), "--public-key", str(public_key)]
    )


def test_an_outsider_verifies_a_certificate_with_rfc_6962_and_ed25519_alone(
    client: TestClient,
) -> None:
    unit = renamed_factory(client)

    document = certificate(client, unit, "2025-06-30")
    key = witness.public_key(client.get("/v1/ledger/public-key").content)

    witness.check_certificate(document, key)
    originators = {witness.leaf_originator(bytes.fromhex(e["leaf"])) for e in document["events"]}
    assert originators == {str(unit.listing_id), str(unit.enterprise_id)}
    assert document["statement"]["on_the_list"] is True
    assert document["statement"]["name"] == "江苏绿源新材料有限公司"


def test_the_cli_says_what_is_proven_and_what_is_not(
    client: TestClient, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    unit = renamed_factory(client)
    document = certificate(client, unit, "2025-06-30")

    result = verify_cli(document, keys[1], tmp_path)

    assert result.exit_code == 0, result.output
    assert (
        "截至2025-06-30，该单位（江苏绿源新材料有限公司，江苏省）在国家级绿色工厂名单上，"
        "依据工信厅节函〔2023〕64号" in result.stdout
    )
    assert "不证明 Not proven" in result.stdout
    assert "之后记录的事实不在证明范围内" in result.stdout
    assert "读模型" in result.stdout


def test_before_the_rename_the_certificate_names_the_unit_as_it_was(client: TestClient) -> None:
    unit = renamed_factory(client)

    document = certificate(client, unit, "2023-12-31")

    assert document["statement"]["name"] == "江苏绿源钢铁有限公司"
    assert document["statement"]["listed_on"] == "2023-03-23"


def test_a_removed_unit_s_certificate_says_when_and_why_in_words(
    client: TestClient, keys: tuple[Path, Path], tmp_path: Path
) -> None:
    unit = renamed_factory(client)
    ledger_of(client).remove_listing(
        unit.listing_id,
        reasons=["withdrawn"],
        announcement=ANNOUNCEMENT,
        provenance=by_ministry(date(2024, 5, 6)),
    )
    client.app.state.read_side.catch_up()  # type: ignore[attr-defined]

    document = certificate(client, unit, "2024-06-30")
    result = verify_cli(document, keys[1], tmp_path)

    witness.check_certificate(document, witness.public_key(keys[1].read_bytes()))
    assert document["statement"]["status"] == "removed"
    assert result.exit_code == 0, result.output
    assert "不在国家级绿色工厂名单上：已于2024-05-06移出（主动退出）" in result.stdout


def flipped(document: dict[str, Any], where: str) -> dict[str, Any]:
    """A copy with one byte flipped: in an event's leaf, an audit path, the root or the name."""
    changed: dict[str, Any] = json.loads(json.dumps(document))
    event = changed["events"][-1]
    if where == "leaf":
        leaf = bytearray.fromhex(event["leaf"])
        leaf[-10] ^= 0x01
        event["leaf"] = leaf.hex()
    elif where == "audit_path":
        path = bytearray.fromhex(event["audit_path"][0])
        path[0] ^= 0x01
        event["audit_path"][0] = path.hex()
    elif where == "root_hash":
        root = bytearray.fromhex(changed["tree_head"]["root_hash"])
        root[5] ^= 0x01
        changed["tree_head"]["root_hash"] = root.hex()
    else:
        name = bytearray(changed["statement"]["name"].encode())
        name[-1] ^= 0x01
        changed["statement"]["name"] = name.decode(errors="replace")
    return changed


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("leaf", "not in the signed tree"),
        ("audit_path", "not in the signed tree"),
        ("root_hash", "the signature does not match the tree head"),
        ("name", "statement.name"),
    ],
)
def test_one_flipped_byte_is_refused_with_the_reason(
    client: TestClient, keys: tuple[Path, Path], tmp_path: Path, where: str, reason: str
) -> None:
    unit = renamed_factory(client)
    document = flipped(certificate(client, unit, "2025-06-30"), where)

    result = verify_cli(document, keys[1], tmp_path)

    assert result.exit_code == 1
    assert "核验未通过 Refused" in result.stderr
    assert reason in result.stderr.replace("\n", " ")
    if where != "name":
        with pytest.raises((witness.WitnessRefusedError, InvalidSignature)):
            witness.check_certificate(document, witness.public_key(keys[1].read_bytes()))


def test_a_proof_for_another_tree_size_is_refused(
    client: TestClient, keys: tuple[Path, Path]
) -> None:
    unit = renamed_factory(client)
    earlier = certificate(client, unit, "2025-06-30")
    ledger_of(client).rename_enterprise(
        unit.enterprise_id,
        name="江苏绿源第三个名称有限公司",
        provenance=by_province(date(2024, 9, 1)),
    )
    client.app.state.read_side.catch_up()  # type: ignore[attr-defined]
    later = certificate(client, unit, "2023-12-31")
    assert later["tree_head"]["tree_size"] > earlier["tree_head"]["tree_size"]
    later["events"][0] = earlier["events"][0]

    with pytest.raises(CertificateRejectedError, match="its proof is for a tree of"):
        verify_certificate(Certificate.from_document(later), load_public_key(keys[1]))
    with pytest.raises(witness.WitnessRefusedError):
        witness.check_certificate(later, witness.public_key(keys[1].read_bytes()))


def test_another_key_is_refused(client: TestClient, tmp_path: Path) -> None:
    unit = renamed_factory(client)
    document = certificate(client, unit, "2025-06-30")
    other = tmp_path / "other" / "seal.pem"
    create_signing_key(other)

    result = verify_cli(document, other.with_name("seal.pem.pub"), tmp_path)

    assert result.exit_code == 1
    assert "not by the given key" in result.stderr.replace("\n", " ")


def test_a_nomination_or_a_nomination_not_listed_has_no_certificate(client: TestClient) -> None:
    ledger = ledger_of(client)
    open_batch(ledger)
    nominated = nominate(ledger, register(ledger, "江苏只被推荐的企业有限公司"))
    rejected = nominate(ledger, register(ledger, "江苏未入选企业有限公司"))
    client.app.state.read_side.catch_up()  # type: ignore[attr-defined]

    pending = client.get(f"/v1/listings/{nominated}/certificate", params={"on": "2022-12-31"})
    publish(ledger, [nominated], rejected=[rejected])
    client.app.state.read_side.catch_up()  # type: ignore[attr-defined]
    not_listed = client.get(f"/v1/listings/{rejected}/certificate", params={"on": "2024-01-01"})

    assert (pending.status_code, not_listed.status_code) == (404, 404)
    assert "neither on the list nor removed" in not_listed.json()["detail"]


def test_without_a_signing_key_the_server_says_it_cannot_certify(sqlite_url: str) -> None:
    app = create_app(Settings(database_url=sqlite_url, publish_interval_seconds=0))
    with TestClient(app) as plain:
        unit = listed_factory(plain.app.state.ledger)  # type: ignore[attr-defined]
        plain.app.state.read_side.catch_up()  # type: ignore[attr-defined]

        response = plain.get(f"/v1/listings/{unit.listing_id}/certificate")

    assert response.status_code == 503
    assert "GREENLEDGER_SIGNING_KEY_PATH" in response.json()["detail"]


def test_the_verify_page_checks_an_upload_with_the_site_s_key(client: TestClient) -> None:
    unit = renamed_factory(client)
    document = certificate(client, unit, "2025-06-30")

    good = client.post(
        "/verify",
        files={"certificate": ("c.json", json.dumps(document).encode(), "application/json")},
    )
    bad = client.post(
        "/verify",
        files={
            "certificate": (
                "c.json",
                json.dumps(flipped(document, "leaf")).encode(),
                "application/json",
            )
        },
    )

    assert good.status_code == 200
    assert "核验通过" in good.text
    assert "在国家级绿色工厂名单上" in good.text
    assert bad.status_code == 422
    assert "not in the signed tree" in bad.text


def test_the_printable_page_carries_a_qr_code_linking_to_the_json(client: TestClient) -> None:
    unit = renamed_factory(client)

    page = client.get(f"/units/{unit.listing_id}/certificate", params={"on": "2025-06-30"})

    assert page.status_code == 200
    assert "<svg" in page.text
    assert f"/v1/listings/{unit.listing_id}/certificate?on=2025-06-30" in page.text
    assert "截至2025-06-30，该单位" in page.text


def test_the_qr_code_links_to_the_public_url_whatever_host_the_request_named(
    sqlite_url: str, keys: tuple[Path, Path]
) -> None:
    """With GREENLEDGER_PUBLIC_URL set, a request naming another Host cannot put that host on a
    printed certificate (issue 16's leftover)."""
    settings = Settings(
        database_url=sqlite_url,
        signing_key_path=keys[0],
        publish_interval_seconds=0,
        public_url="https://ledger.example.cn/",
    )
    with TestClient(create_app(settings)) as client:
        unit = renamed_factory(client)
        path = f"/v1/listings/{unit.listing_id}/certificate?on=2025-06-30"

        page = client.get(
            f"/units/{unit.listing_id}/certificate",
            params={"on": "2025-06-30"},
            headers={"Host": "evil.example"},
        )

    assert page.status_code == 200
    public = segno.make(f"https://ledger.example.cn{path}", error="m").svg_inline(scale=3)
    forged = segno.make(f"http://evil.example{path}", error="m").svg_inline(scale=3)
    assert public in page.text
    assert forged not in page.text


def test_without_a_public_url_the_qr_code_links_to_the_address_of_the_request(
    client: TestClient,
) -> None:
    unit = renamed_factory(client)
    path = f"/v1/listings/{unit.listing_id}/certificate?on=2025-06-30"

    page = client.get(f"/units/{unit.listing_id}/certificate", params={"on": "2025-06-30"})

    expected = segno.make(f"http://testserver{path}", error="m").svg_inline(scale=3)
    assert expected in page.text


@pytest.mark.parametrize(
    "url", ["ftp://ledger.example.cn", "https://ledger.example.cn/list", "https://", "ledger.cn"]
)
def test_a_public_url_that_is_not_an_origin_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        Settings(public_url=url)
