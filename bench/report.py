"""The results table of docs/benchmarks.md, generated from var/bench/results.json.

    python -m bench.report [--results var/bench/results.json] [--write docs/benchmarks.md]

Prints the markdown (machine, date, scale, then value / baseline / ratio / target / met for
every result); with `--write`, replaces the part of the document between the two markers
`<!-- results:begin -->` and `<!-- results:end -->`, so the numbers are never typed by hand.
"""

from __future__ import annotations

import argparse
import json
import operator
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"


@dataclass(frozen=True)
class Target:
    """A target of issue 7: on the value or on the ratio, at least or at most a threshold."""

    on: str  # "value" or "ratio"
    compare: Callable[[float, float], bool]
    threshold: float
    text: str

    def met(self, figures: dict[str, Any]) -> bool | None:
        measured = figures.get(self.on)
        return None if measured is None else self.compare(measured, self.threshold)


#: By the name of a result without its store.
TARGETS = {
    "ingest": Target("ratio", operator.ge, 0.7, "≥ 0.7× bare"),
    "rebuild": Target("ratio", operator.ge, 0.5, "≥ 0.5× bare read (issue 20; 0.3× before)"),
    "list.p50": Target("value", operator.le, 50.0, "≤ 50 ms"),
    "http.p99": Target("value", operator.le, 50.0, "≤ 50 ms"),
    "http.p50": Target("value", operator.le, 10.0, "≤ 10 ms"),
    "http.errors": Target("value", operator.le, 0.0, "0"),
    "http2.throughput": Target("ratio", operator.ge, 1.5, "≥ 1.5× one process"),
    "http2.errors": Target("value", operator.le, 0.0, "0"),
    "command.p50": Target("value", operator.le, 3.0, "≤ 3 ms"),
    "http_worker.p99": Target("value", operator.le, 50.0, "≤ 50 ms"),
    "http_worker.p50": Target("value", operator.le, 10.0, "≤ 10 ms"),
    "http_worker.errors": Target("value", operator.le, 0.0, "0"),
    "command_worker.p50": Target("value", operator.le, 3.0, "≤ 3 ms"),
    "import": Target("value", operator.le, 10.0, "≤ 10 s"),
    "replay.seconds": Target("value", operator.le, 60.0, "≤ 60 s (at 50,000 listings)"),
}


def target_of(name: str) -> Target | None:
    return TARGETS.get(name.split(".", 1)[1] if "." in name else name)


def render(document: dict[str, Any]) -> str:
    machine = document["machine"]
    scale = document["scale"]
    lines = [
        f"Run of {document['date']}, {scale['listings']:,} listings (seed {scale['seed']}"
        + (", --quick" if scale.get("quick") else "")
        + f"), {document.get('seconds', '?')} s in all.",
        "",
        (
            f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB "
            f"RAM; {machine['os']}; Python {machine['python']}; SQLite {machine['sqlite']}; "
            f"PostgreSQL {machine['postgresql'] or 'not run'}."
        ),
        "",
    ]
    for store, reason in document.get("skipped", {}).items():
        lines += [f"**{store} skipped**: {reason}.", ""]
    lines += [
        "| result | value | unit | baseline | ratio | target | met |",
        "|---|---:|---|---:|---:|---|---|",
    ]
    for name, figures in document["results"].items():
        target = target_of(name)
        met = target.met(figures) if target is not None else None
        lines.append(
            f"| `{name}` | {_number(figures['value'])} | {figures['unit']} | "
            f"{_number(figures['baseline'])} | {_number(figures['ratio'], ratio=True)} | "
            f"{target.text if target else ''} | "
            f"{'' if target is None else '—' if met is None else 'yes' if met else '**no**'} |"
        )
    lines += _http_by_kind(document.get("measurements", {}))
    return "\n".join(lines) + "\n"


def _http_by_kind(measurements: dict[str, Any]) -> list[str]:
    """HTTP latency by kind of call, served and in-process, from the raw measurements."""
    rows = []
    for label, figures in measurements.items():
        if "by_kind" not in figures or not label.endswith("clients"):
            continue
        store = label.split()[0]
        direct = measurements.get(f"{store} http: in-process", {}).get("by_kind", {})
        for kind, served in sorted(figures["by_kind"].items()):
            inside = direct.get(kind, {})
            rows.append(
                f"| {store} | {kind} | {served['count']} | {_number(served['p50_ms'])} / "
                f"{_number(served['p99_ms'])} | {_number(inside.get('p50_ms'))} / "
                f"{_number(inside.get('p99_ms'))} |"
            )
    if not rows:
        return []
    return [
        "",
        "HTTP latency by kind of call, ms (p50 / p99):",
        "",
        "| store | call | calls | over HTTP | in-process |",
        "|---|---|---:|---:|---:|",
        *rows,
    ]


def _number(value: float | None, *, ratio: bool = False) -> str:
    if value is None:
        return "—"
    if ratio:
        return f"{value:.2f}×"
    if isinstance(value, int) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.2f}"


def write_into(document_path: Path, table: str) -> None:
    text = document_path.read_text()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    document_path.write_text(f"{head}{BEGIN}\n{table}{END}{tail}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__)
    parser.add_argument("--results", type=Path, default=Path("var/bench/results.json"))
    parser.add_argument("--write", type=Path, help="the markdown document to update")
    arguments = parser.parse_args(argv)
    table = render(json.loads(arguments.results.read_text()))
    if arguments.write:
        write_into(arguments.write, table)
    else:
        print(table, end="")


if __name__ == "__main__":
    main()
