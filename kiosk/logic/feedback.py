"""Feedback forms: 好差评 (five levels with reason chips), 意见建议 and 点题公开 requests.

The kiosk offers no free Chinese typing: the citizen picks chips and may type a phone number on a
digit pad. `submit(outbox)` writes the form durably through the feed core's outbox and returns its
receipt (with a reference number to show), only after the write committed.
"""

from __future__ import annotations

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


POSITIVE_REASONS: tuple[Chip, ...] = ()  # filled below in the implementation
NEGATIVE_REASONS: tuple[Chip, ...] = ()
SUGGESTION_TOPICS: tuple[Chip, ...] = ()
DISCLOSURE_TOPICS: tuple[Chip, ...] = ()


def level(value: int) -> RatingLevel:
    """The level for 1..5; ValueError otherwise."""
    raise NotImplementedError


def reasons_for(value: int) -> tuple[Chip, ...]:
    """Reason chips to offer for a chosen level (positive for 3–5, negative for 1–2)."""
    raise NotImplementedError


class FormError(ValueError):
    """The form cannot be submitted yet; the message is Chinese, fit for the screen."""


class PhoneEntry:
    """Optional phone number typed on a digit pad: empty, or an 11-digit mainland mobile number."""

    MAX_DIGITS = 11

    def __init__(self) -> None:
        raise NotImplementedError

    @property
    def digits(self) -> str:
        raise NotImplementedError

    def type_digit(self, digit: str) -> None:
        """Append one digit (ignored once 11 are typed); anything but 0–9 raises ValueError."""
        raise NotImplementedError

    def backspace(self) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    @property
    def valid(self) -> bool:
        raise NotImplementedError

    @property
    def masked(self) -> str:
        """For display: '138 0013 8000' grouped 3-4-4 as the citizen types."""
        raise NotImplementedError


class _Form:
    """Common part: an optional phone number and the checks before submitting."""

    kind: FormKind
    phone: PhoneEntry

    def __init__(self) -> None:
        raise NotImplementedError

    def problems(self) -> list[str]:
        """Why the form cannot be submitted yet (Chinese); empty when it can."""
        raise NotImplementedError

    @property
    def can_submit(self) -> bool:
        return not self.problems()

    def payload(self) -> dict[str, Any]:
        """What is stored in the outbox (JSON-safe)."""
        raise NotImplementedError

    def submit(self, outbox: OutboxWriter) -> Receipt:
        """Write the form through the outbox; FormError when it is not complete."""
        raise NotImplementedError


class RatingForm(_Form):
    """好差评 of the hall, a guide's service or an item."""

    kind: FormKind = "rating"

    def __init__(
        self, subject_kind: SubjectKind = "hall", subject_id: str = "", subject_title: str = ""
    ) -> None:
        raise NotImplementedError

    @property
    def level(self) -> RatingLevel | None:
        raise NotImplementedError

    @property
    def reasons(self) -> tuple[Chip, ...]:
        """Chips to offer for the chosen level (empty before a level is chosen)."""
        raise NotImplementedError

    @property
    def selected(self) -> frozenset[str]:
        """Codes of the selected reason chips."""
        raise NotImplementedError

    def select_level(self, value: int) -> None:
        """Choose 1..5; reasons that belong to the other polarity are dropped."""
        raise NotImplementedError

    def toggle_reason(self, code: str) -> bool:
        """Select or unselect a reason chip of the current level; returns whether it is now selected."""
        raise NotImplementedError


class SuggestionForm(_Form):
    """意见建议: one or more topic chips."""

    kind: FormKind = "suggestion"
    topics: tuple[Chip, ...] = SUGGESTION_TOPICS

    @property
    def selected(self) -> frozenset[str]:
        raise NotImplementedError

    def toggle_topic(self, code: str) -> bool:
        raise NotImplementedError


class DisclosureRequestForm(_Form):
    """点题公开: ask the bureau to publish more on a catalogue node and/or topics."""

    kind: FormKind = "disclosure_request"
    topics: tuple[Chip, ...] = DISCLOSURE_TOPICS

    @property
    def selected(self) -> frozenset[str]:
        raise NotImplementedError

    @property
    def node(self) -> tuple[str, str] | None:
        """(node id, node title) chosen from the catalogue, if any."""
        raise NotImplementedError

    def choose_node(self, node_id: str | None, title: str = "") -> None:
        raise NotImplementedError

    def toggle_topic(self, code: str) -> bool:
        raise NotImplementedError
