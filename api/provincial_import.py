"""Reading a province's announced list from an upload (CSV or XLSX) into the domain's
`ProvincialList` (ADR 0143): shared by `greenledger import provincial-list` and
`POST /v1/imports/provincial-lists`."""

from __future__ import annotations

import csv
from datetime import date

from api.spreadsheets import read_first_sheet
from domain.errors import InvalidInputError
from domain.tiers.cities import check_region_for, check_tier
from domain.tiers.importing import ProvincialList, parse_list_rows, read_csv_rows
from domain.values import Level, Reference, Round


def read_provincial_list(
    content: bytes,
    filename: str,
    *,
    level: str | Level,
    region: str,
    city: str | None,
    year: int,
    doc_no: str,
    published_on: date,
    title: str | None = None,
) -> ProvincialList:
    """The announcement's rows and where they belong; bad input refused naming its field."""
    the_level = Level.parse(level, "level")
    if the_level is Level.NATIONAL:
        raise InvalidInputError("level", "the national list is imported as announcements")
    the_region = check_region_for(the_level, region)
    assert the_region is not None
    the_city = check_tier(the_level, the_region, city)
    Round.of(year, "year")
    if not doc_no.strip():
        raise InvalidInputError("doc_no", "the announcement needs its number (文号)")
    try:
        if filename.lower().endswith(".xlsx"):
            rows = read_first_sheet(content)
        else:
            rows = read_csv_rows(content)
    except (ValueError, UnicodeDecodeError, csv.Error) as error:
        raise InvalidInputError("file", f"{filename} is neither UTF-8 CSV nor XLSX") from error
    parsed, refused = parse_list_rows(rows)
    return ProvincialList(
        level=the_level,
        region=the_region,
        city=the_city,
        batch_year=year,
        announcement=Reference(doc_no=doc_no.strip(), title=title),
        published_on=published_on,
        rows=parsed,
        refused=refused,
    )
