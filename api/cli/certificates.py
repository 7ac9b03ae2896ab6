"""`greenledger verify-certificate FILE --public-key KEY`: check a certificate of a unit's standing
with no database and no network (ADR 0031), and say in words what it proves and what it does not.

Exit status: 0 verified, 1 refused (the reason is printed), 2 the file or the key cannot be read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from api.cli.conventions import console, fail
from seal.certificates import Certificate, CertificateRejectedError, verify_certificate
from seal.signing import SigningKeyError, load_public_key
from seal.standing import not_proven


def verify_certificate_command(
    certificate_file: Annotated[Path, typer.Argument(help="The certificate (JSON).")],
    public_key: Annotated[
        Path,
        typer.Option(
            "--public-key", help="The ministry's public key (PEM), obtained outside the ledger."
        ),
    ],
) -> None:
    """核验证书 Check a certificate of a unit's standing offline; say what it proves."""
    try:
        key = load_public_key(public_key)
    except SigningKeyError as error:
        raise fail(f"[red]公钥无效 Invalid public key[/red] {escape(str(error))}", 2) from error
    try:
        text = certificate_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise fail(f"[red]无法读取 Cannot read[/red] {certificate_file}: {error}", 2) from error
    try:
        verified = verify_certificate(Certificate.from_json(text), key)
    except CertificateRejectedError as error:
        raise fail(f"[red]核验未通过 Refused[/red]: {escape(str(error))}", 1) from error
    out = console()
    statement = verified.certificate.statement
    head = verified.head
    out.print("[green]核验通过 Verified[/green]")
    out.print(f"证明 Proven: {escape(statement['text_zh'])}")
    out.print(f"        {escape(statement['text_en'])}")
    out.print(
        f"依据 Resting on: {len(verified.certificate.events)} events in the tree of "
        f"{head.tree_size}, head signed {head.timestamp} by key {head.key_id}"
    )
    out.print("不证明 Not proven:")
    for zh, en in not_proven(head.tree_size, head.timestamp):
        out.print(f"  - {escape(zh)}")
        out.print(f"    {escape(en)}")


def register(app: typer.Typer) -> None:
    app.command("verify-certificate")(verify_certificate_command)
