"""Run every benchmark, each in its own process, and print their figures one after another.

    python -m benchmarks                  # all (several minutes; the kiosk one needs a display)
    python -m benchmarks feed display     # a selection

Each benchmark is also runnable alone (`python -m benchmarks.feed_bench --help`).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence

BENCHMARKS = {
    "feed": "benchmarks.feed_bench",
    "catalog": "benchmarks.catalog_bench",
    "kiosk": "benchmarks.kiosk_bench",
    "kiosk-sync": "benchmarks.kiosk_sync_bench",
    "kiosk-image": "benchmarks.kiosk_image_bench",
    "kiosk-logic": "benchmarks.bench_kiosk_logic",
    "display": "benchmarks.display_bench",
    "centre": "benchmarks.centre_bench",
    "hostile": "benchmarks.hostile_bench",
}


def main(argv: Sequence[str] | None = None) -> int:
    names = list(argv if argv is not None else sys.argv[1:]) or list(BENCHMARKS)
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    failed = []
    for name in names:
        print(f"\n=== {name} ({BENCHMARKS[name]}) ===", flush=True)
        # A fresh interpreter each: Kivy allows one window per process and timings stay independent.
        if subprocess.run([sys.executable, "-m", BENCHMARKS[name]], check=False).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
