#!/usr/bin/env python3
"""Write docs/centre-api.json, the centre receiver's OpenAPI document (or, with --check, say whether
it is stale). Run after changing centre/api/ or feed/uplink/wire.py:

    .venv/bin/python scripts/export_openapi.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from centre.api.openapi import render  # noqa: E402 (needs the path above)

TARGET = ROOT / "docs" / "centre-api.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale; write nothing")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"stale: {TARGET} (run scripts/export_openapi.py)", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
