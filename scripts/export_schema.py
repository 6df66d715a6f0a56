#!/usr/bin/env python3
"""Write docs/schema/*.schema.json from the pydantic models (or, with --check, say which are stale).

Run after changing anything under feed/schema/ or feed/format/manifest.py:

    .venv/bin/python scripts/export_schema.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from feed.dev.schema_export import stale_files, write_all  # noqa: E402 (needs the path above)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "schema", help="output directory")
    parser.add_argument("--check", action="store_true", help="exit 1 if any file is stale; write nothing")
    args = parser.parse_args()
    if args.check:
        stale = stale_files(args.out)
        for name in stale:
            print(f"stale: {args.out / name} (run scripts/export_schema.py)", file=sys.stderr)
        return 1 if stale else 0
    for path in write_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
