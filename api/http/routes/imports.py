"""The ministry imports what it announced: `POST /v1/imports/published-lists` (batches 1–5 and
2021年度, the files of `data/published-lists/`, ADR 0040) and `POST /v1/imports/announcements`
(the later notices' annexes, transcribed to CSV or XLSX and named in a manifest, ADR 0041).

Each announced row becomes what the ledger's own commands would have written, and a second import
of the same files writes nothing. An import saves in chunks and takes the process's command gate
for each save only, so other commands run while it goes on (ADR 0041).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse

from api.http.deps import CommandDep, LedgerDep, MinistryDep, ProvinceDep
from api.http.idempotency import StoredAnswer
from api.http.openapi.responses import command_responses
from api.http.schemas.imports import (
    ImportReportPublic,
    ProvincialImportPublic,
    RowRefusalPublic,
)
from api.provincial_import import read_provincial_list
from api.spreadsheets import read_first_sheet
from domain.errors import InvalidInputError
from domain.loading.announcements import parse_announcements
from domain.loading.importing import import_announcements, import_published_lists
from domain.loading.published_lists import parse_published_lists
from domain.values import Level

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
        report = import_published_lists(ledger, parse_published_lists(texts), gate=command.gate)
        public = ImportReportPublic.of(report)
        status = 201 if report.written else 200
        return StoredAnswer(status, public.model_dump(mode="json")), report.written

    return command.answer_once(digest, run_import, in_chunks=True)


@router.post(
    "/announcements",
    status_code=201,
    response_model=ImportReportPublic,
    responses={
        **command_responses(),
        200: {"model": ImportReportPublic, "description": "已导入过 Nothing new: nothing written"},
    },
    summary="导入公告附件 Import later announcements (lists, 移出名单, 更名名单)",
)
def import_notices(
    files: Annotated[
        list[UploadFile],
        File(
            description="announcements.csv (the manifest: 文号, 时间, 年度, 名称, 文件 …) and the "
            "annex files it names, CSV (UTF-8) or XLSX, laid out as the official annexes."
        ),
    ],
    principal: MinistryDep,
    command: CommandDep,
    ledger: LedgerDep,
) -> JSONResponse:
    """Records each notice of the manifest as one atomic publication: its new lists listed, its
    移出名单 removed (reason texts read as reason codes), its 更名名单 renamed; answers counts per
    file and every row not imported, with file, line and reason. Ministry."""
    contents: dict[str, bytes] = {}
    for index, upload in enumerate(files[: MAX_FILES + 1]):
        if index == MAX_FILES:
            raise InvalidInputError("files", f"at most {MAX_FILES} files")
        name = PurePath(upload.filename or "").name
        if not name:
            raise InvalidInputError(
                f"files[{index}]", "a file needs its name (e.g. announcements.csv)"
            )
        contents[name] = upload.file.read()
    announcements = parse_announcements(contents, read_first_sheet)
    digest = {name: hashlib.sha256(data).hexdigest() for name, data in contents.items()}

    def run_import() -> tuple[StoredAnswer, bool]:
        report = import_announcements(ledger, announcements, gate=command.gate)
        public = ImportReportPublic.of(report)
        status = 201 if report.written else 200
        return StoredAnswer(status, public.model_dump(mode="json")), report.written

    return command.answer_once(digest, run_import, in_chunks=True)


@router.post(
    "/provincial-lists",
    status_code=201,
    response_model=ProvincialImportPublic,
    responses={
        **command_responses(),
        200: {"model": ProvincialImportPublic, "description": "已导入过 Nothing new"},
    },
    summary="导入省级/市级名单 Import a province's own list (with stars)",
)
def import_provincial_list(
    file: Annotated[
        UploadFile, File(description="The list, CSV (UTF-8) or XLSX (ADR 0143's layout).")
    ],
    year: Annotated[int, Form(description="The round's year.")],
    doc_no: Annotated[str, Form(min_length=1, max_length=200, description="公告文号")],
    published_on: Annotated[date, Form(alias="date", description="公告日期, YYYY-MM-DD.")],
    principal: ProvinceDep,
    command: CommandDep,
    ledger: LedgerDep,
    level: Annotated[Level, Form(description="provincial or municipal.")] = Level.PROVINCIAL,
    city: Annotated[str | None, Form(description="A municipal list's prefecture.")] = None,
) -> JSONResponse:
    """A province's own list as announced, with its stars: registered, nominated in its round and
    listed in one atomic publication on the announcement date (as announced, not re-decided),
    then rated; rows not imported answered with line and reason. Province (own region)."""
    assert principal.region is not None
    content = file.file.read()
    announced = read_provincial_list(
        content,
        PurePath(file.filename or "list.csv").name,
        level=level,
        region=principal.region.code,
        city=city or None,
        year=year,
        doc_no=doc_no,
        published_on=published_on,
    )
    digest = {
        "file": hashlib.sha256(content).hexdigest(),
        "where": [level.value, principal.region.code, city, year, doc_no, str(published_on)],
    }

    def run_import() -> tuple[StoredAnswer, bool]:
        report = ledger.import_provincial_list(announced, actor=principal.actor)
        public = ProvincialImportPublic(
            listed=report.listed,
            already_listed=report.already_listed,
            stars_rated=report.stars_rated,
            refused=[RowRefusalPublic(**vars(r)) for r in report.refused],
            position=report.position,
            written=report.written,
        )
        return StoredAnswer(201 if report.written else 200, public.model_dump()), report.written

    return command.answer_once(digest, run_import)
