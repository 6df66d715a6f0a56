"""What an app does at start-up and on every screen must not load the heavy modules, checked in a
fresh interpreter: pypinyin (its dictionaries take about a second to import, and only a commit needs
them: queries match keys computed at commit time) and, before the kiosk's first frame, pydantic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from feed.format.signing import generate_keypair
from feed.schema import Hall
from feed.store import Store
from tests.feed.store_samples import base_records, hashed, item, manifest, manifest_bytes

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


def test_first_frame_reads_need_no_record_models(tmp_path: Path) -> None:
    """Before its first frame the kiosk loads its config file, checks the feed's public key, and reads
    the hall heading, featured summaries and status; none of that may import pydantic (a quarter of
    a second on a kiosk PC) nor what renders pages and printouts (Jinja2, WeasyPrint, pypdfium2)."""
    short = Hall(
        kind="hall",
        id="qinghe",
        name="清河区政务服务中心",
        short_name="清河政务",
        address="清河大道1号",
        hours=["9:00-17:00"],
    )
    cache = tmp_path / "cache"
    with Store.open(cache) as store:
        m = manifest(1)
        store.commit_snapshot(m, manifest_bytes(m), hashed([short, item("a", "公开事项", featured=True)]))
    (tmp_path / "feed.pub").write_text(generate_keypair()[1], encoding="utf-8")
    (tmp_path / "kiosk.toml").write_text(
        '[feed]\nsource = "https://zwfw.qinghe.example/feed/"\ncache_dir = "cache"\npubkey = "feed.pub"\n'
        "[kiosk]\nadmin_screen = false\n",
        encoding="utf-8",
    )
    script = f"""
import sys
from feed.format.signing import load_public_key
from feed.store.reader import StoreReader
from kiosk.cli import build_parser, load_app_config
config = load_app_config(build_parser().parse_args(["--config", {str(tmp_path / "kiosk.toml")!r}]))
load_public_key(config.feed.pubkey)
reader = StoreReader.open(config.feed.cache_dir, config.device)
heading = reader.hall_heading()
print(heading.name, heading.short_name, heading.hours[0], [i.id for i in reader.featured_items()])
heavy = ("pydantic", "jinja2", "weasyprint", "pypdfium2", "selenium")
print(reader.status().sequence, any(name in sys.modules for name in heavy))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["清河区政务服务中心 清河政务 9:00-17:00 ['a']", "1 False"]
