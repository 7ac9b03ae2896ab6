"""The seal on the command line (ADR 0030): keys, tree heads, proofs, and checking them.

    greenledger keys create                      an Ed25519 key pair for signing tree heads
    greenledger seal catch-up                    seal every event not yet sealed
    greenledger seal head --sign > head.json     the signed head, to publish outside the database
    greenledger seal inclusion-proof --position 17 [--tree-size N] > proof.json
    greenledger seal consistency-proof --first 100 [--second N] > proof.json
    greenledger verify --head head.json --public-key seal.pem.pub
    greenledger verify-proof --proof proof.json --head head.json [--head older.json]

`register(app)` adds these to the `greenledger` application (api/cli/main.py). The database and the
key come from the same `Settings` as every other command: `GREENLEDGER_DATABASE_URL`,
`GREENLEDGER_SIGNING_KEY_PATH` (or `--private-key`). Exit status: 0 verified, 1 the check failed
(tampering, a foreign signature, an invalid proof) or the store did not answer, 2 bad input or
configuration.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import PersistenceError
from rich.cells import cell_len
from rich.markup import escape
from sqlalchemy.exc import SQLAlchemyError

from api.cli.conventions import console, current_settings, error_console, fail, progress_bar
from api.cli.read_models import verify_read_models
from api.settings import open_ledger, without_password
from domain.errors import InvalidInputError, LedgerError
from readside.engine.database import Views, ViewsOutdatedError
from seal.leaves import MalformedLeafError, parse_leaf
from seal.merkle import InvalidProofError
from seal.proofs import ConsistencyProof, InclusionProof, proof_from_document
from seal.sealing import Seal
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
)
from seal.verification import VerificationReport, verify_ledger

SigningKeyPath = Annotated[
    Path | None,
    typer.Option(
        "--private-key",
        help="The Ed25519 private key (PEM) that signs tree heads, kept outside the database "
        "(default: GREENLEDGER_SIGNING_KEY_PATH).",
    ),
]
PublicKeyPath = Annotated[
    Path | None,
    typer.Option(help="The ministry's public key (PEM) to check the heads' signatures with."),
]


def _table(rows: list[tuple[str, str]]) -> None:
    width = max(cell_len(label) for label, _ in rows) + 2
    out = console()
    for label, value in rows:
        out.print(f"[bold]{label}[/bold]{' ' * (width - cell_len(label))}{value}")


def _key_path(given: Path | None) -> Path | None:
    return given if given is not None else current_settings().signing_key_path


@contextmanager
def _opened_seal() -> Iterator[Seal]:
    """The configured ledger's seal (tables created, nothing sealed yet), closed afterwards."""
    settings = current_settings()
    try:
        ledger = open_ledger(settings)
        seal = Seal.open(ledger, settings.database_url)
    except (PersistenceError, SQLAlchemyError) as error:
        where = escape(without_password(settings.database_url))
        raise fail(
            f"[red]无法打开台账 Cannot open the ledger[/red] at {where}: {error}", 1
        ) from error
    try:
        yield seal
    finally:
        seal.engine.dispose()
        ledger.close()


def _read_json(path: Path, what: str) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise fail(f"[red]无法读取 Cannot read[/red] {what} {path}: {error.strerror}", 2) from error
    except ValueError as error:
        raise fail(f"[red]不是 JSON Not JSON[/red] {what} {path}: {error}", 2) from error


def _read_head(path: Path) -> TreeHead:
    try:
        return TreeHead.from_document(_read_json(path, "tree head"))
    except TreeHeadRejectedError as error:
        raise fail(
            f"[red]树头无效 Invalid tree head[/red] {path}: {escape(str(error))}", 2
        ) from error


def _public_key(path: Path | None) -> Ed25519PublicKey | None:
    if path is None:
        return None
    try:
        return load_public_key(path)
    except SigningKeyError as error:
        raise fail(f"[red]公钥无效 Invalid public key[/red] {escape(str(error))}", 2) from error


def _short(hashed: bytes) -> str:
    return hashed.hex()[:16] + "…"


# -- keys ----------------------------------------------------------------------------------------


def create_keys(
    private_key: SigningKeyPath = None,
    public_key: Annotated[
        Path | None, typer.Option(help="Where the public key goes (default: <private key>.pub).")
    ] = None,
) -> None:
    """生成签名密钥 Create the Ed25519 key pair that signs tree heads (never overwrites)."""
    private_key = _key_path(private_key)
    if private_key is None:
        raise fail(
            "[red]缺少路径 No path[/red] set GREENLEDGER_SIGNING_KEY_PATH or --private-key", 2
        )
    try:
        created = create_signing_key(private_key, public_key)
    except SigningKeyError as error:
        raise fail(f"[red]未生成 Not created[/red] {escape(str(error))}", 2) from error
    _table(
        [
            (
                "私钥 Private key",
                f"{private_key} (仅所有者可读 owner only; 勿存入数据库 keep out of the database)",
            ),
            ("公钥 Public key", str(public_key or public_key_path_for(private_key))),
            ("密钥标识 Key id", created),
        ]
    )


