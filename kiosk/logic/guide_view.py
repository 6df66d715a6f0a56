"""A service guide turned into display-ready sections with Chinese labels.

All strings are plain text straight from the feed: bind them to labels with markup off, or pass
them through `text.escape_markup` first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from feed.api import GuideSummary
from feed.schema import Guide, Material, TimeLimit
from feed.schema.guide import Fees

SectionKey = Literal["basics", "materials", "steps", "time", "fees", "place", "contacts", "faq"]
SectionStyle = Literal["fields", "list", "steps", "qa"]
BadgeTone = Literal["success", "info", "neutral"]

SECTION_TITLES: dict[str, str] = {
    "basics": "基本信息",
    "materials": "申请材料",
    "steps": "办理流程",
    "time": "办理时限",
    "fees": "收费标准",
    "place": "办理地点和时间",
    "contacts": "咨询监督",
    "faq": "常见问题",
}


@dataclass(frozen=True)
class Badge:
    text: str  # 全程网办 / 一次办 / 跑动2次 / 即办件 / 热门
    tone: BadgeTone


@dataclass(frozen=True)
class Entry:
    """One row of a section: a label and its text, plus an optional note line.

    For "fields" sections the label is the field name (e.g. 实施主体); for "list" it is the item
    (e.g. a material's name) and `text` its details; for "steps" the label is 第1步 and `text` the step;
    for "qa" the label is the question and `text` the answer.
    """

    label: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class Section:
    key: SectionKey
    title: str
    style: SectionStyle
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class GuideView:
    id: str
    title: str
    department: str
    audience_text: str  # 个人 / 法人 / 个人、法人
    summary: str
    badges: tuple[Badge, ...]
    sections: tuple[Section, ...]  # only sections with something to show, in SECTION_TITLES order
    guide_url: str | None
    online_url: str | None
    updated_text: str  # 更新于 2025年11月20日

    def section(self, key: SectionKey) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def audience_label(audiences: tuple[str, ...] | list[str]) -> str:
    raise NotImplementedError


def guide_badges(guide: Guide | GuideSummary) -> tuple[Badge, ...]:
    """全程网办 when fully online or no visit is needed, 一次办 for one visit, else 跑动N次; 热门."""
    raise NotImplementedError


def time_limit_text(limit: TimeLimit, handling_type: str = "promised") -> str:
    """'法定时限：20个工作日　承诺时限：5个工作日', or '即办件' for same-day handling."""
    raise NotImplementedError


def material_text(material: Material) -> str:
    """'原件1份、复印件2份｜纸质｜必需'."""
    raise NotImplementedError


def fees_text(fees: Fees) -> list[str]:
    """['不收费'] or one line per fee item."""
    raise NotImplementedError


def guide_view(guide: Guide) -> GuideView:
    raise NotImplementedError
