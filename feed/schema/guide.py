"""`guide`: a service guide (办事指南) with the fields national implementation lists carry."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from feed.schema.common import BlobRef, Id, Model, Phone, Targets, Url
from feed.schema.dates import Date
from feed.schema.rules import rule
from feed.schema.text import Line, Paragraphs, ShortText

BasicCode = Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{12}$")]
Audience = Literal["personal", "legal"]  # 自然人 / 法人


class LegalBasis(Model):
    """设定依据: law name, article and its text."""

    name: ShortText
    article: Line = ""
    text: Paragraphs = ""


class Step(Model):
    """One step of 办理流程."""

    name: ShortText
    office: Line = ""
    time_limit: Line = ""
    description: Paragraphs = ""


class TimeLimit(Model):
    """法定办结时限 vs 承诺办结时限. Zero promised days means 即办件 (done on the spot)."""

    statutory_days: int | None = Field(default=None, ge=0, le=3650)
    promised_days: int = Field(ge=0, le=3650)
    unit: Literal["working_day", "natural_day"] = "working_day"

    RULES = (
        rule(
            "promised_days is at most statutory_days, when that is given",
            lambda t: t.statutory_days is not None and t.promised_days > t.statutory_days,
            "promised_days exceeds statutory_days",
        ),
    )


class FeeItem(Model):
    name: ShortText
    standard: Line
    basis: Line = ""
    reducible: bool = False


class Fees(Model):
    charged: bool = False
    items: list[FeeItem] = Field(default_factory=list, max_length=30)

    RULES = (
        rule(
            "items are listed only when charged is true",
            lambda f: bool(f.items) and not f.charged,
            "fee items listed but charged is false",
            {
                "if": {"not": {"properties": {"charged": {"const": True}}, "required": ["charged"]}},
                "then": {"properties": {"items": {"maxItems": 0}}},
            },
        ),
    )


class Online(Model):
    """网上办理: whether, how deep, where, and how many visits to the hall remain."""

    available: bool = False
    depth: Literal["none", "info", "download", "apply", "full"] = "none"
    url: Url | None = None
    visits: int = Field(default=1, ge=0, le=10, description="到办事现场次数")
    visit_reason: Line = ""
    self_service: bool = Field(default=False, description="是否支持自助终端办理")
    scope: list[ShortText] = Field(default_factory=list, max_length=10, description="通办范围")


class Place(Model):
    address: Line
    windows: list[ShortText] = Field(default_factory=list, max_length=50)
    hours: Line
    directions: Line = ""


class Contacts(Model):
    consult_phone: Phone | None = None
    complaint_phone: Phone | None = None
    reconsideration_body: Line = Field(default="", description="行政复议")
    litigation_body: Line = Field(default="", description="行政诉讼")


class Material(Model):
    """申请材料."""

    name: ShortText
    form: Literal["paper", "electronic", "paper_or_electronic"] = "paper"
    originals: int = Field(default=1, ge=0, le=99)
    copies: int = Field(default=0, ge=0, le=99)
    paper_size: Line = ""
    necessity: Literal["required", "waivable", "optional"] = Field(
        default="required", description="必需 / 容缺 / 非必需"
    )
    source: Line = Field(default="申请人自备", description="来源渠道")
    notes: Line = ""
    blank_form: BlobRef | None = None
    sample: BlobRef | None = None


class Result(Model):
    """审批结果."""

    name: ShortText
    type: Line = ""


class QA(Model):
    question: Line
    answer: Paragraphs


class Guide(Model):
    kind: Literal["guide"]
    id: Id
    title: ShortText = Field(description="事项名称")
    basic_code: BasicCode | None = Field(default=None, description="基本编码")
    implementation_code: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z]{12,40}$")] | None = None
    matter_type: ShortText = Field(description="事项类型, e.g. 行政许可, 公共服务")
    department: ShortText = Field(description="实施主体")
    entrusted_department: Line = ""
    audiences: list[Audience] = Field(min_length=1, max_length=2)
    topics: list[ShortText] = Field(default_factory=list, max_length=10, description="主题分类")
    summary: Line = ""
    legal_basis: list[LegalBasis] = Field(default_factory=list, max_length=30)
    handling_type: Literal["immediate", "promised"] = Field(description="即办件 / 承诺件")
    conditions: list[Line] = Field(default_factory=list, max_length=50)
    steps: list[Step] = Field(default_factory=list, max_length=30)
    special_procedures: list[Line] = Field(default_factory=list, max_length=10)
    time_limit: TimeLimit
    fees: Fees = Field(default_factory=Fees)
    online: Online = Field(default_factory=Online)
    place: Place
    contacts: Contacts = Field(default_factory=Contacts)
    materials: list[Material] = Field(default_factory=list, max_length=80)
    result: Result | None = None
    faq: list[QA] = Field(default_factory=list, max_length=50)
    guide_url: Url | None = Field(default=None, description="the guide's page on the government portal")
    hot: bool = False
    hot_rank: int | None = Field(default=None, ge=1, le=999)
    keywords: list[ShortText] = Field(default_factory=list, max_length=30)
    updated: Date
    targets: Targets = Field(default_factory=Targets)

    RULES = (
        rule(
            "an immediate guide (handling_type immediate, 即办件) promises 0 days (time_limit.promised_days)",
            lambda g: g.handling_type == "immediate" and g.time_limit.promised_days != 0,
            "an immediate (即办件) guide must promise 0 days",
            {
                "if": {
                    "properties": {"handling_type": {"const": "immediate"}},
                    "required": ["handling_type"],
                },
                "then": {"properties": {"time_limit": {"properties": {"promised_days": {"const": 0}}}}},
            },
        ),
    )
