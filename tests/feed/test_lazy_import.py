"""Opening the store and searching it must not load pypinyin: its dictionaries take about a second to
import, and only a commit needs them (queries match keys computed at commit time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from store_samples import base_records, hashed, manifest, manifest_bytes

from feed.store import Store

CHECK = """
import sys
from pathlib import Path
from feed.store.reader import StoreReader
reader = StoreReader.open(Path(sys.argv[1]))
hits = [len(reader.search(q)) for q in ("bdc", "budongchan", "不动产", "登记")]
reader.close()
print(sum(hits), "pypinyin" in sys.modules)
"""


def test_reader_and_search_do_not_import_pypinyin(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        m = manifest(1)
        store.commit_snapshot(m, manifest_bytes(m), hashed(base_records()))
    done = subprocess.run(
        [sys.executable, "-c", CHECK, str(tmp_path)], capture_output=True, text=True, timeout=120, check=True
    )
    hits, imported = done.stdout.split()
    assert int(hits) > 0 and imported == "False", done.stdout