# -- the seal ------------------------------------------------------------------------------------


def catch_up() -> None:
    """封存新事件 Seal every stored event not yet sealed."""
    with _opened_seal() as seal:
        state = seal.catch_up()
    _table(
        [
            ("已封存事件 Events sealed", str(state.tree_size)),
            ("台账位置 Position", str(state.position)),
        ]
    )


def head(
    sign: Annotated[bool, typer.Option("--sign", help="Sign it with the private key.")] = False,
    tree_size: Annotated[
        int | None, typer.Option(min=0, help="An earlier size (default: all sealed).")
    ] = None,
    private_key: SigningKeyPath = None,
) -> None:
    """树头 Print the tree head of the sealed events as JSON (after sealing the new ones)."""
    key = None
    if sign:
        private_key = _key_path(private_key)
        if private_key is None:
            raise fail(
                "[red]缺少私钥 No signing key[/red] set GREENLEDGER_SIGNING_KEY_PATH or "
                "--private-key",
                2,
            )
        try:
            key = load_private_key(private_key)
        except SigningKeyError as error:
            raise fail(
                f"[red]私钥无效 Invalid signing key[/red] {escape(str(error))}", 2
            ) from error
    with _opened_seal() as seal:
        seal.catch_up()
        try:
            the_head = seal.head(tree_size)
        except LedgerError as error:
            raise fail(f"[red]无此树 No such tree[/red] {escape(error.message)}", 2) from error
    typer.echo((sign_head(the_head, key) if key else the_head).to_json(), nl=False)


def inclusion_proof(
    position: Annotated[int, typer.Option(min=1, help="The event's notification id.")],
    tree_size: Annotated[
        int | None, typer.Option(min=1, help="The tree of a head you hold (default: all sealed).")
    ] = None,
) -> None:
    """包含证明 Print the proof that the event at a position is in a tree, as JSON."""
    with _opened_seal() as seal:
        seal.catch_up()
        try:
            proof = seal.inclusion_proof(position, tree_size)
        except LedgerError as error:
            raise fail(f"[red]无证明 No proof[/red] {escape(error.message)}", 2) from error
    typer.echo(json.dumps(proof.to_document(), indent=2))


def consistency_proof(
    first: Annotated[int, typer.Option(min=1, help="The size of the earlier tree.")],
    second: Annotated[
        int | None, typer.Option(min=1, help="The size of the later tree (default: all sealed).")
    ] = None,
) -> None:
    """一致性证明 Print the proof that a later tree extends an earlier one, as JSON."""
    with _opened_seal() as seal:
        seal.catch_up()
        try:
            proof = seal.consistency_proof(first, second)
        except LedgerError as error:
            raise fail(f"[red]无证明 No proof[/red] {escape(error.message)}", 2) from error
    typer.echo(json.dumps(proof.to_document(), indent=2))


# -- verification --------------------------------------------------------------------------------


def _report_rows(
    report: VerificationReport, public_key: Ed25519PublicKey | None
) -> list[tuple[str, str]]:
    the_head = report.head
    signature = (
        f"有效 valid (key {key_id(public_key)[:16]}…)"
        if public_key is not None
        else "[yellow]未检查 not checked[/yellow] (no --public-key)"
    )
    rows = [
        (
            "树头 Tree head",
            f"{the_head.tree_size} events, root {_short(the_head.root_hash)}, {the_head.timestamp}",
        ),
        ("签名 Signature", signature),
        (
            "重算 Recomputed",
            f"{report.recomputed_size} events, root {_short(report.recomputed_root)}",
        ),
    ]
    if report.intact:
        rows.append(("结论 Result", "[green]完好 intact[/green]"))
    else:
        rows.append(("结论 Result", "[red]不一致 TAMPERED[/red]"))
        if report.difference is not None:
            located = "" if report.difference_authenticated else " (封存表未经验证 seal unverified)"
            rows.append(("首个差异 First difference", report.difference.describe() + located))
        else:
            rows.append(
                (
                    "首个差异 First difference",
                    "无法定位 cannot be located: the seal tables were altered too",
                )
            )
    if report.seal_matches_head is False and report.intact:
        rows.append(
            ("封存表 Seal tables", "[yellow]与树头不符 differ from the head[/yellow]: rebuild them")
        )
    rows.append(
        (
            "树头之后 After the head",
            f"{report.events_after_head} events (protected from the next head on)",
        )
    )
    return rows


def verify(
    head_file: Annotated[
        Path | None, typer.Option("--head", help="The published tree head (JSON).")
    ] = None,
    public_key: PublicKeyPath = None,
    read_models: Annotated[
        bool,
        typer.Option(
            "--read-models",
            help="Also compare every served read-model row with a fresh projection of the "
            "events, naming each row that differs (ADR 0105).",
        ),
    ] = False,
) -> None:
    """核验台账 Recompute the seal from the stored events and check it against a signed head;
    with --read-models, check the served read models against the events."""
    if head_file is None and not read_models:
        raise fail("[red]缺少参数 Missing option[/red] --head FILE, or --read-models", 2)
    intact = True
    if head_file is not None:
        intact = _verify_head(head_file, public_key)
    if read_models:
        intact = _verify_read_models() and intact
    if not intact:
        raise typer.Exit(1)


