"""Masking what identifies a citizen (phone, name, ID number, e-mail, address) wherever staff without
the right to see it look: 138****1234."""

from __future__ import annotations

VISIBLE_HEAD = 3
VISIBLE_TAIL = 4


def mask_phone(phone: str | None) -> str | None:
    """`13812341234` → `138****1234`; a short number keeps only its last two digits; None stays None."""
    if phone is None:
        return None
    if len(phone) >= VISIBLE_HEAD + VISIBLE_TAIL + 1:
        hidden = len(phone) - VISIBLE_HEAD - VISIBLE_TAIL
        return phone[:VISIBLE_HEAD] + "*" * hidden + phone[-VISIBLE_TAIL:]
    return "*" * max(len(phone) - 2, 1) + phone[-2:]


def mask_name(name: str) -> str:
    """`张三丰` → `张**`: the family name stays, so a viewer can still tell applicants apart."""
    return name[:1] + "*" * (len(name) - 1) if name else name


def mask_id_number(number: str) -> str:
    """`11010519491231002X` → `1101**********002X`: the region and the last four stay."""
    if len(number) <= VISIBLE_TAIL * 2:
        return "*" * len(number)
    return number[:VISIBLE_TAIL] + "*" * (len(number) - VISIBLE_TAIL * 2) + number[-VISIBLE_TAIL:]


def mask_email(email: str) -> str:
    """`zhang.san@example.cn` → `z***@example.cn`."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if at else "***"


def mask_address(address: str) -> str:
    """Only the first six characters (about the district): `北京市海淀区…`."""
    return address[:6] + "…" if len(address) > 6 else address
