"""Text as the screens are handed it: nothing that ends, hides or garbles what follows, and bounded.

Both apps pass every feed string through `screen_text` before drawing or logging it, whatever the
builder and the sync refused: a NUL ends a C string (Kivy's text renderer would drop everything after
it), an escape sequence rewrites a terminal, a bidirectional override reorders what a citizen reads,
and a lone surrogate cannot be encoded for the renderer at all. No Kivy, no Pillow here.
"""

from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL and the C1 controls, lone surrogates, the bidirectional
# embeddings, overrides and isolates, the BOM and interlinear annotation marks, and the two
# noncharacters of the BMP's last block.
UNSHOWABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")

TEXT_LIMIT_CHARS = 6000
"""At most this many characters of one text are laid out on the kiosk; the rest is offered through
the page's QR code. A kiosk is not for reading a hundred pages, and every line drawn costs texture
memory (a 100,000-character text is about 35,000 px of label at a kiosk's column width)."""


def screen_text(text: str, *, multiline: bool = True) -> str:
    """`text` without the characters listed in UNSHOWABLE.

    Line breaks (CR LF, CR, U+2028, U+2029, NEL) become LF; with `multiline=False` (an LED line, a log
    line) every line break and tab becomes one space instead. Text without any of these comes back
    as the same object, so the common case costs one regular-expression scan.
    """
    if multiline:
        text = _LINE_BREAKS.sub("\n", text) if "\r" in text or not text.isascii() else text
    else:
        text = _LINE_BREAKS.sub(" ", text).replace("\n", " ").replace("\t", " ")
    if UNSHOWABLE.search(text) is None:
        return text
    return UNSHOWABLE.sub("", text)


def clip_text(text: str, limit: int = TEXT_LIMIT_CHARS) -> tuple[str, bool]:
    """(`text` cut to `limit` characters at the last paragraph or sentence end before it, whether
    anything was cut). A cut text ends with "……"."""
    if len(text) <= limit:
        return text, False
    head = text[:limit]
    for mark in ("\n\n", "\n", "。", "；", "，"):
        cut = head.rfind(mark)
        if cut >= limit // 2:
            head = head[: cut + (0 if mark.startswith("\n") else len(mark))]
            break
    return head.rstrip() + "……", True
