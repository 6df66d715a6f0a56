"""`item`: a published disclosure item (党务公开 / 政务公开 entry, notice, policy explanation)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from feed.schema.common import Attachment, Id, Image, Model, Targets, Url
from feed.schema.dates import Date
from feed.schema.rules import rule
from feed.schema.text import Line, Paragraphs, ShortText


class Review(Model):
    """先审核、后公开: the record of the review an item passed before it could be published.

    The feed carries only items whose review passed, so `status` admits a single value; the builder
    refuses anything else with a message naming the source line.
    """

    status: Literal["approved"]
    reviewed_by: ShortText
    reviewed_on: Date
    confidentiality_checked: bool = Field(description="保密审查 done")

    RULES = (
        rule(
            "confidentiality_checked is true: an item passes the confidentiality review (保密审查)"
            " before publication",
            lambda r: not r.confidentiality_checked,
            "an item must pass the confidentiality review (保密审查) before publication",
            {"properties": {"confidentiality_checked": {"const": True}}},
        ),
    )


class Item(Model):
    kind: Literal["item"]
    id: Id
    node: Id = Field(description="catalogue node (公开目录) the item is filed under")
    title: ShortText
    summary: Line = ""
    body: Paragraphs = Field(default="", description="plain text; paragraphs separated by blank lines")
    publisher: ShortText = Field(description="公开主体")
    doc_number: Line = Field(default="", description="文号, when the item is a document")
    mode: Literal["proactive", "on_request"] = Field(default="proactive", description="主动公开 / 依申请公开")
    published: Date
    updated: Date | None = None
    valid_from: Date | None = Field(default=None, description="current from this day (inclusive)")
    valid_until: Date | None = Field(default=None, description="current until this day (inclusive)")
    original_url: Url | None = None
    images: list[Image] = Field(default_factory=list, max_length=20)
    attachments: list[Attachment] = Field(default_factory=list, max_length=50)
    keywords: list[ShortText] = Field(default_factory=list, max_length=30)
    featured: bool = Field(default=False, description="shown in the kiosk's attract loop")
    targets: Targets = Field(default_factory=Targets)
    review: Review

    RULES = (
        rule(
            "valid_until, when both are given, is on or after valid_from",
            lambda i: i.valid_from is not None and i.valid_until is not None and i.valid_until < i.valid_from,
            "valid_until is before valid_from",
        ),
        rule(
            "updated, when given, is on or after published",
            lambda i: i.updated is not None and i.updated < i.published,
            "updated is before published",
        ),
    )
