"""`POST /v1/imports/published-lists`: the ministry imports the published national lists.

The files are those of `data/published-lists/` (announcements.csv and the list files, UTF-8 CSV);
each published row becomes what the ledger's own commands would have written (ADR 0040), and a
second import of the same lists writes nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse

from api.http.deps import CommandDep, LedgerDep, MinistryDep
from api.http.idempotency import StoredAnswer
from api.http.openapi.responses import command_responses
from api.http.schemas.imports import ImportReportPublic
from domain.errors import InvalidInputError
from domain.loading.importing import import_published_lists
from domain.loading.published_lists import parse_published_lists

router = APIRouter(prefix="/v1/imports", tags=["imports 导入"])

MAX_FILES = 20


@router.post(
    "/published-lists",
    status_code=201,
    response_model=ImportReportPublic,
    responses={
        **command_responses(),
        200: {"model": ImportReportPublic, "description": "已导入过 Nothing new: nothing written"},
    },
    summary="导入已公布名单 Import the published lists",
)
def import_lists(
    files: Annotated[
        list[UploadFile],
        File(
            description="announcements.csv and any of green_factories.csv, green_parks.csv, "
            "green_supply_chain.csv, green_design_products.csv (UTF-8)."
        ),
    ],
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Registers, nominates and lists every published row as of its announcement, in one atomic
    publication per batch; answers counts per file and batch and every row not imported, with
    the reason. Ministry."""
    if len(files) > MAX_FILES:
        raise InvalidInputError("files", f"at most {MAX_FILES} files")
    texts: dict[str, str] = {}
    for index, upload in enumerate(files):
        name = PurePath(upload.filename or "").name
        if not name:
            raise InvalidInputError(
                f"files[{index}]", "a file needs its name (e.g. green_parks.csv)"
            )
        try:
            texts[name] = upload.file.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise InvalidInputError(f"files[{index}]", f"{name} is not UTF-8 text") from error
    digest = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in texts.items()}

    def run_import() -> tuple[StoredAnswer, bool]:
        report = import_published_lists(ledger, parse_published_lists(texts))
        public = ImportReportPublic.of(report)
        status = 201 if report.written else 200
        return StoredAnswer(status, public.model_dump(mode="json")), report.written

    return command.answer_once(digest, run_import)
