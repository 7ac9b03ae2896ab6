"""What each category must put forward (工信厅节函〔2022〕235号 一（一）–（四）), and the rounds'
scope.

- FAC-1 the evaluation reports of a green factory: a self-evaluation and a third-party evaluation
  (235号 一（一）, GB/T 36132-2018); a self-evaluation or a third-party evaluation (13号 第十条);
  the self-evaluation alone (390号, the 2025 round).
- FAC-2 energy efficiency at the benchmark (标杆) level in key energy-using industries, else at
  the advanced value. What the ledger can check: the `energy_benchmark_class` indicator the
  nomination carries (benchmark / advanced / baseline / below), against the class the
  enterprise's industry requires (`Rulebook.key_energy_industries`). The comparison with the
  region's existing green factories needs the whole list (the read side), not the facts of one
  nomination, and is left to the province's review.
- DES-1 a green design product names its evaluation standard and carries a self-evaluation report.
  The published list of standards is not held by the ledger: the standard must be named.
- PARK-1 a green park is provincial-level or above and its industrial value added exceeds 50 %;
  the nomination shows both (`park_level`, `industrial_value_added_share`): one not given is
  evidence missing, which falls short as much as a share too low.
- PARK-2 "原则上" at most three parks per region per year (per national batch); the ministry may
  grant a region more in a batch, recorded with its reason (Batch.ParkQuotaExceptionGranted).
- SC-1 supply-chain leaders in electronics, machinery and automotive carry the supply-chain
  indicator (`green_supplier_share`); chain leadership itself is the province's attestation.
- REC-1 the round's scope: no design products in the 2023 round (工信厅节函〔2023〕202号), only
  factories and parks from the 2025 round (390号); REC-2 a national applicant is already on the
  list of the rulebook's prerequisite level (provincial), same category: green factories from
  13号 (2024-01-19), factories and parks from 390号; it refuses (ADR 0150, amended 2026-12-04).

A requirement finding `applies` when the nomination falls short of it, as a bar applies when it
bars: a finding that applies always speaks against the decision it is recorded with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from domain.batch import Batch
from domain.listing import Listing
from domain.rules.rulebook import FactoryEvidence, Rulebook
from domain.rules.wording import bilingual, energy_class_zh
from domain.values import (
    Category,
    EvaluationConclusion,
    EventRef,
    Finding,
    Indicator,
    Level,
    ParkLevel,
    Product,
    Reference,
    ThirdPartyEvaluation,
    batch_label,
)


@dataclass(frozen=True)
class Nomination:
    """What a nomination puts forward, as the rules read it (from a command or a stored event)."""

    listing_id: UUID
    enterprise_id: UUID
    category: Category
    level: Level
    batch_year: int
    product: Product | None
    park_level: ParkLevel | None
    self_evaluation: Reference | None
    third_party_evaluation: ThirdPartyEvaluation | None
    indicators: Mapping[str, Indicator]

    @classmethod
    def of_listing(cls, listing: Listing) -> Nomination:
        """The listing's current nomination, with the evidence it was nominated on."""
        return cls(
            listing_id=listing.id,
            enterprise_id=listing.enterprise_id,
            category=listing.category,
            level=listing.level,
            batch_year=listing.batch_year,
            product=listing.product,
            park_level=listing.park_level,
            self_evaluation=listing.self_evaluation,
            third_party_evaluation=listing.third_party_evaluation,
            indicators=dict(listing.nomination_indicators),
        )


