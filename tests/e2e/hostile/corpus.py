"""The hostile-input corpus: for every operation of the served OpenAPI document, bodies and query
parameters that no route may accept — NUL, control, invisible and direction characters, texts
longer than any field holds, formula and SQL- or HTML-looking values where a code, an id, a date
or a number is expected, wrong types, date-times and impossible days for dates, duplicate keys,
malformed JSON, huge numbers. Each mutates one field of the operation's own example (or of an
empty object), so every case is invalid by construction and names what it breaks."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

#: Texts no field may store (ADR 0100), whatever the field.
UNSTORABLE_TEXTS = [
    "\x00",
    "示例\x00有限公司",
    "江苏上骐\u200b集团有限公司",
    "\u200b\u200b\u200b",
    "\ufeff示例",
    "示例\u202e司公限有",
    "示例\u2066x\u2069",
    "示例\x1b[2J",
    "示例\x07\x08",
    "示例\x85",
    "示例\u2028换行",
    "示例\ue000",
    '\t=HYPERLINK("http://example.invalid")\u200b',
    "江" * 20_001,
]
#: Values that are no code, id, date or number.
NOT_A_CODE = [
    "' OR '1'='1",
    "1; DROP TABLE listings;--",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "@SUM(1+9)",
    "../../etc/passwd",
    "%00",
]
NOT_A_DATE = [
    "2023-01-01T00:00:00",
    "2023-01-01T00:00:00Z",
    "2023-02-30",
    "20230101",
    "99999-01-01",
    1672531200,
    "=TODAY()",
]
NOT_AN_INTEGER = [10**40, -(10**40), 1e308, "1e400", "NaN", "<b>1</b>", True]
WRONG_TYPES: list[Any] = [{"nested": "\x00"}, ["\x00"], None]
RAW_BODIES = [
    b'{"name": ',
    b"\xff\xfe{}",
    b"{'single': 'quotes'}",
    b'{"a": 1} trailing',
    b'{"n": ' + b"9" * 5000 + b"}",
    b"[" * 50_000 + b"]" * 50_000,
    b'{"a": 1, "a": 2}',
    b'{"basis": [{"title": "x", "title": "y"}]}',
    b"NaN",
    b'"\\u0000"',
]
NOT_AN_OBJECT: list[Any] = [[], "文本", 1, True, [{"name": "x"}]]


#: How many hostile values each body field and each query parameter is tried with.
PER_FIELD = 3
PER_PARAMETER = 3


@dataclass(frozen=True)
class Case:
    """One request of the corpus."""

    method: str
    path: str
    why: str
    body: bytes | None = None
    query: tuple[tuple[str, str], ...] = ()


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with its `$ref` (or a one-of-null's `$ref`) followed."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return resolve(document, document["components"]["schemas"][name])
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    if len(options) == 1:
        return resolve(document, options[0])
    return schema


def kind_of(document: dict[str, Any], schema: dict[str, Any]) -> str:
    """text, code, date, instant, integer, number, boolean, object, list or other."""
    found = resolve(document, schema)
    if "enum" in found:
        return "code"
    kind = found.get("type")
    form = found.get("format", "")
    if kind == "string":
        if form == "date":
            return "date"
        if form in ("date-time", "uuid", "uri") or (
            "pattern" in found and "\\u0000" not in str(found.get("pattern"))
        ):
            return "instant" if form == "date-time" else "code"
        return "text"
    if kind in ("integer", "number", "boolean", "object"):
        return str(kind)
    if kind == "array":
        return "list"
    return "other"


def hostile_values(kind: str) -> list[tuple[str, Any]]:
    """Values no field of `kind` accepts, each with what it is."""
    values: list[tuple[str, Any]] = [(f"unstorable {t[:12]!r}", t) for t in UNSTORABLE_TEXTS]
    values += [(f"wrong type {w!r}", w) for w in WRONG_TYPES if kind != "object"]
    if kind in ("code", "date", "instant", "integer", "number", "boolean"):
        values += [(f"not a code {v!r}", v) for v in NOT_A_CODE]
    if kind in ("date", "instant"):
        values += [
            (f"not a date {v!r}", v)
            for v in NOT_A_DATE
            if not (kind == "instant" and v == "2023-01-01T00:00:00Z")
        ]
    if kind in ("integer",):
        values += [(f"not an integer {v!r}", v) for v in NOT_AN_INTEGER]
    return values


def example_body(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    found = resolve(document, schema)
    examples = found.get("examples") or []
    example = examples[0] if isinstance(examples, list) and examples else None
    return dict(example) if isinstance(example, dict) else {}


def body_cases(
    document: dict[str, Any], method: str, path: str, operation: dict[str, Any]
) -> Iterator[Case]:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        for raw in RAW_BODIES[:3]:
            yield Case(method, path, f"raw body {raw[:16]!r}", raw)
        return
    schema = content["application/json"]["schema"]
    base = example_body(document, schema)
    for raw in RAW_BODIES:
        yield Case(method, path, f"raw body {raw[:16]!r}", raw)
    for value in NOT_AN_OBJECT:
        yield Case(method, path, f"not an object {value!r}", json.dumps(value).encode())
    required = resolve(document, schema).get("required", [])
    properties = resolve(document, schema).get("properties", {})
    for index, (name, property_schema) in enumerate(properties.items()):
        kind = kind_of(document, property_schema)
        usable = [(w, v) for w, v in hostile_values(kind) if v is not None or name in required]
        for why, value in sample(usable, index, PER_FIELD):
            yield Case(method, path, f"{name}: {why}", json.dumps({**base, name: value}).encode())
        if kind == "list":
            for why, value in sample(hostile_values("text"), index, 2):
                body = {**base, name: [value]}
                yield Case(method, path, f"{name}[0]: {why}", json.dumps(body).encode())


def sample(values: list[tuple[str, Any]], index: int, count: int) -> list[tuple[str, Any]]:
    """`count` of `values`, a different few for each field (so the fields of all the operations
    together try every value): the corpus stays a few thousand requests long."""
    if not values:
        return []
    start = (index * count) % len(values)
    return [values[(start + k) % len(values)] for k in range(min(count, len(values)))]


def query_cases(
    document: dict[str, Any], method: str, path: str, operation: dict[str, Any]
) -> Iterator[Case]:
    parameters = [p for p in operation.get("parameters", []) if p.get("in") == "query"]
    for index, parameter in enumerate(parameters):
        kind = kind_of(document, parameter.get("schema", {}))
        usable = [
            (why, value if isinstance(value, str) else json.dumps(value))
            for why, value in hostile_values(kind)
            if not isinstance(value, dict | list | bool) and value is not None
        ]
        # A URL holds no more than this (and a long search text is a search, not an error).
        usable = [(why, text) for why, text in usable if len(text) <= 2_000]
        for why, text in sample(usable, index + len(path), PER_PARAMETER):
            yield Case(
                method, path, f"?{parameter['name']}: {why}", query=((parameter["name"], text),)
            )
    yield Case(method, path, "?unknown parameter with NUL", query=(("x", "\x00"),))


def path_for(path: str) -> str:
    """The path with its parameters filled in: ids that exist nowhere, a year."""
    filled = path
    for name, value in (
        ("{year}", "2023"),
        ("{report_id}", str(uuid.UUID(int=7))),
    ):
        filled = filled.replace(name, value)
    while "{" in filled:
        start, end = filled.index("{"), filled.index("}")
        filled = filled[:start] + str(uuid.UUID(int=3)) + filled[end + 1 :]
    return filled


def corpus(document: dict[str, Any]) -> list[Case]:
    """Every case for every operation of `document` (the served OpenAPI document)."""
    cases: list[Case] = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            concrete = path_for(path)
            if method == "post":
                cases.extend(body_cases(document, "POST", concrete, operation))
            cases.extend(query_cases(document, method.upper(), concrete, operation))
    return cases
