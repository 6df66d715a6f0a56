"""Content the screens find hard, made for tests: long and huge images, an animated GIF, long titles,
rare names, dense and Chinese-path links, control characters, a 100,000-character step.

Shared by the publisher's tests (tests/feed/test_showable.py) and the kiosk's (tests/gui/kiosk_app/);
no Kivy here. The images come from benchmarks/gen_images.py, which the image benchmark uses too.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.gen_images import BAND_COLOURS, BAND_PX, animated_gif, banded_png, huge_png
from feed.dev.demo import demo_key_paths, demo_source_dir
from feed.format.signing import load_signing_key
from feed.publish.build import build
from feed.publish.source import load_source
from feed.publish.writer import write_feed

__all__ = ["BAND_COLOURS", "BAND_PX", "animated_gif", "banded_png", "huge_png"]

RARE_NAMES = "王喆、李堃、陈赟"
REVOKED = "（本条已撤销，请勿前往）"
CHINESE_PATH_URL = "https://www.qinghe.example/办事指南/不动产登记?事项=转移"
DENSE_URL = "https://www.qinghe.example/zwgk/long?q=" + "x" * 1200
LONG_HOT_TITLE = "不动产转移登记与契税缴纳、个人所得税申报及水电气网络过户联动办理一件事集成服务专区预约指引"
REVIEW = "{status: approved, reviewed_by: 测试, reviewed_on: 2026-10-30, confidentiality_checked: true}"


def _q(text: str) -> str:
    """`text` as a YAML double-quoted scalar (JSON's escapes are YAML's: a NUL stays a NUL)."""
    return json.dumps(text, ensure_ascii=False)


def item_yaml(item_id: str, *, title: str = "测试公示", body: str = "正文。", extra: str = "") -> str:
    return (
        f"- id: {item_id}\n  node: notice.extended\n  title: {_q(title)}\n  body: {_q(body)}\n"
        f"  publisher: 测试单位\n  published: 2026-11-01\n{extra}  review: {REVIEW}\n"
    )


def image_item(item_id: str, media: str, caption: str = "一图读懂") -> str:
    return item_yaml(item_id, extra=f"  images:\n    - blob: media/{media}\n      caption: {caption}\n")


LONG_NODE_TITLES = (
    "本级政府及其工作部门主动公开的政府信息目录",
    "重大建设项目批准和实施领域基层政务公开标准目录",
    "征地补偿、拆迁安置、保障性住房分配及农村危房改造等民生领域信息",
)


def long_catalogue_chain() -> str:
    """Catalogue nodes (YAML) nesting LONG_NODE_TITLES under 政务公开; the deepest is `gov.long.2`."""
    nodes, parent = [], "gov"
    for depth, title in enumerate(LONG_NODE_TITLES):
        nodes.append(
            f"  - id: gov.long.{depth}\n    title: {title}\n    parent: {parent}\n    domain: government\n"
        )
        parent = f"gov.long.{depth}"
    return "".join(nodes)


def source_with(
    tmp_path: Path,
    items: str = "",
    guides: str = "",
    media: dict[str, bytes] | None = None,
    catalog_nodes: str = "",
) -> Path:
    """The demo source plus `items` (YAML list), `guides`, `media` files under media/ and
    `catalog_nodes` (YAML list entries) appended to the catalogue."""
    src = tmp_path / "src"
    shutil.copytree(demo_source_dir(), src)
    if catalog_nodes:
        with (src / "catalog.yaml").open("a", encoding="utf-8") as catalog:
            catalog.write(catalog_nodes)
    if items:
        (src / "items" / "screens.yaml").write_text(items, "utf-8")
    if guides:
        (src / "guides" / "screens.yaml").write_text(guides, "utf-8")
    for name, data in (media or {}).items():
        (src / "media" / name).write_bytes(data)
    return src


def publish(src: Path, out: Path, *, checked: bool = True) -> None:
    """Build `src` into `out` with the demo key: with `hall-feed build`'s checks, or (`checked=False`)
    written as a CMS would, straight in the feed format, which no screen check has seen."""
    secret, _ = demo_key_paths()
    if checked:
        build(src, out, secret)
        return
    source = load_source(src)
    now = datetime.now(UTC).replace(microsecond=0)
    write_feed(
        out,
        feed_id=source.feed_id,
        records=source.records,
        blobs=source.blobs,
        sequence=int(now.timestamp()),
        expires=now + timedelta(days=30),
        key=load_signing_key(secret),
        issued=now,
    )


def guide_yaml(guide_id: str, *, title: str, hot: bool = False, step_description: str = "说明。") -> str:
    return (
        f"id: {guide_id}\ntitle: {_q(title)}\nmatter_type: 公共服务\ndepartment: 测试局\n"
        "audiences: [personal]\n"
        f"handling_type: promised\nsteps:\n  - name: 受理\n    description: {_q(step_description)}\n"
        "time_limit: {statutory_days: 20, promised_days: 5}\n"
        "place: {address: 测试大厅, hours: 工作日 9:00-17:00}\n"
        f"hot: {'true' if hot else 'false'}\n{'hot_rank: 1' if hot else ''}\nupdated: 2026-11-01\n"
    )
