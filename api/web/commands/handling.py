"""How a form's post becomes a command, and a refusal a message beside its field.

`submit` reads the posted fields, makes the API's body and validates it with the API's schema,
then runs the form's one ledger call through the API's `Command` (the viewer's principal, the
form's hidden Idempotency-Key, the process's command gate, the read side caught up after). It
answers the receipt's position, or the refusals: pydantic's by the field they name, the ledger's
by their field (bad input) or above the form (a rule, a transition), always in Chinese with the
English beside (api/http/chinese.py).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from api.http.auth import Principal
from api.http.chinese import field_message_zh, ledger_detail_zh, ledger_message_zh
from api.http.commands import Command
from api.web.commands.form import CommandForm, Draft, FormField, Subject, common_body
from domain.errors import InvalidInputError, LedgerError
from domain.ledger import Ledger

#: Where a refusal that names no field of the form is shown: above the form.
WHOLE_FORM = "_form"


@dataclass
class FormState:
    """A form as the page shows it: its fields, what was typed, the refusals, a fresh key."""

    form: CommandForm
    fields: list[FormField]
    values: dict[str, str | list[str]] = field(default_factory=dict)
    errors: dict[str, tuple[str, str]] = field(default_factory=dict)
    key: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def open(self) -> bool:
        return bool(self.errors)

    def value(self, name: str, default: str = "") -> str:
        found = self.values.get(name, default)
        return found[0] if isinstance(found, list) and found else str(found or "")

    def chosen(self, name: str) -> list[str]:
        found = self.values.get(name, [])
        return found if isinstance(found, list) else [found]


def offered(forms: Sequence[CommandForm], subject: Subject) -> list[FormState]:
    """The forms the subject's principal may give now, each with its fields laid out."""
    role = subject.principal.role
    return [
        FormState(form, form.all_fields(subject))
        for form in forms
        if role in form.roles and form.offered(subject)
    ]


def raw_fields(posted: FormData) -> dict[str, str | list[str]]:
    """The posted fields: one text each, or every value of a field given more than once."""
    found: dict[str, str | list[str]] = {}
    for name in posted:
        values = [v for v in posted.getlist(name) if isinstance(v, str)]
        found[name] = values if len(values) > 1 else (values[0] if values else "")
    return found


@dataclass(frozen=True)
class Submitted:
    """What a form's post did: the command's position, or the form to show again."""

    position: int | None
    id: str | None
    state: FormState | None


def _field_of(location: Sequence[object], names: set[str]) -> str:
    """The form's field a refusal's location names (its longest prefix that is a field)."""
    parts = [str(part) for part in location if not isinstance(part, int) and part != "body"]
    while parts:
        candidate = ".".join(parts)
        if candidate in names:
            return candidate
        parts.pop()
    return WHOLE_FORM


def _schema_errors(error: ValidationError, names: set[str]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for problem in error.errors():
        where = _field_of(problem.get("loc", ()), names)
        english = str(problem.get("msg", "")).removeprefix("Value error, ")
        found.setdefault(where, (field_message_zh(problem), english))
    return found


def _ledger_errors(error: LedgerError, names: set[str]) -> dict[str, tuple[str, str]]:
    if isinstance(error, InvalidInputError):
        where = _field_of(error.field.split("."), names)
        if where != WHOLE_FORM:
            return {where: (ledger_message_zh(error), error.reason)}
    return {WHOLE_FORM: (ledger_detail_zh(error), error.message)}


def submit(
    request: Request,
    principal: Principal,
    form: CommandForm,
    subject: Subject,
    raw: Mapping[str, str | list[str]],
) -> Submitted:
    """Run the form's command once for this post; the position, or the refusals."""
    state = FormState(form, form.all_fields(subject), dict(raw))
    names = {f.name for f in state.fields}
    draft = Draft()
    form.to_body(raw, subject, draft)
    if form.common:
        common_body(raw, draft)
    state.errors.update(draft.errors)
    try:
        body = form.schema.model_validate(draft.body)
    except ValidationError as error:
        state.errors = {**_schema_errors(error, names), **state.errors}
        return Submitted(None, None, state)
    if state.errors:
        return Submitted(None, None, state)
    ledger: Ledger = request.app.state.ledger
    command = page_command(request, principal, ledger, raw)
    try:
        answer = command.run(
            body,
            lambda p: form.run(ledger, subject, body, draft, p),
            creates=form.creates,
            effective_on=form.effective_on(body),
        )
    except LedgerError as error:
        state.errors = _ledger_errors(error, names)
        return Submitted(None, None, state)
    receipt: dict[str, Any] = json.loads(bytes(answer.body))
    return Submitted(int(receipt["position"]), receipt.get("id"), None)


def page_command(
    request: Request, principal: Principal, ledger: Ledger, raw: Mapping[str, Any]
) -> Command:
    key = raw.get("idempotency_key")
    state = request.app.state
    return Command(
        request=request,
        principal=principal,
        ledger=ledger,
        keys=state.idempotency_keys,
        stored=state.read_side.stored if state.read_side is not None else None,
        idempotency_key=key if isinstance(key, str) and 0 < len(key) <= 255 else None,
        gate=state.gate,
    )
