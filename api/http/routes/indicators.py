"""`GET /v1/indicators?category=`: the catalogue of key indicators (关键指标) a filing names.

工信厅节函〔2022〕235号 二: listed units file their key green-manufacturing indicators each year in
the dynamic management table of their category (附件6–9). The codes, Chinese names and units are
those of `indicators.csv`; a filing must use exactly these units. Public: it is reference data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.http.responses import query_responses
from domain.values import Category, IndicatorDefinition, indicator_definitions

router = APIRouter(prefix="/v1/indicators", tags=["indicators 指标"])


class IndicatorPublic(BaseModel):
    """One key indicator: its code, Chinese name, unit and the categories that file it."""

    code: str = Field(examples=["energy_per_unit_product"])
    name_zh: str = Field(examples=["单位产品综合能耗"])
    unit: str = Field(examples=["kgce/t"])
    categories: list[Category]
    note: str = ""


class IndicatorCatalogue(BaseModel):
    """The indicators of one category (or of all), in the order of indicators.csv."""

    category: Category | None
    items: list[IndicatorPublic]


def catalogue(category: Category | None) -> list[IndicatorDefinition]:
    """The indicators a category files (every indicator for None), in the catalogue's order."""
    return [
        definition
        for definition in indicator_definitions().values()
        if category is None or category in definition.categories
    ]


@router.get(
    "",
    response_model=IndicatorCatalogue,
    responses=query_responses(),
    summary="指标目录 The indicator catalogue",
)
def read_indicators(
    category: Annotated[
        Category | None, Query(description="Only the indicators this category files.")
    ] = None,
) -> IndicatorCatalogue:
    """Every key indicator with its Chinese name and unit (indicators.csv), or those of one
    category's dynamic management table. Anyone."""
    return IndicatorCatalogue(
        category=category,
        items=[
            IndicatorPublic(
                code=d.code,
                name_zh=d.name_zh,
                unit=d.unit,
                categories=sorted(d.categories, key=lambda c: list(Category).index(c)),
                note=d.note,
            )
            for d in catalogue(category)
        ],
    )
