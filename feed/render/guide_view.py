"""A service guide turned into display-ready sections with Chinese labels.

All strings are plain text straight from the feed: bind them to labels with markup off, or pass
them through `text.escape_markup` first.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Literal

from feed.api import GuideSummary
from feed.render.dates import date_text
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
class GuideEntry:
    """One row of a section: a label and its text, plus an optional note line.

    For "fields" sections the label is the field name (e.g. 实施主体); for "list" it is the item
    (e.g. a material's name) and `text` its details; for "steps" the label is 第1步 and `text` the step;
    for "qa" the label is the question and `text` the answer.
    """

    label: str
    text: str
    note: str = ""


@dataclass(frozen=True)
class GuideSection:
    key: SectionKey
    title: str
    style: SectionStyle
    entries: tuple[GuideEntry, ...]


@dataclass(frozen=True)
class FormLink:
    """A form a citizen can open: '户口簿（空白表格）' and the SHA-256 of its PDF."""

    label: str
    sha256: str


def guide_forms(guide: Guide) -> tuple[FormLink, ...]:
    return tuple(
        FormLink(f"{material.name}（{kind}）", blob.sha256)
        for material in guide.materials
        for kind, blob in (("空白表格", material.blank_form), ("示例样表", material.sample))
        if blob is not None and blob.media_type == "application/pdf"
    )


@dataclass(frozen=True)
class GuideView:
    id: str
    title: str
    department: str
    audience_text: str  # 个人 / 法人 / 个人、法人
    summary: str
    badges: tuple[Badge, ...]
    sections: tuple[GuideSection, ...]  # only sections with something to show, in SECTION_TITLES order
    guide_url: str | None
    online_url: str | None
    updated_text: str  # 更新于 2025年11月20日
    forms: tuple[FormLink, ...] = ()  # the materials' blank forms and samples kept as PDF blobs

    def section(self, key: SectionKey) -> GuideSection | None:
        return next((s for s in self.sections if s.key == key), None)


AUDIENCE_LABELS = {"personal": "个人", "legal": "法人"}
HANDLING_LABELS = {"immediate": "即办件", "promised": "承诺件"}
FORM_LABELS = {"paper": "纸质", "electronic": "电子", "paper_or_electronic": "纸质或电子"}
NECESSITY_LABELS = {"required": "必需", "waivable": "容缺", "optional": "非必需"}
DEPTH_LABELS = {
    "none": "不支持网上办理",
    "info": "网上咨询",
    "download": "网上下载表格",
    "apply": "网上申请",
    "full": "全程网办",
}
UNIT_LABELS = {"working_day": "个工作日", "natural_day": "天"}
SEPARATOR = "｜"


def audience_label(audiences: Collection[str]) -> str:
    """'个人', '法人' or '个人、法人' (always in that order)."""
    return "、".join(AUDIENCE_LABELS[a] for a in ("personal", "legal") if a in audiences)


def guide_badges(guide: Guide | GuideSummary) -> tuple[Badge, ...]:
    """全程网办 when fully online or no visit is needed, 一次办 for one visit, else 跑动N次; 热门."""
    if isinstance(guide, Guide):
        visits, online_full, hot = guide.online.visits, guide.online.depth == "full", guide.hot
        immediate = guide.handling_type == "immediate"
    else:
        visits, online_full, hot, immediate = guide.visits, guide.online_full, guide.hot, False
    badges: list[Badge] = []
    if online_full or visits == 0:
        badges.append(Badge("全程网办", "success"))
    elif visits == 1:
        badges.append(Badge("一次办", "success"))
    else:
        badges.append(Badge(f"跑动{visits}次", "neutral"))
    if immediate:
        badges.append(Badge("即办件", "info"))
    if hot:
        badges.append(Badge("热门", "info"))
    return tuple(badges)


def _days(days: int, unit: str) -> str:
    return f"{days}{UNIT_LABELS[unit]}"


def time_limit_text(limit: TimeLimit, handling_type: str = "promised") -> str:
    """'法定时限：20个工作日　承诺时限：5个工作日', or '即办件' for same-day handling."""
    if handling_type == "immediate" or limit.promised_days == 0:
        return "即办件"
    promised = f"承诺时限：{_days(limit.promised_days, limit.unit)}"
    if limit.statutory_days is None:
        return promised
    return f"法定时限：{_days(limit.statutory_days, limit.unit)}\u3000{promised}"


def material_text(material: Material) -> str:
    """'原件1份、复印件2份｜纸质｜必需' (counts left out when zero; 电子 needs no copies)."""
    counts = []
    if material.originals:
        counts.append(f"原件{material.originals}份")
    if material.copies:
        counts.append(f"复印件{material.copies}份")
    parts = ["、".join(counts)] if counts else []
    form = FORM_LABELS[material.form]
    if material.paper_size and material.form != "electronic":
        form += f"（{material.paper_size}）"
    parts += [form, NECESSITY_LABELS[material.necessity]]
    return SEPARATOR.join(parts)


def fees_text(fees: Fees) -> list[str]:
    """['不收费'] or one line per fee item: '名称：标准（可减免）'."""
    if not fees.charged:
        return ["不收费"]
    if not fees.items:
        return ["收费（标准请咨询窗口）"]
    return [f"{fee.name}：{fee.standard}" + ("（可减免）" if fee.reducible else "") for fee in fees.items]


def _fields(pairs: list[tuple[str, str]]) -> tuple[GuideEntry, ...]:
    return tuple(GuideEntry(label, text) for label, text in pairs if text)


def _basics(guide: Guide) -> tuple[GuideEntry, ...]:
    online = guide.online
    online_text = DEPTH_LABELS[online.depth] if online.available else "不支持网上办理"
    if online.self_service:
        online_text += "；支持自助终端办理"
    visits = "无需到现场" if online.visits == 0 else f"{online.visits}次"
    pairs = [
        ("事项类型", guide.matter_type),
        ("实施主体", guide.department),
        ("委托部门", guide.entrusted_department),
        ("服务对象", audience_label(guide.audiences)),
        ("办件类型", HANDLING_LABELS[guide.handling_type]),
        ("基本编码", guide.basic_code or ""),
        ("网上办理", online_text),
        (
            "到现场次数",
            visits + (f"（{online.visit_reason}）" if online.visit_reason and online.visits else ""),
        ),
        ("通办范围", "、".join(online.scope)),
        ("办理结果", "" if guide.result is None else guide.result.name),
    ]
    entries = list(_fields(pairs))
    entries += [GuideEntry("受理条件", condition) for condition in guide.conditions]
    entries += [GuideEntry("设定依据", basis.name + basis.article, basis.text) for basis in guide.legal_basis]
    return tuple(entries)


def _materials(guide: Guide) -> tuple[GuideEntry, ...]:
    entries = []
    for material in guide.materials:
        notes = [material.source] if material.source else []
        if material.notes:
            notes.append(material.notes)
        if material.blank_form or material.sample:
            notes.append(
                "提供"
                + "、".join(
                    n for n, b in (("空白表格", material.blank_form), ("示例样表", material.sample)) if b
                )
            )
        entries.append(GuideEntry(material.name, material_text(material), "；".join(notes)))
    return tuple(entries)


def _steps(guide: Guide) -> tuple[GuideEntry, ...]:
    entries = []
    for number, step in enumerate(guide.steps, start=1):
        details = [part for part in (step.office, step.time_limit) if part]
        entries.append(
            GuideEntry(
                f"第{number}步",
                step.name + (f"（{SEPARATOR.join(details)}）" if details else ""),
                step.description,
            )
        )
    for procedure in guide.special_procedures:
        entries.append(GuideEntry("特别程序", procedure))
    return tuple(entries)


def _place(guide: Guide) -> tuple[GuideEntry, ...]:
    place = guide.place
    return _fields(
        [
            ("办理地点", place.address),
            ("办理窗口", "、".join(place.windows)),
            ("办理时间", place.hours),
            ("交通指引", place.directions),
        ]
    )


def _contacts(guide: Guide) -> tuple[GuideEntry, ...]:
    contacts = guide.contacts
    return _fields(
        [
            ("咨询电话", contacts.consult_phone or ""),
            ("监督投诉电话", contacts.complaint_phone or ""),
            ("行政复议", contacts.reconsideration_body),
            ("行政诉讼", contacts.litigation_body),
        ]
    )


def guide_view(guide: Guide) -> GuideView:
    """Sections in the order citizens read a guide; empty sections are left out, except that
    time limits and fees always show (不收费 is worth saying)."""
    limit = guide.time_limit
    time_entries = [GuideEntry("办理时限", time_limit_text(limit, guide.handling_type))]
    if time_entries[0].text == "即办件" and limit.statutory_days:
        time_entries.append(GuideEntry("法定时限", _days(limit.statutory_days, limit.unit)))
    time_entries += [GuideEntry(step.name, step.time_limit) for step in guide.steps if step.time_limit]
    candidates: list[tuple[SectionKey, SectionStyle, tuple[GuideEntry, ...]]] = [
        ("basics", "fields", _basics(guide)),
        ("materials", "list", _materials(guide)),
        ("steps", "steps", _steps(guide)),
        ("time", "fields", tuple(time_entries)),
        ("fees", "list", tuple(GuideEntry("", line) for line in fees_text(guide.fees))),
        ("place", "fields", _place(guide)),
        ("contacts", "fields", _contacts(guide)),
        ("faq", "qa", tuple(GuideEntry(qa.question, qa.answer) for qa in guide.faq)),
    ]
    sections = tuple(
        GuideSection(key, SECTION_TITLES[key], style, entries)
        for key, style, entries in candidates
        if entries
    )
    return GuideView(
        id=guide.id,
        title=guide.title,
        department=guide.department,
        audience_text=audience_label(guide.audiences),
        summary=guide.summary,
        badges=guide_badges(guide),
        sections=sections,
        guide_url=guide.guide_url,
        online_url=guide.online.url if guide.online.available else None,
        updated_text=f"更新于 {date_text(guide.updated)}",
        forms=guide_forms(guide),
    )