def _verify_head(head_file: Path, public_key: Path | None) -> bool:
    the_head = _read_head(head_file)
    key = _public_key(public_key)
    with (
        _opened_seal() as seal,
        progress_bar(
            error_console(), "重算 Recomputing", the_head.tree_size, transient=True, remaining=True
        ) as update,
    ):
        try:
            report = verify_ledger(
                seal.ledger,
                the_head,
                seal=seal,
                public_key=key,
                on_event=update,
            )
        except TreeHeadRejectedError as error:
            raise fail(f"[red]签名无效 Signature rejected[/red] {escape(str(error))}", 1) from error
    _table(_report_rows(report, key))
    return report.intact


def _verify_read_models() -> bool:
    settings = current_settings()
    with _opened_seal() as seal:
        try:
            views = Views.open(settings.database_url)
        except (InvalidInputError, ViewsOutdatedError) as error:
            raise fail(
                f"[red]读模型不可用 No read models[/red]: {escape(str(error))}", 2
            ) from error
        try:
            return verify_read_models(seal.ledger, views, settings.database_url, console())
        finally:
            views.close()


def verify_proof(
    proof_file: Annotated[Path, typer.Option("--proof", help="The proof (JSON).")],
    head_files: Annotated[
        list[Path], typer.Option("--head", help="A tree head the proof is about (repeatable).")
    ],
    public_key: PublicKeyPath = None,
) -> None:
    """核验证明 Check an inclusion or consistency proof against tree heads (no database)."""
    heads = [_read_head(path) for path in head_files]
    key = _public_key(public_key)
    try:
        proof = proof_from_document(_read_json(proof_file, "proof"))
    except InvalidProofError as error:
        raise fail(f"[red]证明无效 Invalid proof[/red] {escape(str(error))}", 2) from error
    if key is not None:
        for path, the_head in zip(head_files, heads, strict=True):
            try:
                check_signature(the_head, key)
            except TreeHeadRejectedError as error:
                raise fail(
                    f"[red]签名无效 Signature rejected[/red] {path}: {escape(str(error))}", 1
                ) from error
    try:
        checked = proof.check(heads)
    except InvalidProofError as error:
        raise fail(f"[red]证明不成立 Proof rejected[/red] {escape(str(error))}", 1) from error
    rows = [
        (
            "签名 Signature",
            "有效 valid" if key else "[yellow]未检查 not checked[/yellow] (no --public-key)",
        )
    ]
    if isinstance(proof, InclusionProof):
        rows += _inclusion_rows(proof)
    else:
        rows += _consistency_rows(proof, checked if isinstance(checked, list) else [checked])
    _table(rows)


def _inclusion_rows(proof: InclusionProof) -> list[tuple[str, str]]:
    rows = [
        (
            "结论 Result",
            (
                f"[green]成立 proven[/green]: position {proof.position} is leaf "
                f"{proof.leaf_index} of the {proof.tree_size}-event tree"
            ),
        )
    ]
    if proof.leaf is not None:
        try:
            fields = parse_leaf(proof.leaf)
        except MalformedLeafError:
            return rows
        rows += [
            ("事件 Event", escape(f"{fields.topic} v{fields.originator_version}")),
            ("主体 Originator", fields.originator_id),
            ("记录时间 Recorded at", fields.recorded_at),
        ]
    return rows


def _consistency_rows(proof: ConsistencyProof, heads: list[TreeHead]) -> list[tuple[str, str]]:
    sizes = {the_head.tree_size for the_head in heads}
    rows = [
        (
            "结论 Result",
            (
                f"[green]成立 proven[/green]: the {proof.second}-event tree extends the "
                f"{proof.first}-event tree unchanged"
            ),
        )
    ]
    for size, root in ((proof.first, proof.first_root), (proof.second, proof.second_root)):
        if size not in sizes:
            rows.append(
                (
                    "未给树头 No head given",
                    f"size {size}: its root {_short(root)} is the proof's claim only",
                )
            )
    return rows


def register(app: typer.Typer) -> None:
    """Add `keys`, `seal`, `verify` and `verify-proof` to the `greenledger` application."""
    keys_app = typer.Typer(help="签名密钥 Signing keys for tree heads", no_args_is_help=True)
    seal_app = typer.Typer(help="封存 The seal: tree heads and proofs", no_args_is_help=True)
    keys_app.command("create")(create_keys)
    seal_app.command("catch-up")(catch_up)
    seal_app.command("head")(head)
    seal_app.command("inclusion-proof")(inclusion_proof)
    seal_app.command("consistency-proof")(consistency_proof)
    app.add_typer(keys_app, name="keys")
    app.add_typer(seal_app, name="seal")
    app.command("verify")(verify)
    app.command("verify-proof")(verify_proof)
