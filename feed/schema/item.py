"""`item`: a published disclosure item (党务公开 / 政务公开 entry, notice, policy explanation)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from feed.schema.common import Attachment, Id, Image, Line, Model, Paragraphs, ShortText, Targets, Url


class Review(Model):
    """先审核、后公开: the record of the review an item passed before it could be published.

    The feed carries only items whose review passed, so `status` admits a single value; the builder
    refuses anything else with a message naming the source line.
    """

    status: Literal["approved"]
    reviewed_by: ShortText
    reviewed_on: date
    confidentiality_checked: bool = Field(description="保密审查 done")

    @model_validator(mode="after")
    def _confidentiality_is_part_of_review(self) -> Review:
        if not self.confidentiality_checked:
            raise ValueError("an item must pass the confidentiality review (保密审查) before publication")
        return self


class Item(Model):
    kind: Literal["item"] = "item"
    id: Id
    node: Id = Field(description="catalogue node (公开目录) the item is filed under")
    title: ShortText
    summary: Line = ""
    body: Paragraphs = Field(default="", description="plain text; paragraphs separated by blank lines")
    publisher: ShortText = Field(description="公开主体")
    doc_number: Line = Field(default="", description="文号, when the item is a document")
    mode: Literal["proactive", "on_request"] = Field(default="proactive", description="主动公开 / 依申请公开")
    published: date
    updated: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    original_url: Url | None = None
    images: list[Image] = Field(default_factory=list, max_length=20)
    attachments: list[Attachment] = Field(default_factory=list, max_length=50)
    keywords: list[ShortText] = Field(default_factory=list, max_length=30)
    featured: bool = Field(default=False, description="shown in the kiosk's attract loop")
    targets: Targets = Field(default_factory=Targets)
    review: Review

    @model_validator(mode="after")
    def _dates_in_order(self) -> Item:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        if self.updated and self.updated < self.published:
            raise ValueError("updated is before published")
        return self
