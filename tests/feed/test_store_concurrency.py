"""Two processes on one cache directory: readers never see half a snapshot, and a killed commit
leaves the previous snapshot or the new one."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from feed.store import Store
from feed.store.reader import StoreReader
from tests.feed.store_samples import catalog, hashed, item, manifest, manifest_bytes

ROOT = Path(__file__).resolve().parents[2]  # the checkout: its `tests` package is importable


def snapshot(prefix: str, count: int) -> list:  # type: ignore[type-arg]
    return [catalog()] + [
        item(f"{prefix}-{n}", f"{prefix}号公开事项{n}", node="gov-budget") for n in range(count)
    ]


def commit(store: Store, sequence: int, records: list) -> None:  # type: ignore[type-arg]
    m = manifest(sequence)
    store.commit_snapshot(m, manifest_bytes(m), hashed(records))


READER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from feed.store.reader import StoreReader
    reader = StoreReader.open(Path(sys.argv[1]))
    deadline = time.monotonic() + float(sys.argv[2])
    seen = []
    while time.monotonic() < deadline:
        # One call always reads one snapshot; consistent() pins it across the count and the page.
        with reader.consistent():
            count = reader.count_items("gov")
            page = reader.items_in("gov", limit=1000)
        prefixes = sorted({s.id.split("-")[0] for s in page})
        seen.append([count, len(page), prefixes])
    print(json.dumps(seen))
    """
)


@pytest.mark.slow
def test_reader_in_another_process_sees_whole_snapshots(tmp_path: Path) -> None:
    old, new = snapshot("a", 300), snapshot("b", 500)
    with Store.open(tmp_path) as store:
        commit(store, 1, old)
        child = subprocess.Popen(
            [sys.executable, "-c", READER, str(tmp_path), "4"], stdout=subprocess.PIPE, text=True
        )
        sequence = 1
        deadline = time.monotonic() + 2.5
        while time.monotonic() < deadline:
            sequence += 1
            commit(store, sequence, new if sequence % 2 == 0 else old)
        out, _ = child.communicate(timeout=60)
    assert child.returncode == 0
    seen = json.loads(out)
    assert len(seen) > 10 and sequence > 3
    for count, listed, prefixes in seen:
        assert (count, listed, prefixes) in ((300, 300, ["a"]), (500, 500, ["b"])), (count, listed, prefixes)
    assert {count for count, _, _ in seen} == {300, 500}  # it really did read across commits


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from tests.feed.store_samples import hashed, manifest, manifest_bytes
    from tests.feed.test_store_concurrency import snapshot
    from feed.store import Store
    store = Store.open(Path(sys.argv[1]))
    records = hashed(snapshot("b", 1000))
    m = manifest(2)
    print("ready", flush=True)
    store.commit_snapshot(m, manifest_bytes(m), records)
    print("done", flush=True)
    """
)


@pytest.mark.slow
def test_commit_killed_at_random_points_leaves_one_whole_snapshot(tmp_path: Path) -> None:
    rng = random.Random(1125)
    outcomes = set()
    for attempt in range(5):
        cache = tmp_path / f"c{attempt}"
        with Store.open(cache) as store:
            commit(store, 1, snapshot("a", 300))
        child = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(cache), str(ROOT)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 1.0))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        with StoreReader.open(cache) as reader:
            count, page = reader.count_items("gov"), reader.items_in("gov", limit=5000)
            status = reader.status()
            hits = {h.id.split("-")[0] for h in reader.search("gongkai", limit=50)}
        if status.sequence == 1:
            assert (count, len(page), hits) == (300, 300, {"a"})
        else:
            assert (status.sequence, count, len(page), hits) == (2, 1000, 1000, {"b"})
        outcomes.add(status.sequence)
    assert outcomes  # which side each kill landed on varies with the machine; both are correct