def factory_evidence(rulebook: Rulebook, nomination: Nomination) -> Finding:
    """FAC-1: the evaluation reports the rulebook asks of a green factory.

    235号 一（一）: a self-evaluation and a passing third-party evaluation; 13号 第十条: a
    self-evaluation or a passing third-party evaluation; 390号: the self-evaluation alone. A
    third-party evaluation given and not passed always falls short, except where none is asked.
    """
    evidence = rulebook.factory_evidence
    has_self = nomination.self_evaluation is not None
    evaluation = nomination.third_party_evaluation
    passing = evaluation is not None and evaluation.conclusion is EvaluationConclusion.PASS
    missing: list[tuple[str, str]] = []
    if evidence is not FactoryEvidence.EITHER and not has_self:
        missing.append(("自评价报告", "a self-evaluation report"))
    if evidence is FactoryEvidence.BOTH and evaluation is None:
        missing.append(("第三方评价报告", "a third-party evaluation report"))
    if evidence is not FactoryEvidence.SELF and evaluation is not None and not passing:
        missing.append(("通过的第三方评价结论", "a passing third-party evaluation"))
    if evidence is FactoryEvidence.EITHER and not (has_self or passing):
        missing.append(
            (
                "自评价报告或通过的第三方评价报告",
                "a self-evaluation or a passing third-party evaluation",
            )
        )
    if missing:
        return Finding(
            "FAC-1",
            True,
            detail=bilingual(
                "缺少" + "、".join(zh for zh, _ in missing),
                "lacks " + " and ".join(en for _, en in missing),
            ),
        )
    return Finding("FAC-1", False, detail=_evidence_given(evidence, has_self, passing))


def _evidence_given(evidence: FactoryEvidence, has_self: bool, passing: bool) -> str:
    if evidence is FactoryEvidence.SELF:
        return bilingual("附有自评价报告（本版规则以自评价申报）", "self-evaluation attached")
    if evidence is FactoryEvidence.BOTH:
        return bilingual(
            "附有自评价报告和第三方评价报告", "self-evaluation and third-party report attached"
        )
    given_zh = "、".join(
        text for text, present in (("自评价报告", has_self), ("第三方评价报告", passing)) if present
    )
    given_en = " and ".join(
        text
        for text, present in (("self-evaluation", has_self), ("third-party report", passing))
        if present
    )
    return bilingual(
        f"附有{given_zh}（自评价或第三方评价均可）",
        f"{given_en} attached (self-evaluation or third-party evaluation)",
    )


def energy_efficiency(rulebook: Rulebook, nomination: Nomination, industry: str | None) -> Finding:
    """FAC-2: the `energy_benchmark_class` at or better than the class the industry requires."""
    key_industry = _matches(industry, rulebook.key_energy_industries)
    required = rulebook.benchmark_class if key_industry else rulebook.advanced_class
    indicator = nomination.indicators.get("energy_benchmark_class")
    given = str(indicator.value) if indicator is not None else None
    classes = rulebook.energy_classes
    if given is None or given not in classes:
        shown = "none" if given is None else repr(given)
        return Finding(
            "FAC-2",
            True,
            detail=bilingual(
                f"未提供能效水平（energy_benchmark_class），须达到{energy_class_zh(required)}",
                f"no energy_benchmark_class ({shown}); {required} is required",
            ),
        )
    short = classes.index(given) > classes.index(required)
    whom_zh = "重点用能行业" if key_industry else "一般行业"
    return Finding(
        "FAC-2",
        short,
        detail=bilingual(
            f"能效{energy_class_zh(given)}，{whom_zh}须达到{energy_class_zh(required)}",
            f"energy class {given}; {required} required "
            f"({'key energy-using industry' if key_industry else 'other industry'})",
        ),
    )


def design_product_standard(rulebook: Rulebook, nomination: Nomination) -> Finding:
    """DES-1: the product names its evaluation standard and carries a self-evaluation report."""
    product = nomination.product
    missing_zh: list[str] = []
    missing_en: list[str] = []
    if product is None or not (product.standard or "").strip():
        missing_zh.append("适用评价标准")
        missing_en.append("the evaluation standard")
    if nomination.self_evaluation is None:
        missing_zh.append("自评价报告")
        missing_en.append("a self-evaluation report")
    if missing_zh:
        return Finding(
            "DES-1",
            True,
            detail=bilingual("缺少" + "、".join(missing_zh), "lacks " + " and ".join(missing_en)),
        )
    standard = product.standard if product is not None else ""
    return Finding(
        "DES-1",
        False,
        detail=bilingual(f"按{standard}自评价", f"self-evaluated against {standard}"),
    )


