"""The benchmark report: figures recorded by `report`, folded into the results file, and written
into docs/benchmarks.md and between the README's markers (never by hand)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.report import BEGIN, END, RESULTS_ENV, merge_run, report, write_report  # noqa: E402


def test_figures_reach_the_report_and_the_readme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run_file = tmp_path / "run.jsonl"
    monkeypatch.setenv(RESULTS_ENV, str(run_file))
    report("feed.search_p95", "feed: search p95", 15.73, "ms", target="≤ 20 ms", ok=True, detail="p50 4.8 ms")
    report("led.ddp_unpaced_packets", "LED: DDP unpaced", 73612.4, "packets/s")
    results = tmp_path / "benchmarks.json"
    results.write_text(
        json.dumps(
            {
                "figures": {
                    "old.kept": {
                        "key": "old.kept",
                        "name": "an older figure",
                        "value": 1.19,
                        "unit": "×",
                        "target": "≤ 1.5",
                        "ok": True,
                        "detail": "",
                        "module": "kiosk_bench",
                    }
                }
            }
        )
    )
    report("feed.search_p95", "feed: search p95", 16.0, "ms", target="≤ 20 ms", ok=True)  # a later run wins
    stored = merge_run(run_file, results)
    assert sorted(stored["figures"]) == ["feed.search_p95", "led.ddp_unpaced_packets", "old.kept"]
    assert stored["figures"]["feed.search_p95"]["value"] == 16.0 and stored["machine"]["cores"]
    module = stored["figures"]["feed.search_p95"]["module"]
    assert list(stored["runs"]) == [module], "only the modules of this run get a run entry"
    assert stored["runs"][module]["measured"] == stored["measured"]

    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{BEGIN}\nstale\n{END}\n\nafter\n", encoding="utf-8")
    markdown = tmp_path / "benchmarks.md"
    write_report(results, markdown, readme)
    text = readme.read_text(encoding="utf-8")
    assert "stale" not in text and text.endswith(f"{END}\n\nafter\n")
    assert "| feed: search p95 | ≤ 20 ms | 16.0 ms ✓ |" in text
    assert "LED: DDP unpaced" not in text  # no target: only in docs/benchmarks.md
    assert "All 3 figures: [`docs/benchmarks.md`]" in text
    assert "| an older figure | ≤ 1.5 | 1.19× ✓ |" in text
    body = markdown.read_text(encoding="utf-8")
    assert body.startswith("# Benchmarks") and "Measured " in body and " cores, " in body
    assert f"`{module}` {stored['measured'][:10]} (load average " in body
    assert "| `feed.search_p95` | feed: search p95 | ≤ 20 ms | 16.0 ms ✓ |  |" in body


def test_a_readme_without_markers_is_refused(tmp_path: Path) -> None:
    results = tmp_path / "benchmarks.json"
    results.write_text(
        json.dumps(
            {
                "measured": "2026-01-01T00:00:00+00:00",
                "machine": {
                    "cpu": "c",
                    "cores": 2,
                    "memory": "1 GiB",
                    "system": "s",
                    "python": "3",
                    "display": "none",
                },
                "figures": {},
            }
        )
    )
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n")
    with pytest.raises(SystemExit, match="no <!-- benchmarks:begin -->"):
        write_report(results, tmp_path / "benchmarks.md", readme)


def test_the_shipped_report_is_generated_from_the_shipped_results(tmp_path: Path) -> None:
    """docs/benchmarks.md and the README's table are exactly what the results file gives."""
    markdown, readme = tmp_path / "benchmarks.md", tmp_path / "README.md"
    readme.write_text((REPO / "README.md").read_text(encoding="utf-8"), encoding="utf-8")
    write_report(REPO / "docs" / "benchmarks.json", markdown, readme)
    assert markdown.read_text(encoding="utf-8") == (REPO / "docs" / "benchmarks.md").read_text(
        encoding="utf-8"
    )
    assert readme.read_text(encoding="utf-8") == (REPO / "README.md").read_text(encoding="utf-8")


def test_each_benchmark_module_reports_its_figures() -> None:
    """Every module run by `python -m benchmarks` goes through `report` (no figure only printed)."""
    listing = subprocess.run(
        [sys.executable, "-c", "from benchmarks.__main__ import BENCHMARKS; print(*BENCHMARKS.values())"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    for module in listing.stdout.split():
        source = (REPO / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8")
        assert "report(" in source, module
