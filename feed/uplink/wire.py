"""The wire format between devices and the centre: one definition, used by both sides.

Devices send JSON over HTTPS with `Authorization: Bearer <device token>`:

- `POST /v1/submissions` takes a `SubmissionBatch` — outbox records (好差评 ratings, 意见建议
  suggestions, 点题公开 requests, proof-of-play counts per headline and hour) — and answers a
  `SubmissionAck` listing every id of the batch the centre now holds, new or already known. The sender
  marks exactly those rows as sent, so a retried batch is harmless (records are idempotent by id).
- `POST /v1/heartbeats` takes a `Heartbeat` — software version, feed state, outbox depth, free disk,
  uptime and, on an LED display, the headline on screen — and answers a `HeartbeatAck`. It never
  carries anything a citizen typed or touched (unknown fields are refused).

Limits: a batch body is at most `MAX_BATCH_BYTES` (1 MiB), one record's payload at most
`MAX_RECORD_BYTES` (16 KiB, as the outbox bounds it), at most `MAX_BATCH_RECORDS` records a batch.
All date-times carry a UTC offset.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from feed.schema.common import Id

MAX_BATCH_BYTES = 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024
MAX_BATCH_RECORDS = 1000

DeviceRole = Literal["kiosk", "display"]

# Levels of 好差评, shown as 5..1 stars; the bottom two are 差评 and must be followed up.
RATING_LABELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
NEGATIVE_MAX_LEVEL = 2

Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
Label = Annotated[str, StringConstraints(max_length=200)]
Reference = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,8}-[0-9]{8}-[0-9]{4,9}$")]
# Digits only, as the kiosk's digit pad types them; masked in every report.
PhoneDigits = Annotated[str, StringConstraints(pattern=r"^[0-9]{5,20}$")]
Channel = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,20}$")]
ShortLine = Annotated[str, StringConstraints(max_length=500)]


class WireModel(BaseModel):
    """Unknown fields are errors: a record or heartbeat carries exactly what is documented."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Payload(BaseModel):
    """A citizen record's payload: the documented fields are checked; newer devices may add fields,
    which are kept as they are."""

    model_config = ConfigDict(extra="allow", frozen=True)

    channel: Channel = "kiosk"
    phone: PhoneDigits | None = None


class Subject(WireModel):
    """What a rating is about: the hall as a whole, a service guide or a disclosure item."""

    kind: Literal["hall", "guide", "item"]
    id: Annotated[str, StringConstraints(max_length=128)] = ""
    title: Label = ""
    department: Label = ""  # a guide's 实施主体 or an item's 公开主体, for ratings by department


class Reason(WireModel):
    code: Code
    label: Label
    indicator: Label = ""  # 服务效率 / 服务水平 / 服务态度 / …


class Topic(WireModel):
    code: Code
    label: Label


class CatalogueNode(WireModel):
    id: Id
    title: Label = ""


class RatingPayload(Payload):
    """好差评: five levels (5 = 非常满意 … 1 = 非常不满意) with reason chips."""

    level: int = Field(ge=1, le=5, strict=True)
    level_label: Label | None = None
    negative: bool = False  # as the device saw it; the centre recomputes it from `level`
    subject: Subject = Subject(kind="hall")
    reasons: list[Reason] = Field(default_factory=list, max_length=20)


class SuggestionPayload(Payload):
    """意见建议: topic chips (free text comes from the phone form)."""

    topics: list[Topic] = Field(default_factory=list, max_length=20)


class DisclosureRequestPayload(Payload):
    """点题公开: a catalogue node and/or topics the citizen wants published."""

    node: CatalogueNode | None = None
    topics: list[Topic] = Field(default_factory=list, max_length=20)


class PlayCountPayload(WireModel):
    """Proof of play rolled up on the device: how often a headline was on screen in one hour."""

    headline_id: Id
    hour: AwareDatetime  # start of the hour
    plays: int = Field(ge=1, le=1_000_000, strict=True)
    seconds: float = Field(ge=0, le=3600 * 24)

    @field_validator("hour")
    @classmethod
    def _on_the_hour(cls, value: datetime) -> datetime:
        if value.minute or value.second or value.microsecond:
            raise ValueError("must be the start of an hour")
        return value


