"""Run every benchmark, each in its own process, print their figures, and write the report.

    python -m benchmarks                  # all (several minutes; the kiosk one needs a display)
    python -m benchmarks feed display     # a selection: only their figures are replaced

The figures each module reports (benchmarks/report.py) are folded into `docs/benchmarks.json`, from
which `docs/benchmarks.md` and the README's table are written. Each benchmark is also runnable alone
(`python -m benchmarks.feed_bench --help`); it then prints its figures without recording them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from benchmarks.report import RESULTS, RESULTS_ENV, merge_run, write_report

BENCHMARKS = {
    "feed": "benchmarks.feed_bench",
    "catalog": "benchmarks.catalog_bench",
    "kiosk": "benchmarks.kiosk_bench",
    "kiosk-sync": "benchmarks.kiosk_sync_bench",
    "kiosk-image": "benchmarks.kiosk_image_bench",
    "kiosk-logic": "benchmarks.bench_kiosk_logic",
    "display": "benchmarks.display_bench",
    "centre": "benchmarks.centre_bench",
    "desk": "benchmarks.desk_bench",
    "hostile": "benchmarks.hostile_bench",
    "print": "benchmarks.print_bench",
}


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        run_file = Path(tmp) / "figures.jsonl"
        run_file.touch()
        env = dict(os.environ, **{RESULTS_ENV: str(run_file)})
        for name in names:
            print(f"\n=== {name} ({BENCHMARKS[name]}) ===", flush=True)
            # A fresh interpreter each: Kivy allows one window per process and timings stay independent.
            if subprocess.run([sys.executable, "-m", BENCHMARKS[name]], check=False, env=env).returncode != 0:
                failed.append(name)
        merge_run(run_file)
    write_report()
    print(f"\nfigures in {RESULTS.name}; report written to docs/benchmarks.md and README.md", flush=True)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
