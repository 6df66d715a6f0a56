"""Text fields: their lengths, and the characters no text in the feed may hold.

Refused in every text field, as written (before surrounding spaces are trimmed): the C0 and C1
control characters (U+0000–U+001F, U+007F–U+009F), lone surrogates, the line and paragraph separators
U+2028 and U+2029, and the bidirectional embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069), which make a screen show characters in another order than they are stored. A NUL
ends a string for some renderers, so everything after it would silently vanish from a kiosk.

Paragraph fields (bodies, descriptions, answers) may hold line feed (U+000A) and tab (U+0009);
single-line fields may hold neither. Lines end with U+000A alone: carriage return is refused.

Each rule is one character class, used both to check a value and as the `pattern` of the field in
the exported JSON Schema, so a publisher's validator and this client refuse the same strings.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints

_OTHER = r"\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069"
SINGLE_LINE_FORBIDDEN = r"\u0000-\u001f" + _OTHER
PARAGRAPH_FORBIDDEN = r"\u0000-\u0008\u000b-\u001f" + _OTHER  # keeps tab and line feed
# Surrogates are no characters: JSON text holding one is refused as a whole (feed.format.wire). They
# are refused here too, for text that does not come from JSON, but left out of the exported pattern,
# which some regular-expression engines would not compile with them.
_SURROGATES = r"\ud800-\udfff"

_NAMES = {0x09: "a tab", 0x0A: "a line break", 0x0D: "a carriage return", 0x00: "a NUL character"}


class _CharacterRule:
    """Refuses a string holding any character of `forbidden` (a regular-expression class body)."""

    def __init__(self, forbidden: str, allowed: str) -> None:
        self.search = re.compile(f"[{forbidden}{_SURROGATES}]").search
        self.pattern = f"^[^{forbidden}]*$"
        self.allowed = allowed

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str) and (found := self.search(value)) is not None:
            code = ord(found.group())
            what = _NAMES.get(code, "a control character")
            where = f"at character {found.start() + 1}"
            raise ValueError(f"contains {what} (U+{code:04X}) {where}; {self.allowed}")
        return value


SINGLE_LINE = _CharacterRule(SINGLE_LINE_FORBIDDEN, "a single-line field holds no control characters")
PARAGRAPHS = _CharacterRule(
    PARAGRAPH_FORBIDDEN, "text may hold line breaks (U+000A) and tabs but no other control characters"
)
_SINGLE_LINE_SCHEMA = Field(json_schema_extra={"pattern": SINGLE_LINE.pattern})

# Single-line text: the check sees the value as written; surrounding spaces are trimmed after it.
ShortText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=200, strip_whitespace=True),
    BeforeValidator(SINGLE_LINE),
    _SINGLE_LINE_SCHEMA,
]
Line = Annotated[
    str,
    StringConstraints(max_length=500, strip_whitespace=True),
    BeforeValidator(SINGLE_LINE),
    _SINGLE_LINE_SCHEMA,
]
HeadlineText = Annotated[
    str,
    StringConstraints(min_length=1, max_length=300, strip_whitespace=True),
    BeforeValidator(SINGLE_LINE),
    _SINGLE_LINE_SCHEMA,
]
Paragraphs = Annotated[
    str,
    StringConstraints(max_length=100_000),
    BeforeValidator(PARAGRAPHS),
    Field(json_schema_extra={"pattern": PARAGRAPHS.pattern}),
]
