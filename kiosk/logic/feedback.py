"""Feedback forms: 好差评 (five levels with reason chips), 意见建议 and 点题公开 requests.

The kiosk offers no free Chinese typing: the citizen picks chips and may type a phone number on a
digit pad. `submit(outbox)` writes the form durably through the feed core's outbox and returns its
receipt (with a reference number to show), only after the write committed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

FormKind = Literal["rating", "suggestion", "disclosure_request"]
SubjectKind = Literal["hall", "guide", "item"]


class Receipt(Protocol):
    """What the outbox hands back for a stored submission."""

    @property
    def id(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def created(self) -> datetime: ...


class OutboxWriter(Protocol):
    """The part of `feed.outbox.Outbox` the forms need."""

    def submit(self, kind: str, payload: Mapping[str, Any]) -> Receipt: ...


@dataclass(frozen=True)
class RatingLevel:
    value: int  # 5 = 非常满意 … 1 = 非常不满意
    label: str
    negative: bool  # 差评: must be followed up


RATING_LEVELS: tuple[RatingLevel, ...] = (
    RatingLevel(5, "非常满意", False),
    RatingLevel(4, "满意", False),
    RatingLevel(3, "基本满意", False),
    RatingLevel(2, "不满意", True),
    RatingLevel(1, "非常不满意", True),
)


@dataclass(frozen=True)
class Chip:
    code: str  # stable, ASCII: what is stored
    label: str  # what is shown
    indicator: str = ""  # 服务效率 / 服务水平 / 服务态度 / … for rating reasons


POSITIVE_REASONS: tuple[Chip, ...] = (
    Chip("efficient", "办事快、不排长队", "服务效率"),
    Chip("one_visit", "一次就办成", "服务效率"),
    Chip("clear_guide", "指南清楚、材料一次说清", "服务水平"),
    Chip("professional", "业务熟练、解答准确", "服务水平"),
    Chip("courteous", "热情耐心、态度好", "服务态度"),
    Chip("helpful", "主动帮办、代办", "服务态度"),
    Chip("environment", "环境整洁、设施方便", "办事环境"),
)
NEGATIVE_REASONS: tuple[Chip, ...] = (
    Chip("slow", "等候时间长、办理慢", "服务效率"),
    Chip("many_trips", "多次跑动、反复补材料", "服务效率"),
    Chip("overdue", "超过承诺时限", "服务效率"),
    Chip("unclear", "一次性告知不清楚", "服务水平"),
    Chip("inaccurate", "解答不准确、不专业", "服务水平"),
    Chip("shifting", "推诿扯皮", "服务态度"),
    Chip("rude", "态度生硬、不耐心", "服务态度"),
    Chip("extra_fees", "违规收费或要求额外材料", "廉洁规范"),
    Chip("facilities", "设施故障、不方便", "办事环境"),
)
SUGGESTION_TOPICS: tuple[Chip, ...] = (
    Chip("queue", "排队叫号"),
    Chip("guide_content", "办事指南内容"),
    Chip("online", "网上办理"),
    Chip("self_service", "自助终端"),
    Chip("windows", "窗口设置"),
    Chip("hours", "办公时间"),
    Chip("elderly", "适老服务"),
    Chip("facilities", "环境设施"),
    Chip("parking", "停车交通"),
    Chip("other", "其他"),
)
DISCLOSURE_TOPICS: tuple[Chip, ...] = (
    Chip("policy", "政策文件及解读"),
    Chip("fees", "收费项目及标准"),
    Chip("procedure", "办事程序及时限"),
    Chip("budget", "财政预决算"),
    Chip("projects", "重大项目"),
    Chip("subsidies", "补贴及救助"),
    Chip("party_affairs", "党务工作"),
    Chip("personnel", "人事信息"),
    Chip("other", "其他"),
)

_LEVELS_BY_VALUE = {lv.value: lv for lv in RATING_LEVELS}
_PHONE = re.compile(r"^1[3-9][0-9]{9}$")


def level(value: int) -> RatingLevel:
    """The level for 1..5; ValueError otherwise."""
    try:
        return _LEVELS_BY_VALUE[value]
    except KeyError:
        raise ValueError(f"rating level must be 1..5, not {value!r}") from None


def reasons_for(value: int) -> tuple[Chip, ...]:
    """Reason chips to offer for a chosen level (positive for 3–5, negative for 1–2)."""
    return NEGATIVE_REASONS if level(value).negative else POSITIVE_REASONS


class FormError(ValueError):
    """The form cannot be submitted yet; the message is Chinese, fit for the screen."""


class PhoneEntry:
    """Optional phone number typed on a digit pad: empty, or an 11-digit mainland mobile number."""

    MAX_DIGITS = 11

    def __init__(self) -> None:
        self._digits = ""

    @property
    def digits(self) -> str:
        return self._digits

    def type_digit(self, digit: str) -> None:
        """Append one digit (ignored once 11 are typed); anything but 0–9 raises ValueError."""
        if len(digit) != 1 or digit not in "0123456789":
            raise ValueError(f"not a digit: {digit!r}")
        if len(self._digits) < self.MAX_DIGITS:
            self._digits += digit

    def backspace(self) -> None:
        self._digits = self._digits[:-1]

    def clear(self) -> None:
        self._digits = ""

    @property
    def valid(self) -> bool:
        """Empty (the number is optional) or a mainland mobile number: 1, then 3–9, 11 digits."""
        return not self._digits or bool(_PHONE.match(self._digits))

    @property
    def masked(self) -> str:
        """For display: '138 0013 8000' grouped 3-4-4 as the citizen types."""
        d = self._digits
        return " ".join(part for part in (d[:3], d[3:7], d[7:]) if part)


def _toggle(selected: set[str], allowed: tuple[Chip, ...], code: str) -> bool:
    if code not in {chip.code for chip in allowed}:
        raise ValueError(f"unknown chip {code!r}")
    if code in selected:
        selected.discard(code)
        return False
    selected.add(code)
    return True


class _Form:
    """Common part: an optional phone number, the checks, and the durable submit."""

    kind: FormKind
    phone: PhoneEntry

    def __init__(self) -> None:
        self.phone = PhoneEntry()
        self._receipt: Receipt | None = None

    def problems(self) -> list[str]:
        """Why the form cannot be submitted yet (Chinese); empty when it can."""
        found = self._own_problems()
        if not self.phone.valid:
            found.append("手机号码应为11位数字（以1开头），或不填")
        if self._receipt is not None:
            found.append("已提交")
        return found

    def _own_problems(self) -> list[str]:
        return []

    @property
    def receipt(self) -> Receipt | None:
        """The outbox receipt once submitted (a form is submitted at most once)."""
        return self._receipt

    def payload(self) -> dict[str, Any]:
        """What is stored in the outbox (JSON-safe)."""
        data = {"channel": "kiosk", **self._own_payload()}
        if self.phone.digits:
            data["phone"] = self.phone.digits
        return data

    def _own_payload(self) -> dict[str, Any]:
        return {}

    def submit(self, outbox: OutboxWriter) -> Receipt:
        """Write the form through the outbox; FormError when it is not complete.

        Returns only after the outbox committed, so the confirmation shown is true. When the
        outbox raises (e.g. `feed.errors.FeedError`), the form stays unsubmitted: show an apology
        and let the citizen try again.
        """
        found = self.problems()
        if found:
            raise FormError("；".join(found))
        self._receipt = outbox.submit(self.kind, self.payload())
        return self._receipt


class RatingForm(_Form):
    """好差评 of the hall, a guide's service or an item, with the subject's department. A 差评 needs
    at least one reason."""

    kind: FormKind = "rating"

    def __init__(
        self,
        subject_kind: SubjectKind = "hall",
        subject_id: str = "",
        subject_title: str = "",
        subject_department: str = "",
    ) -> None:
        super().__init__()
        self.subject_kind = subject_kind
        self.subject_id = subject_id
        self.subject_title = subject_title
        # Who answers for the subject, so ratings count by department: a guide's 实施主体, an
        # item's 公开主体; "" for the hall.
        self.subject_department = subject_department
        self._level: RatingLevel | None = None
        self._selected: set[str] = set()

    @property
    def level(self) -> RatingLevel | None:
        return self._level

    @property
    def reasons(self) -> tuple[Chip, ...]:
        """Chips to offer for the chosen level (empty before a level is chosen)."""
        return () if self._level is None else reasons_for(self._level.value)

    @property
    def selected(self) -> frozenset[str]:
        """Codes of the selected reason chips."""
        return frozenset(self._selected)

    def select_level(self, value: int) -> None:
        """Choose 1..5; reasons that belong to the other polarity are dropped."""
        new = level(value)
        if self._level is not None and self._level.negative != new.negative:
            self._selected.clear()
        self._level = new

    def toggle_reason(self, code: str) -> bool:
        """Select or unselect a reason chip of the current level; returns whether it is now selected."""
        if self._level is None:
            raise ValueError("choose a level first")
        return _toggle(self._selected, self.reasons, code)

    def _own_problems(self) -> list[str]:
        if self._level is None:
            return ["请选择评价等级"]
        if self._level.negative and not self._selected:
            return ["差评请至少选择一项原因"]
        return []

    def _own_payload(self) -> dict[str, Any]:
        chips = {chip.code: chip for chip in self.reasons}
        return {
            "subject": {
                "kind": self.subject_kind,
                "id": self.subject_id,
                "title": self.subject_title,
                "department": self.subject_department,
            },
            "level": None if self._level is None else self._level.value,
            "level_label": None if self._level is None else self._level.label,
            "negative": self._level is not None and self._level.negative,
            "reasons": [
                {"code": code, "label": chips[code].label, "indicator": chips[code].indicator}
                for code in sorted(self._selected)
            ],
        }


class SuggestionForm(_Form):
    """意见建议: one or more topic chips."""

    kind: FormKind = "suggestion"
    topics: tuple[Chip, ...] = SUGGESTION_TOPICS

    def __init__(self) -> None:
        super().__init__()
        self._selected: set[str] = set()

    @property
    def selected(self) -> frozenset[str]:
        return frozenset(self._selected)

    def toggle_topic(self, code: str) -> bool:
        return _toggle(self._selected, self.topics, code)

    def _own_problems(self) -> list[str]:
        return [] if self._selected else ["请至少选择一个建议主题"]

    def _own_payload(self) -> dict[str, Any]:
        labels = {chip.code: chip.label for chip in self.topics}
        return {"topics": [{"code": c, "label": labels[c]} for c in sorted(self._selected)]}


class DisclosureRequestForm(_Form):
    """点题公开: ask the bureau to publish more on a catalogue node and/or topics."""

    kind: FormKind = "disclosure_request"
    topics: tuple[Chip, ...] = DISCLOSURE_TOPICS

    def __init__(self) -> None:
        super().__init__()
        self._selected: set[str] = set()
        self._node: tuple[str, str] | None = None

    @property
    def selected(self) -> frozenset[str]:
        return frozenset(self._selected)

    @property
    def node(self) -> tuple[str, str] | None:
        """(node id, node title) chosen from the catalogue, if any."""
        return self._node

    def choose_node(self, node_id: str | None, title: str = "") -> None:
        self._node = None if node_id is None else (node_id, title)

    def toggle_topic(self, code: str) -> bool:
        return _toggle(self._selected, self.topics, code)

    def _own_problems(self) -> list[str]:
        return [] if self._selected or self._node else ["请选择希望公开的目录或主题"]

    def _own_payload(self) -> dict[str, Any]:
        labels = {chip.code: chip.label for chip in self.topics}
        node = None if self._node is None else {"id": self._node[0], "title": self._node[1]}
        return {
            "node": node,
            "topics": [{"code": c, "label": labels[c]} for c in sorted(self._selected)],
        }
