"""A tiny but complete authoring directory for the publishing tests, written file by file so a test
can replace one file and know the exact line of every key."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.gen_images import banded_png
from feed.format.limits import Limits
from feed.publish.source import SourceInvalidError, load_source

FEED_YAML = "feed_id: tiny-feed\nexpires_days: 7\n"

HALL_YAML = """\
id: tiny-hall
name: 青禾市政务服务中心
address: 民和路88号
hours:
  - 周一至周五 9:00—17:00
"""

CATALOG_YAML = """\
id: tiny-catalog
nodes:
  - id: gov
    title: 政务公开
    domain: government
  - id: gov.notice
    title: 通知公告
    parent: gov
    domain: government
"""

# Line numbers matter to the tests: item-a starts on line 1, item-b on line 12.
ITEMS_YAML = """\
- id: item-a
  node: gov.notice
  title: 关于延时服务的通知
  publisher: 青禾市政务服务管理局
  published: 2026-03-01
  images:
    - blob: media/map.png
      caption: 大厅平面图
  review: {status: approved, reviewed_by: 办公室 王芳, reviewed_on: 2026-02-28,
    confidentiality_checked: true}

- id: item-b
  node: gov
  title: 政府信息公开指南
  publisher: 青禾市政务服务管理局
  published: 2026-01-05
  attachments:
    - name: 申请表
      blob: media/form.pdf
  review:
    status: approved
    reviewed_by: 办公室 王芳
    reviewed_on: 2026-01-04
    confidentiality_checked: true
"""

GUIDE_YAML = """\
id: guide-a
title: 个体工商户设立登记
matter_type: 行政许可
department: 市场监督管理局
audiences: [personal]
handling_type: immediate
time_limit: {statutory_days: 15, promised_days: 0}
place: {address: 民和路88号 A区7号窗口, hours: 工作日 9:00—17:00}
materials:
  - name: 个体工商户登记申请书
    blank_form: media/form.pdf
updated: 2026-02-01
"""

HEADLINES_YAML = """\
- id: hl-welcome
  text: 欢迎来到青禾市政务服务中心
- id: hl-storm
  text: 今日有暴雨，请注意出行安全
  emergency: true
  priority: 9
  valid_from: 2026-11-25T08:00:00+08:00
  valid_until: 2026-11-25T20:00:00+08:00
"""

PNG_BYTES = banded_png(40, 30)  # a real picture: the build refuses what no screen can decode
PDF_BYTES = b"%PDF-1.4\n% tiny form\n%%EOF\n"


def write_tiny_source(root: Path) -> Path:
    """Write the tiny source into `root` (created) and return it."""
    (root / "items").mkdir(parents=True)
    (root / "guides").mkdir()
    (root / "media").mkdir()
    files = {
        "feed.yaml": FEED_YAML,
        "hall.yaml": HALL_YAML,
        "catalog.yaml": CATALOG_YAML,
        "items/notices.yaml": ITEMS_YAML,
        "guides/individual.yaml": GUIDE_YAML,
        "headlines.yaml": HEADLINES_YAML,
    }
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "media" / "map.png").write_bytes(PNG_BYTES)
    (root / "media" / "form.pdf").write_bytes(PDF_BYTES)
    return root


def problems_of(src: Path, limits: Limits | None = None) -> list[str]:
    """Every problem `hall-feed build` would list for `src`, as printed (the load must fail)."""
    with pytest.raises(SourceInvalidError) as caught:
        load_source(src) if limits is None else load_source(src, limits)
    return [str(problem) for problem in caught.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the file at `path`."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