def park_conditions(rulebook: Rulebook, nomination: Nomination) -> Finding:
    """PARK-1: provincial-level or above, and value added above the share — both shown by the
    nomination: a level or a share not given is evidence missing, not a pass."""
    short_zh: list[str] = []
    short_en: list[str] = []
    if nomination.park_level not in (ParkLevel.NATIONAL, ParkLevel.PROVINCIAL):
        if nomination.park_level is None:
            short_zh.append("未提供园区级别（缺少证明材料）")
            short_en.append("no park level given: evidence missing")
        else:
            short_zh.append("园区级别须为省级及以上")
            short_en.append(
                f"park level {nomination.park_level.value}, provincial or above required"
            )
    share = _number(nomination.indicators.get("industrial_value_added_share"))
    threshold = rulebook.park_min_value_added_share
    if share is None:
        short_zh.append("未提供工业增加值占比（缺少证明材料）")
        short_en.append("no industrial value-added share given: evidence missing")
    elif share <= threshold:
        short_zh.append(f"工业增加值占比{share}%未超过{threshold}%")
        short_en.append(f"industrial value added {share} % does not exceed {threshold} %")
    if short_zh:
        return Finding("PARK-1", True, detail=bilingual("；".join(short_zh), "; ".join(short_en)))
    level = nomination.park_level.value if nomination.park_level else ""
    return Finding(
        "PARK-1",
        False,
        detail=bilingual(
            f"{level}园区，工业增加值占比{share}%（超过{threshold}%）",
            f"{level} park, industrial value added {share} % (above {threshold} %)",
        ),
    )


def parks_per_region(
    rulebook: Rulebook, nomination: Nomination, batch: Batch, region_code: str
) -> Finding:
    """PARK-2: the region's parks already nominated in this national batch are under the quota
    ("原则上"), or under it with the ministry's exceptions for the region and batch."""
    base = rulebook.parks_per_region_per_year
    if batch.level is not Level.NATIONAL:
        return Finding("PARK-2", False, detail=bilingual("省级批次不设限额", "provincial batch"))
    earlier = [
        entry
        for entry in batch.nomination_entries_from(region_code, Category.GREEN_PARK)
        if entry.listing_id != nomination.listing_id
    ]
    count = len(earlier)
    exceptions = batch.park_quota_exceptions_for(region_code)
    quota = base + sum(grant.parks for grant in exceptions)
    if count < base:
        return Finding(
            "PARK-2",
            False,
            detail=bilingual(
                f"本地区本批次第{count + 1}家园区（原则上不超过{base}家）",
                f"park {count + 1} of at most {base} from region {region_code} in this batch",
            ),
        )
    if count < quota:
        reasons = "；".join(grant.reason for grant in exceptions)
        return Finding(
            "PARK-2",
            False,
            because=tuple(EventRef(batch.id, grant.version) for grant in exceptions),
            detail=bilingual(
                f"本地区本批次第{count + 1}家园区，超出原则上限额{base}家，"
                f"经工信部同意（理由：{reasons}）",
                f"park {count + 1} from region {region_code}, beyond {base} by the ministry's "
                f"exception (reason: {reasons})",
            ),
        )
    granted_zh = f"（含工信部同意增加的{quota - base}家）" if quota > base else ""
    granted_en = f" (with {quota - base} more by the ministry's exception)" if quota > base else ""
    return Finding(
        "PARK-2",
        True,
        because=tuple(EventRef(batch.id, entry.version) for entry in earlier),
        detail=bilingual(
            f"本地区本批次已推荐{count}家园区，已达限额{quota}家{granted_zh}",
            f"region {region_code} already nominated {count} parks in this batch; at most "
            f"{quota}{granted_en}",
        ),
    )


