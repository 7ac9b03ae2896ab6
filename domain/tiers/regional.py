"""The provinces' own parameters (实施细则) for their provincial and municipal lists, as data.

`domain/data/provincial_rules.csv` holds one row per region and parameter, with the instrument
it comes from, the citation as the text is divided (never a guessed article number), and whether
it is `verified` against regulation.md or `unverified` (a default the rulebook applies and says it
could not check). The parameters the ledger applies to a region's own lists (never to the
national list, which 工信部节〔2024〕13号 governs alone):

- `filing_deadline` (MM-DD): the day the yearly table (动态管理表) of a unit on the region's lists
  is due, instead of 13号's 15 April (e.g. 黑龙江 30 March);
- `removal_bar_years`: how long a removal from the region's lists bars the unit from them
  (e.g. 山东 three years);
- `stars`: the star levels the region rates its lists with (documentation: any provincial or
  municipal listing may be rated 3, 4 or 5; the scheme shows what the region uses).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from domain.values import Level, Region


@dataclass(frozen=True)
class RegionalParameter:
    region: str
    parameter: str
    value: str
    instrument: str
    citation: str
    verified: bool
    note: str

    @property
    def cited(self) -> str:
        """The citation as findings print it, saying when it could not be checked."""
        mark = "" if self.verified else "（未核实 unverified）"
        return f"《{self.instrument}》{self.citation}{mark}"


@cache
def regional_parameters() -> tuple[RegionalParameter, ...]:
    text = (
        resources.files("domain").joinpath("data/provincial_rules.csv").read_text(encoding="utf-8")
    )
    return tuple(
        RegionalParameter(
            region=row["region"],
            parameter=row["parameter"],
            value=row["value"],
            instrument=row["instrument"],
            citation=row["citation"],
            verified=row["status"] == "verified",
            note=row["note"],
        )
        for row in csv.DictReader(text.splitlines())
    )


def parameter(region: Region | str, name: str) -> RegionalParameter | None:
    code = region.code if isinstance(region, Region) else region
    for each in regional_parameters():
        if each.region == code and each.parameter == name:
            return each
    return None


def own_filing_deadline(level: Level, region: Region, report_year: int) -> tuple[date, str] | None:
    """The region's own due date of `report_year`'s table for a unit on its lists, with its
    citation; None when the unit is on the national list or the region sets no date."""
    if level is Level.NATIONAL:
        return None
    found = parameter(region, "filing_deadline")
    if found is None:
        return None
    month, day = (int(part) for part in found.value.split("-"))
    return date(report_year + 1, month, day), found.cited


def own_bar_years(level: Level, region: Region) -> tuple[int, str] | None:
    """How many years a removal from the region's own lists bars a unit from them, with its
    citation; None for the national list or when the region sets none."""
    if level is Level.NATIONAL:
        return None
    found = parameter(region, "removal_bar_years")
    return (int(found.value), found.cited) if found is not None else None
