"""`hall`: the service hall itself: name, address, hours, windows, promises."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from feed.schema.common import Id, Model, Phone, Url
from feed.schema.text import Line, Paragraphs, ShortText


class Window(Model):
    """A service window (窗口) and what it handles."""

    number: ShortText
    name: ShortText
    departments: list[ShortText] = Field(default_factory=list, max_length=20)
    services: list[ShortText] = Field(default_factory=list, max_length=50)


class Hall(Model):
    """The hall a device stands in. A feed may describe several halls; a device shows the one whose
    `id` is its configured hall ([device] hall), or else the first by id. The same ids are what
    `targets.halls` of other records name."""

    kind: Literal["hall"]
    id: Id
    name: ShortText
    short_name: ShortText | None = None
    address: Line
    hours: list[Line] = Field(min_length=1, max_length=10, description="one line per rule, e.g. 周一至周五 …")
    phone: Phone | None = None
    complaint_phone: Phone | None = None
    intro: Paragraphs = ""
    windows: list[Window] = Field(default_factory=list, max_length=200)
    reply_promise: Line = Field(default="", description="点题公开 reply promise")
    portal_url: Url | None = None
