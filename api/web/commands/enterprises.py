"""The enterprise's forms on its unit's page: a credit incident (工信厅节函〔2022〕235号 一、二: the
negative list and DYN-3), the end of a continuing condition (NEG-1, NEG-5, NEG-6), the end of an
energy-saving rectification (NEG-5), the credit code and a new name. The province of the
enterprise's region and the ministry may give them."""

from __future__ import annotations

from api.http.auth import Role
from api.http.schemas.enterprises import (
    CreditCodeAssignment,
    EnterpriseRename,
    IncidentCreate,
    IncidentEnd,
    RectificationCompletion,
)
from api.web.commands.form import (
    Choice,
    CommandForm,
    Draft,
    FormField,
    Raw,
    Subject,
    coded_choices,
    put,
    reference,
    text,
)
from domain.enterprise import IncidentRecord
from domain.values import IncidentGrade, IncidentKind, IncidentSource

WRITERS = frozenset({Role.PROVINCE, Role.MINISTRY})


def _incident_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    for name in ("kind", "grade", "occurred_on", "source"):
        put(draft, raw, name)
    found = reference(raw, "reference")
    if found:
        draft.body["reference"] = found


INCIDENT = CommandForm(
    name="incident",
    zh="记录信用事件",
    en="Record a credit incident",
    roles=WRITERS,
    schema=IncidentCreate,
    offered=lambda s: s.enterprise is not None,
    fields=lambda s: [
        FormField("kind", "事件类型", "Kind", "select", True, coded_choices(IncidentKind)),
        FormField(
            "grade",
            "事故等级（事故填写）",
            "Grade (accidents)",
            "select",
            choices=coded_choices(IncidentGrade),
        ),
        FormField("occurred_on", "发生日期", "Occurred on", "date", required=True),
        FormField("source", "信息来源", "Source", "select", True, coded_choices(IncidentSource)),
        FormField("reference.doc_no", "来源文号", "Source document number"),
        FormField("reference.title", "来源标题", "Source title"),
        FormField("reference.url", "来源网址", "Source URL"),
    ],
    to_body=_incident_body,
    run=lambda ledger, s, body, draft, p: ledger.record_incident(
        s.enterprise_id,
        kind=body.kind,
        grade=body.grade,
        occurred_on=body.occurred_on,
        source=body.source,
        reference=body.reference.to_domain(),
        provenance=p,
    ),
    creates=True,
)


def _open_rectifications(subject: Subject) -> list[IncidentRecord]:
    if subject.enterprise is None:
        return []
    return [
        incident
        for incident in subject.enterprise.incidents.values()
        if incident.kind is IncidentKind.ENERGY_RECTIFICATION_OVERDUE
        and incident.standing
        and incident.end is None
    ]


def _rectification_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    _chosen_incident(raw, draft, _open_rectifications(subject))


RECTIFICATION = CommandForm(
    name="rectification",
    zh="整改完成",
    en="Rectification completed",
    roles=WRITERS,
    schema=RectificationCompletion,
    offered=lambda s: bool(_open_rectifications(s)),
    fields=lambda s: [
        FormField(
            "incident_id",
            "待整改事件",
            "Incident",
            "select",
            True,
            tuple(
                Choice(str(i.incident_id), f"节能监察整改 {i.occurred_on}", str(i.occurred_on))
                for i in _open_rectifications(s)
            ),
        )
    ],
    to_body=_rectification_body,
    run=lambda ledger, s, body, draft, p: ledger.complete_rectification(
        s.enterprise_id, draft.path["incident_id"], provenance=p
    ),
)


def _continuing(subject: Subject) -> list[IncidentRecord]:
    """The continuing conditions (NEG-1, NEG-5, NEG-6) still going on."""
    if subject.enterprise is None:
        return []
    return [
        incident
        for incident in subject.enterprise.incidents.values()
        if incident.kind.is_continuing and incident.standing and incident.end is None
    ]


def _chosen_incident(raw: Raw, draft: Draft, choices: list[IncidentRecord]) -> None:
    chosen = text(raw, "incident_id")
    known = {str(incident.incident_id): incident for incident in choices}
    if chosen not in known:
        draft.errors["incident_id"] = ("请选择事件", "choose the incident")
    else:
        draft.path["incident_id"] = known[chosen].incident_id


def _end_body(raw: Raw, subject: Subject, draft: Draft) -> None:
    _chosen_incident(raw, draft, _continuing(subject))
    put(draft, raw, "ended_on")


INCIDENT_END = CommandForm(
    name="incident-end",
    zh="持续状态结束",
    en="End a continuing condition",
    roles=WRITERS,
    schema=IncidentEnd,
    offered=lambda s: bool(_continuing(s)),
    fields=lambda s: [
        FormField(
            "incident_id",
            "持续状态",
            "Condition",
            "select",
            True,
            tuple(
                Choice(
                    str(i.incident_id),
                    f"{i.kind.label_zh}（自 {i.occurred_on}）",
                    f"{i.kind.value} since {i.occurred_on}",
                )
                for i in _continuing(s)
            ),
        ),
        FormField("ended_on", "结束日期", "Ended on", "date", required=True),
    ],
    to_body=_end_body,
    run=lambda ledger, s, body, draft, p: ledger.end_incident(
        s.enterprise_id, draft.path["incident_id"], ended_on=body.ended_on, provenance=p
    ),
)

CREDIT_CODE = CommandForm(
    name="credit-code",
    zh="登记统一社会信用代码",
    en="Assign the credit code",
    roles=WRITERS,
    schema=CreditCodeAssignment,
    offered=lambda s: s.enterprise is not None and s.enterprise.uscc is None,
    fields=lambda s: [FormField("uscc", "统一社会信用代码", "Credit code", required=True)],
    to_body=lambda raw, s, draft: put(draft, raw, "uscc"),
    run=lambda ledger, s, body, draft, p: ledger.assign_credit_code(
        s.enterprise_id, uscc=body.uscc, provenance=p
    ),
)

RENAME = CommandForm(
    name="rename",
    zh="更名",
    en="Rename",
    roles=WRITERS,
    schema=EnterpriseRename,
    offered=lambda s: s.enterprise is not None,
    fields=lambda s: [FormField("name", "新名称", "New name", required=True)],
    to_body=lambda raw, s, draft: put(draft, raw, "name"),
    run=lambda ledger, s, body, draft, p: ledger.rename_enterprise(
        s.enterprise_id, name=body.name, provenance=p
    ),
)

ENTERPRISE_FORMS = (INCIDENT, INCIDENT_END, RECTIFICATION, CREDIT_CODE, RENAME)
