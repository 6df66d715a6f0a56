"""Benchmark figures: one API to report them, one results file, one generated report.

A benchmark module reports each figure it measures:

    from benchmarks.report import report

    report("feed.search_p95", "feed: search p95 on 10,000 items", 15.7, "ms", target="≤ 20 ms",
           detail="p50 4.8 ms")

`report` prints the figure and, when `python -m benchmarks` runs the module, also appends it as one
JSON line to the results file named by `HALL_BENCH_RESULTS`. After the run, `write_report()` turns
the results file into `docs/benchmarks.md` (every figure, its target, the machine it ran on) and
the table of the figures with a target in `README.md` between `<!-- benchmarks:begin -->` and
`<!-- benchmarks:end -->`, so no figure is ever copied by hand. `python -m benchmarks.report`
regenerates both from the results file without running anything.

A figure's `key` is stable (`area.what`), so a later run replaces it in the results file; `name`
says what was measured, `unit` its unit, `target` the goal as text (empty: measured for reference),
`ok` whether it met the goal (None: no goal).
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_ENV = "HALL_BENCH_RESULTS"
RESULTS = ROOT / "docs" / "benchmarks.json"
REPORT = ROOT / "docs" / "benchmarks.md"
README = ROOT / "README.md"
BEGIN, END = "<!-- benchmarks:begin -->", "<!-- benchmarks:end -->"


@dataclass(frozen=True)
class Figure:
    key: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    detail: str = ""
    module: str = ""

    def shown(self) -> str:
        """The value with its unit, rounded for reading."""
        magnitude = abs(self.value)
        digits = 0 if magnitude >= 100 else 1 if magnitude >= 10 else 2 if magnitude >= 0.1 else 3
        number = f"{self.value:,.{digits}f}"
        return f"{number} {self.unit}".strip() if self.unit not in ("×", "%") else f"{number}{self.unit}"


def report(
    key: str,
    name: str,
    value: float,
    unit: str,
    *,
    target: str = "",
    ok: bool | None = None,
    detail: str = "",
) -> Figure:
    """Print one figure and record it in the results file of the current run (if any)."""
    module = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else ""
    figure = Figure(key, name, float(value), unit, target, ok, detail, module)
    verdict = "" if ok is None else " OK" if ok else " OVER TARGET"
    goal = f" (target {target})" if target else ""
    print(f"[figure] {name}: {figure.shown()}{goal}{verdict}" + (f"; {detail}" if detail else ""), flush=True)
    results = os.environ.get(RESULTS_ENV)
    if results:
        with open(results, "a", encoding="utf-8") as out:
            out.write(json.dumps(asdict(figure), ensure_ascii=False) + "\n")
    return figure


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    try:
        system = platform.freedesktop_os_release().get("PRETTY_NAME", platform.platform())
    except OSError:
        system = platform.platform()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load": round(os.getloadavg()[1], 1),  # 5-minute load average when the run ended
        "memory": memory,
        "system": system,
        "python": platform.python_version(),
        "display": "Xvfb, Mesa llvmpipe (software OpenGL)" if os.environ.get("DISPLAY") else "none",
    }


def merge_run(run_file: Path, results: Path = RESULTS) -> dict[str, Any]:
    """Fold the figures of one run into the results file (a later figure replaces one with its key).
    Each benchmark module's last run keeps its own date, load and display (`runs`), since a partial
    run (`python -m benchmarks centre`) replaces only that module's figures."""
    stored: dict[str, Any] = {"figures": {}}
    if results.exists():
        stored = json.loads(results.read_text(encoding="utf-8"))
    figures: dict[str, Any] = stored.get("figures", {})
    runs: dict[str, Any] = stored.get("runs", {})
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    here = machine()
    for line in run_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            figure = json.loads(line)
            figures[figure["key"]] = figure
            runs[figure["module"]] = {"measured": now, "load": here["load"], "display": here["display"]}
    stored = {"measured": now, "machine": here, "runs": runs, "figures": figures}
    results.write_text(json.dumps(stored, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return stored


def _table(figures: list[Figure]) -> list[str]:
    lines = ["| what | target | measured |", "| --- | --- | --- |"]
    for figure in figures:
        verdict = "" if figure.ok is None else " ✓" if figure.ok else " ✗ over target"
        detail = f" ({figure.detail})" if figure.detail else ""
        lines.append(f"| {figure.name} | {figure.target or '—'} | {figure.shown()}{verdict}{detail} |")
    return lines


def _machine_line(stored: dict[str, Any]) -> str:
    info = stored["machine"]
    line = (
        f"Measured on {info['cpu']} ({info['cores']} cores, {info['memory']}), {info['system']},"
        f" Python {info['python']}."
    )
    runs: dict[str, Any] = stored.get("runs", {})
    if not runs:  # results from before runs were kept per module: one run for all
        load = f", load average {info['load']}" if "load" in info else ""
        return f"{line} Run {stored['measured'][:10]}{load}; display: {info['display']}."
    each = [
        f"`{module}` {run['measured'][:10]} (load average {run['load']}; display: {run['display']})"
        for module, run in sorted(runs.items())
    ]
    return f"{line} Last run of each module, with the load at its end: {', '.join(each)}."


def write_report(results: Path = RESULTS, report_path: Path = REPORT, readme: Path = README) -> None:
    """docs/benchmarks.md and the README's table, both from the results file."""
    stored = json.loads(results.read_text(encoding="utf-8"))
    figures = [Figure(**data) for data in stored["figures"].values()]
    figures.sort(key=lambda f: f.key)
    body = [
        "# Benchmarks",
        "",
        "<!-- Generated by `make bench` (or `python -m benchmarks.report`) from docs/benchmarks.json:"
        " do not edit by hand. -->",
        "",
        _machine_line(stored),
        "",
        "Targets are checked by reading these figures, never by timed assertions in the tests. A figure",
        "without a target is measured for reference. Each comes from the module named in its row's key",
        "(`python -m benchmarks.MODULE --help`).",
        "",
        "| key | what | target | measured | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    for figure in figures:
        verdict = "" if figure.ok is None else " ✓" if figure.ok else " ✗"
        body.append(
            f"| `{figure.key}` | {figure.name} | {figure.target or '—'} | {figure.shown()}{verdict} "
            f"| {figure.detail or ''} |"
        )
    report_path.write_text("\n".join(body) + "\n", encoding="utf-8")

    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{readme}: no {BEGIN} … {END} markers to put the figures between")
    # The README keeps to the figures that have a target; docs/benchmarks.md has them all.
    with_target = [figure for figure in figures if figure.target]
    more = f"All {len(figures)} figures: [`docs/benchmarks.md`](docs/benchmarks.md)."
    block = "\n".join([BEGIN, "", _machine_line(stored), "", *_table(with_target), "", more, "", END])
    readme.write_text(pattern.sub(lambda _m: block, text, count=1), encoding="utf-8")


if __name__ == "__main__":
    write_report()
    print(f"wrote {REPORT.relative_to(ROOT)} and the figures in {README.name}")