def supply_chain_system(
    rulebook: Rulebook, nomination: Nomination, industry: str | None
) -> Finding:
    """SC-1: electronics, machinery and automotive leaders carry the supply-chain indicator."""
    indicator = rulebook.supply_chain_indicator
    if not _matches(industry, rulebook.supply_chain_system_industries):
        return Finding(
            "SC-1",
            False,
            detail=bilingual(
                "非电子、机械、汽车行业；链主地位由省级主管部门认定",
                "not electronics, machinery or automotive; chain leadership attested by the "
                "province",
            ),
        )
    if indicator not in nomination.indicators:
        return Finding(
            "SC-1",
            True,
            detail=bilingual(
                f"{industry}行业须按供应链评价指标体系申报（缺少{indicator}）",
                f"{industry}: evaluated against the supply-chain indicator system, lacks "
                f"{indicator}",
            ),
        )
    return Finding(
        "SC-1",
        False,
        detail=bilingual(
            f"{industry}行业，已按供应链评价指标体系申报",
            f"{industry}: supply-chain indicators given",
        ),
    )


def recommended_category(rulebook: Rulebook, nomination: Nomination) -> Finding:
    """REC-1: the round recommends this category (evaluated for rounds with a scope only)."""
    category = nomination.category
    scope = rulebook.recommended_in(nomination.batch_year) or frozenset(Category)
    if category in scope:
        return Finding(
            "REC-1", False, detail=bilingual(f"{category.label_zh}在推荐范围内", category.value)
        )
    return Finding(
        "REC-1",
        True,
        detail=bilingual(
            f"{batch_label(nomination.batch_year)}不推荐{category.label_zh}",
            f"{category.value} is not recommended in the {nomination.batch_year} round",
        ),
    )


def on_provincial_list(
    rulebook: Rulebook, nomination: Nomination, listings: Sequence[Listing], day: date
) -> Finding:
    """REC-2: a national nomination rests on a listing of the same category on the list of the
    rulebook's prerequisite level (the provincial list under 390号)."""
    prerequisite = rulebook.national_prerequisite or Level.PROVINCIAL
    if nomination.level is not Level.NATIONAL:
        return Finding("REC-2", False, detail=bilingual("省级推荐", "provincial nomination"))
    provincial = [
        listing
        for listing in listings
        if listing.level is prerequisite
        and listing.category is nomination.category
        and listing.listed_on_day(day)
        and listing.listed_version is not None
    ]
    if provincial:
        return Finding(
            "REC-2",
            False,
            because=tuple(
                EventRef(listing.id, listing.listed_version)
                for listing in provincial
                if listing.listed_version is not None
            ),
            detail=bilingual("已列入省级名单", "on the provincial list"),
        )
    return Finding(
        "REC-2",
        True,
        detail=bilingual(
            f"未列入省级{nomination.category.label_zh}名单",
            f"not on the provincial {nomination.category.value} list",
        ),
    )


def requirement_findings(
    rulebook: Rulebook, nomination: Nomination, industry: str | None
) -> tuple[Finding, ...]:
    """The category's requirements in force (FAC-1 and FAC-2, DES-1, PARK-1 or SC-1)."""
    findings: list[Finding] = []
    category = nomination.category
    if category is Category.GREEN_FACTORY:
        if rulebook.enforces("FAC-1"):
            findings.append(factory_evidence(rulebook, nomination))
        if rulebook.enforces("FAC-2"):
            findings.append(energy_efficiency(rulebook, nomination, industry))
    elif category is Category.GREEN_DESIGN_PRODUCT and rulebook.enforces("DES-1"):
        findings.append(design_product_standard(rulebook, nomination))
    elif category is Category.GREEN_PARK and rulebook.enforces("PARK-1"):
        findings.append(park_conditions(rulebook, nomination))
    elif category is Category.GREEN_SUPPLY_CHAIN and rulebook.enforces("SC-1"):
        findings.append(supply_chain_system(rulebook, nomination, industry))
    return tuple(findings)


def _matches(industry: str | None, keywords: Sequence[str]) -> bool:
    return industry is not None and any(word in industry for word in keywords)


def _number(indicator: Indicator | None) -> Decimal | None:
    if indicator is None:
        return None
    if isinstance(indicator.value, Decimal):
        return indicator.value
    try:
        return Decimal(str(indicator.value))
    except InvalidOperation:
        return None