PAYLOAD_MODELS: dict[str, type[BaseModel]] = {
    "rating": RatingPayload,
    "suggestion": SuggestionPayload,
    "disclosure_request": DisclosureRequestPayload,
    "play_count": PlayCountPayload,
}


def payload_bytes(payload: Any) -> int:
    """The size of a payload as the outbox stores it (compact UTF-8 JSON)."""
    return len(json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode())


class _Record(WireModel):
    id: UUID  # stable: the outbox row's id, for de-duplication at the centre
    reference: Reference  # what the citizen was shown (PP-… for proof of play)
    created: AwareDatetime
    device_id: Id


class RatingRecord(_Record):
    kind: Literal["rating"]
    payload: RatingPayload


class SuggestionRecord(_Record):
    kind: Literal["suggestion"]
    payload: SuggestionPayload


class DisclosureRequestRecord(_Record):
    kind: Literal["disclosure_request"]
    payload: DisclosureRequestPayload


class PlayCountRecord(_Record):
    kind: Literal["play_count"]
    payload: PlayCountPayload


OutboxRecord = Annotated[
    RatingRecord | SuggestionRecord | DisclosureRequestRecord | PlayCountRecord,
    Field(discriminator="kind"),
]


class SubmissionBatch(WireModel):
    """One POST of outbox records, all created by the device that sends them (the centre answers 403
    when the batch or any record names another device than the token's)."""

    device_id: Id
    records: list[OutboxRecord] = Field(min_length=1, max_length=MAX_BATCH_RECORDS)

    def device_ids(self) -> set[str]:
        """Every device id the batch speaks for."""
        return {self.device_id, *(record.device_id for record in self.records)}


class SubmissionAck(WireModel):
    """Every id of the batch the centre now holds (new or known before); `stored` counts the new."""

    held: list[UUID]
    stored: int = Field(ge=0)


class FeedState(WireModel):
    """The device's offline store, as `hall-feed status` shows it."""

    feed_id: Annotated[str, StringConstraints(max_length=128)] | None = None
    sequence: int | None = Field(default=None, ge=0, le=2**53 - 1)
    expires: AwareDatetime | None = None
    last_success: AwareDatetime | None = None
    last_attempt: AwareDatetime | None = None
    last_error: ShortLine | None = None
    stale: bool = False


class OutboxState(WireModel):
    """What waits on the device to be sent, and how the last delivery went."""

    depth: int = Field(ge=0)
    oldest_unsent_seconds: float | None = Field(default=None, ge=0)
    last_delivery: AwareDatetime | None = None
    last_delivery_error: ShortLine | None = None


class HeadlineOnScreen(WireModel):
    id: Id | None = None  # None: the fallback (hall name and clock)
    text: ShortLine = ""


class Heartbeat(WireModel):
    """How a device is doing, sent on its own timer (default once a minute)."""

    device_id: Id
    role: DeviceRole
    software_version: Annotated[str, StringConstraints(max_length=64)]
    sent_at: AwareDatetime
    interval_seconds: float = Field(ge=5, le=86_400)  # when to expect the next one
    uptime_seconds: float = Field(ge=0)
    free_disk_bytes: int | None = Field(default=None, ge=0)
    feed: FeedState
    outbox: OutboxState
    headline: HeadlineOnScreen | None = None  # LED displays only


class HeartbeatAck(WireModel):
    received_at: AwareDatetime  # the centre's clock, so a device can tell its own clock is off


def validate_payload(kind: str, payload: Any) -> BaseModel:
    """Check one outbox payload against its kind's model; ValueError with the reason otherwise."""
    model = PAYLOAD_MODELS.get(kind)
    if model is None:
        raise ValueError(f"unknown record kind {kind!r} (expected one of {', '.join(PAYLOAD_MODELS)})")
    return model.model_validate(payload)
