"""The pages' words, in Chinese (the default) and English (the toggle).

Codes (categories, levels, statuses, regions) take their Chinese labels from `domain.values`, as
the exports do; the English ones are the region's English name or the code in words.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from api.web.audit_words import AUDIT_WORDS
from domain.errors import LedgerError
from domain.tiers.cities import City
from domain.tiers.stars import stars_en, stars_zh
from domain.values import (
    Category,
    Coded,
    FilingOutcome,
    Level,
    ListingStatus,
    Region,
    RemovalReason,
)
from readside.decisions.explanations import actor_labels


class Language(enum.StrEnum):
    ZH = "zh"
    EN = "en"

    @classmethod
    def parse(cls, text: str | None) -> Language | None:
        try:
            return cls(text) if text else None
        except ValueError:
            return None


WORDS: dict[str, tuple[str, str]] = {
    "app": ("绿色制造名单动态管理台账", "Green List Ledger"),
    "nav.list": ("名单", "The list"),
    "nav.over_time": ("历年变化", "Over time"),
    "nav.province": ("省级待办", "Province work"),
    "nav.audit": ("审计工作台", "Audit desk"),
    "nav.sign_in": ("登录", "Sign in"),
    "nav.sign_out": ("退出", "Sign out"),
    "nav.signed_in_as": ("当前身份", "Signed in as"),
    "nav.language": ("English", "中文"),
    "list.title": ("绿色制造名单", "The green manufacturing list"),
    "list.as_of": ("名单日期", "List on"),
    "list.known_at": ("已知时点", "As known at"),
    "list.known_at.hint": (
        "可选，RFC 3339，如 2024-01-01T00:00:00Z；需登录",
        "optional, RFC 3339, e.g. 2024-01-01T00:00:00Z; needs sign-in",
    ),
    "list.region": ("地区", "Region"),
    "list.category": ("类别", "Category"),
    "list.level": ("级别", "Level"),
    "list.stars": ("星级", "Stars"),
    "list.green_code": ("企业绿码", "Green code"),
    "col.stars": ("星级", "Stars"),
    "col.green_code": ("企业绿码", "Green code"),
    "unit.stars": ("星级", "Stars"),
    "unit.star_history": ("星级记录", "Star ratings"),
    "unit.city": ("城市", "City"),
    "list.status": ("状态", "Status"),
    "list.q": ("名称", "Name"),
    "list.page_size": ("每页", "Per page"),
    "list.any": ("全部", "All"),
    "list.on_list": ("在名单（默认）", "On the list (default)"),
    "list.show": ("查询", "Show"),
    "list.reset": ("重置", "Reset"),
    "list.total": ("共 {total} 个单位", "{total} units"),
    "list.page_of": ("第 {page} / {pages} 页", "Page {page} of {pages}"),
    "list.previous": ("上一页", "Previous"),
    "list.next": ("下一页", "Next"),
    "list.export_xlsx": ("导出 Excel", "Export XLSX"),
    "list.export_csv": ("导出 CSV", "Export CSV"),
    "list.empty": ("没有符合条件的单位。", "No unit matches."),
    "list.q.hint": (
        "名称的一部分，或18位统一社会信用代码",
        "Part of a name, or an 18-character credit code",
    ),
    "list.jump": ("跳至", "Go to page"),
    "list.go": ("跳转", "Go"),
    "lookup.title": ("查询结果：{asked}（{on}）", "Found for {asked} (on {on})"),
    "lookup.none": (
        "没有找到该信用代码或名称的单位。",
        "No unit bears or bore this credit code or name.",
    ),
    "lookup.matched.uscc": ("按统一社会信用代码", "by credit code"),
    "lookup.matched.registered": ("按登记名称", "by its registered name"),
    "lookup.matched.renamed": ("按名称", "by a name it took"),
    "lookup.matched.alias": ("按别名", "by another name documents give it"),
    "lookup.former": ("曾用名", "Former names"),
    "lookup.aliases": ("别名", "Also known as"),
    "lookup.removed": (
        "已于{day}移出名单，原因：{reasons}；依据：{notice}",
        "Removed from the list on {day} for: {reasons}; by: {notice}",
    ),
    "lookup.no_units": ("该日期没有可公开的单位。", "No published unit on this day."),
    "col.uscc": ("统一社会信用代码", "Credit code"),
    "col.product": ("产品名称", "Product"),
    "col.model": ("型号", "Model"),
    "col.standard": ("评价标准", "Standard"),
    "list.errors": ("查询条件有误：", "The query is not valid:"),
    "col.name": ("名称", "Name"),
    "col.region": ("地区", "Region"),
    "col.category": ("类别", "Category"),
    "col.level": ("级别", "Level"),
    "col.batch": ("批次", "Batch"),
    "col.status": ("状态", "Status"),
    "col.listed_on": ("列入日期", "Listed on"),
    "col.removed_on": ("移出日期", "Removed on"),
    "badge.synthetic": ("示例·虚构", "Fictitious"),
    "badge.synthetic.title": (
        "演示用的虚构单位，并非真实企业或园区",
        "A fictitious unit of the demo, not a real organisation",
    ),
    "unit.state": ("状态与标记", "Status and flags"),
    "unit.as_of": ("日期", "On"),
    "unit.since": ("自", "Since"),
    "unit.product": ("产品", "Product"),
    "unit.flags": ("标记", "Flags"),
    "unit.no_flags": ("无", "None"),
    "flag.barred_until": ("禁止申报至", "Barred until"),
    "flag.filing_overdue": ("动态管理表逾期", "Filing overdue"),
    "flag.rectification_pending": ("待整改", "Rectification pending"),
    "flag.renamed": ("已更名", "Renamed"),
    "unit.latest_filing": ("最近一次动态管理表", "Latest filing"),
    "unit.explanation": ("为何如此", "Why it has this status"),
    "unit.deciding": ("决定", "Decision"),
    "unit.decided_by": ("决定机关", "Decided by"),
    "unit.effective_on": ("生效日期", "Effective on"),
    "unit.recorded_at": ("记录时间", "Recorded at"),
    "unit.rulebook": ("规则版本", "Rulebook"),
    "unit.reasons": ("理由", "Reasons"),
    "unit.announcement": ("公告", "Announcement"),
    "unit.basis": ("依据文件", "Documents"),
    "unit.rules": ("规则与事实", "Rules and facts"),
    "unit.rule": ("规则", "Rule"),
    "unit.citation": ("出处", "Citation"),
    "unit.applies": ("适用", "Applies"),
    "unit.not_applies": ("不适用", "Does not apply"),
    "unit.facts": ("所依据的事实", "The facts it rests on"),
    "unit.no_facts": ("（无）", "(none)"),
    "unit.grounds": ("仍在名单的理由", "Why it is still on the list"),
    "unit.record": ("全部决定", "Every decision"),
    "unit.timeline": ("时间线", "Timeline"),
    "unit.event": ("事件", "Event"),
    "unit.actor": ("操作方", "Actor"),
    "unit.rescinded": ("已撤销", "Rescinded"),
    "unit.no_document": ("（无文件）", "(no document)"),
    "over.title": ("名单历年变化", "The list over time"),
    "over.on_list": (
        "年末在名单单位数（按类别）",
        "Units on the list at each year's end, by category",
    ),
    "over.removed": ("每年移出单位数", "Units removed each year"),
    "over.year": ("年份", "Year"),
    "over.total": ("合计", "Total"),
    "over.from": ("起始年", "From"),
    "over.to": ("截止年", "To"),
    "province.title": ("省级待办", "Province work"),
    "province.all_regions": ("全部地区", "Every region"),
    "province.flagged": ("待核查", "Flagged"),
    "province.overdue": ("动态管理表逾期", "Filing overdue"),
    "province.awaiting": ("等待决定", "Awaiting a decision"),
    "province.none": ("无。", "None."),
    "province.overdue_years": ("逾期年度", "Overdue years"),
    "nav.queue": ("审核队列", "Review queue"),
    "nav.indicators": ("指标目录", "Indicators"),
    "nav.pass_rates": ("评价机构通过率", "Evaluators' pass rates"),
    "queue.title": ("审核队列", "Review queue"),
    "queue.year": ("{year}年度", "report year {year}"),
    "queue.report_year": ("报告年度", "Report year"),
    "queue.deadline": (
        "本年度动态管理表截止日期：{deadline}",
        "The year's tables are due on {deadline}",
    ),
    "queue.export": ("导出审核队列 Excel", "Export the queue (XLSX)"),
    "queue.summary": ("动态管理汇总表 Excel", "Year summary (XLSX)"),
    "queue.nominations": ("{year}年度推荐汇总表 Excel", "Nominations of {year} (XLSX)"),
    "queue.template": ("下载{year}年度动态管理表模板", "Download the {year} template"),
    "queue.upload": ("批量上传动态管理表", "Upload the tables"),
    "queue.filed_on": ("填报日期", "Filed on"),
    "queue.outcome": ("审核结论", "Outcome"),
    "queue.act.submitted": ("审核", "Review"),
    "queue.act.overdue": ("代为填报", "File"),
    "queue.act.decide": ("办理", "Act"),
    "upload.title": ("批量上传动态管理表", "Upload the dynamic management tables"),
    "upload.how": (
        "下载模板，按类别工作表填写本年度数值，上传后先预览，确认无误再提交；同一文件再次提交不会重复写入。",
        (
            "Download the template, fill in the year's values, upload to preview, then commit; "
            "the same file again writes nothing."
        ),
    ),
    "upload.file": ("动态管理表文件（.xlsx）", "Tables (.xlsx)"),
    "upload.preview": ("上传并预览", "Upload and preview"),
    "upload.previewed": ("预览（尚未写入）", "Preview (nothing written yet)"),
    "upload.committed": ("已提交", "Committed"),
    "upload.would_write": ("可写入", "Would be written"),
    "upload.written": ("已写入", "Written"),
    "upload.unchanged": ("已记录，未重复写入", "Already recorded, not written again"),
    "upload.refused": ("被拒绝", "Refused"),
    "upload.empty": ("未填写", "Not filled in"),
    "upload.refused_rows": ("被拒绝的行", "Refused rows"),
    "upload.sheet": ("工作表", "Sheet"),
    "upload.row": ("行", "Row"),
    "upload.column": ("列", "Column"),
    "upload.rule": ("规则", "Rule"),
    "upload.message": ("原因", "Why"),
    "upload.outcome": ("结果", "Outcome"),
    "upload.every_row": ("全部行", "Every row"),
    "upload.commit": ("提交 {count} 行", "Commit {count} rows"),
    "upload.outcome.would_write": ("可写入", "would be written"),
    "upload.outcome.written": ("已写入", "written"),
    "upload.outcome.unchanged": ("已记录", "already recorded"),
    "upload.outcome.empty": ("未填写", "not filled in"),
    "upload.outcome.refused": ("被拒绝", "refused"),
    "indicators.title": ("关键指标目录", "Key indicators"),
    "indicators.about": (
        "各类别年度动态管理表（附件6–9）填报的关键指标及其计量单位。",
        "The key indicators each category's yearly table (annexes 6–9) reports, with units.",
    ),
    "indicators.name": ("指标", "Indicator"),
    "indicators.unit": ("单位", "Unit"),
    "indicators.code": ("代码", "Code"),
    "indicators.note": ("说明", "Note"),
    "rates.title": ("第三方评价机构评价通过率", "Evaluators' pass rates"),
    "rates.about": (
        "工信部公布各机构评价通过率（工信厅节函〔2022〕235号 三）。",
        "The ministry publishes each evaluator's pass rate (235号 三).",
    ),
    "rates.name": ("评价机构", "Evaluator"),
    "rates.evaluations": ("评价项目", "Evaluations"),
    "rates.passed": ("通过", "Passed"),
    "rates.blacklisted": ("黑名单", "Blacklisted"),
    "rates.yes": ("是", "yes"),
    "rates.work_report": ("最近年度工作报告", "Latest work report"),
    "commands.title": ("办理", "Actions"),
    "commands.submit": ("提交", "Submit"),
    "commands.choose": ("请选择", "Choose"),
    "commands.required": ("必填", "required"),
    "commands.done": (
        "已记录：{what}。下方为记录后的状态。",
        "Recorded: {what}. The page shows the state after it.",
    ),
    "assessor.title": ("第三方评价机构", "Third-party assessor"),
    "assessor.workload": ("评价工作量", "Workload"),
    "assessor.cap": ("上限", "Cap"),
    "assessor.used": ("合并计数", "Counted together"),
    "assessor.by_group": ("同一法人（含关联机构）本批次", "the group in this round"),
    "assessor.by_representative": (
        "法定代表人{name}的机构本年度",
        "the bodies of legal representative {name} this year",
    ),
    "assessor.by_itself": (
        "本机构本年度（法定代表人未登记）",
        "this body alone this year (its legal representative is not recorded)",
    ),
    "assessor.not_capped": ("非国家级，不设上限", "below national: not capped"),
    "assessor.pass_rate": ("通过率", "Pass rate"),
    "assessor.cited": ("待确认的评价", "Evaluations awaiting confirmation"),
    "assessor.cited.note": (
        "推荐单位引用了本机构的以下评价。经本机构确认后方计入评价项目数量上限；未确认的不计入。",
        (
            "Provinces cited these evaluations of yours. They count toward your cap only once "
            "you confirm them; unconfirmed ones count toward nothing."
        ),
    ),
    "assessor.cited.none": ("没有待确认的评价", "No evaluation awaits confirmation"),
    "assessor.cited.report": ("评价报告", "Report"),
    "assessor.cited.conclusion": ("结论", "Conclusion"),
    "assessor.cited.listing": ("名单编号", "Listing"),
    "assessor.cited.by": ("引用方", "Cited by"),
    "assessor.cited.on": ("引用日期", "Cited on"),
    "nav.assessor": ("评价机构", "Assessor"),
    "sign_in.title": ("登录", "Sign in"),
    "sign_in.token": ("令牌", "Token"),
    "sign_in.hint": (
        "令牌由 greenledger token create 生成。",
        "Tokens come from greenledger token create.",
    ),
    "sign_in.submit": ("登录", "Sign in"),
    "sign_in.refused": ("令牌无效或已撤销。", "The token is not valid or was revoked."),
    "error.title": ("无法显示", "Cannot show this"),
    "error.forbidden": ("无权限查看此页。", "You may not see this page."),
    "error.not_found": ("未找到。", "Not found."),
    "error.back": ("返回名单", "Back to the list"),
    "role.ministry": ("工信部", "Ministry"),
    "role.province": ("省级工信主管部门", "Province"),
    "role.auditor": ("审计", "Auditor"),
    "role.assessor": ("第三方评价机构", "Assessor"),
    "nav.changes": ("名单变化", "Changes"),
    "nav.verify": ("核验证书", "Verify a certificate"),
    "changes.title": ("名单变化", "How the list changed"),
    "changes.from": ("起始日期", "From"),
    "changes.to": ("截止日期", "To"),
    "changes.window": (
        "{start} 之后至 {end}（含）生效的变化，按现在所知",
        "Changes effective after {start} up to {end}, as known now",
    ),
    "changes.counts": ("汇总", "Counts"),
    "changes.listed": ("列入", "Listed"),
    "changes.removed": ("移出", "Removed"),
    "changes.renamed": ("更名", "Renamed"),
    "changes.added": ("净增（截止日在名单、起始日不在）", "Added (on the list on to, not on from)"),
    "changes.dropped": (
        "净减（起始日在名单、截止日不在）",
        "Dropped (on the list on from, not on to)",
    ),
    "changes.on_start": ("起始日在名单", "On the list on from"),
    "changes.on_end": ("截止日在名单", "On the list on to"),
    "changes.net": ("净变化", "Net"),
    "changes.export_xlsx": ("导出 Excel", "Export XLSX"),
    "changes.none": ("无。", "None."),
    "changes.previous_name": ("原名称", "Previous name"),
    "changes.date": ("日期", "Date"),
    "changes.certificate": ("证书", "Certificate"),
    "certificate.title": ("名单状态证书", "Certificate of standing"),
    "certificate.proven": ("证明内容", "What it proves"),
    "certificate.not_proven": ("不证明的内容", "What it does not prove"),
    "certificate.events": (
        "所依据的事件（规范字节与包含证明）",
        "The events it rests on (canonical bytes, inclusion proofs)",
    ),
    "certificate.head": ("签名树头", "Signed tree head"),
    "certificate.tree_size": ("事件数", "Events"),
    "certificate.root": ("根哈希", "Root hash"),
    "certificate.signed_at": ("签署时间", "Signed at"),
    "certificate.key_id": ("公钥标识", "Key id"),
    "certificate.leaf_index": ("叶序号", "Leaf"),
    "certificate.download": ("下载证书（JSON）", "Download the certificate (JSON)"),
    "certificate.public_key": ("公钥", "Public key"),
    "certificate.how": (
        (
            "离线核验：greenledger verify-certificate 证书.json --public-key 公钥.pem，"
            "或在本站“核验证书”页上传。"
        ),
        (
            "Offline: greenledger verify-certificate certificate.json --public-key key.pem, "
            "or upload it on the Verify page."
        ),
    ),
    "certificate.qr": ("扫码获取证书", "Scan for the certificate"),
    "certificate.synthetic": ("虚构单位（演示）", "Fictitious unit (demo)"),
    "verify.title": ("核验证书", "Verify a certificate"),
    "verify.file": ("证书文件（JSON）", "Certificate file (JSON)"),
    "verify.submit": ("核验", "Verify"),
    "verify.key": (
        "使用本站公布的公钥核验（/v1/ledger/public-key）；请另经工信部网站核对公钥。",
        (
            "Checked with the public key this site publishes (/v1/ledger/public-key); "
            "compare it with the ministry's website."
        ),
    ),
    "verify.ok": ("核验通过", "Verified"),
    "verify.refused": ("核验未通过", "Refused"),
    "verify.no_key": (
        "本站未配置签名密钥，无法核验。",
        "This site holds no signing key: it cannot verify.",
    ),
    **AUDIT_WORDS,
}


@dataclass(frozen=True)
class Words:
    """The words of one language, for the templates: `t(key)`, and the labels of codes
    (`category`, `level`, `status`, `region`, `outcome`, `reasons`, `actor`)."""

    language: Language

    def t(self, key: str, **values: object) -> str:
        zh, en = WORDS[key]
        text = zh if self.language is Language.ZH else en
        return text.format(**values) if values else text

    def code(self, kind: type[Coded], code: str | None) -> str:
        """The label of a category, level or status code."""
        if code is None:
            return ""
        try:
            member = kind(code)
        except ValueError:
            return code
        if self.language is Language.ZH:
            return member.label_zh
        return str(member.value).replace("_", " ")

    def category(self, code: str | None) -> str:
        return self.code(Category, code)

    def level(self, code: str | None) -> str:
        return self.code(Level, code)

    def stars(self, stars: int | None) -> str:
        """三星 / 四星 / 五星 (ADR 0142), or empty."""
        return stars_zh(stars) if self.language is Language.ZH else stars_en(stars)

    def green_code(self, code: str | None, report_year: int | None) -> str:
        """企业绿码 with its report year (ADR 0151): "A+（2024年度）", or empty."""
        if code is None:
            return ""
        if report_year is None:
            return code
        if self.language is Language.ZH:
            return f"{code}（{report_year}年度）"
        return f"{code} ({report_year})"

    def city(self, code: str | None) -> str:
        """A prefecture's name (苏州市), or its code when unknown."""
        if not code:
            return ""
        found = City.find(code)
        return found.name_zh if found is not None else code

    def status(self, code: str | None) -> str:
        return self.code(ListingStatus, code)

    def outcome(self, code: str | None) -> str:
        """A filing review's outcome (符合要求 / 不符合要求)."""
        return self.code(FilingOutcome, code)

    def reasons(self, codes: tuple[str, ...]) -> str:
        """A removal's reason codes, in words."""
        return ("、" if self.language is Language.ZH else ", ").join(
            self.code(RemovalReason, code) for code in codes
        )

    def region(self, code: str | None) -> str:
        if code is None:
            return ""
        try:
            region = Region.of(code)
        except LedgerError:
            return code
        return region.name_zh if self.language is Language.ZH else region.name_en

    def actor(self, code: str) -> str:
        """Who an event's actor code names (`province:320000` → 江苏省工业和信息化主管部门)."""
        return self.pick(*actor_labels(code))

    def pick(self, zh: str, en: str) -> str:
        """One of a pair the read models hold in both languages."""
        return zh if self.language is Language.ZH else en

    @property
    def colon(self) -> str:
        """What follows a label: the full-width colon in Chinese, ": " in English."""
        return "：" if self.language is Language.ZH else ": "
