"""Staff roles at the desk and what each may do.

- `viewer` reads every list; what identifies a citizen (phone numbers, an applicant's name, ID
  number, e-mail and address) is shown masked (`centre.rules.masking`).
- `handler` also works the queues (records a follow-up, a reply, an extension) and sees all that in
  full.
- `admin` may do everything a handler may, and manage accounts and devices.
"""

from __future__ import annotations

from typing import Literal

Role = Literal["viewer", "handler", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "handler", "admin")
ROLE_LABELS: dict[Role, str] = {"viewer": "查看员", "handler": "办理员", "admin": "管理员"}

Action = Literal["read", "work", "see_identity", "administer"]
_ALLOWED: dict[Role, frozenset[Action]] = {
    "viewer": frozenset({"read"}),
    "handler": frozenset({"read", "work", "see_identity"}),
    "admin": frozenset({"read", "work", "see_identity", "administer"}),
}


def may(role: str, action: Action) -> bool:
    """Whether a member of staff with `role` may do `action`; an unknown role may do nothing."""
    return action in _ALLOWED.get(role, frozenset())  # type: ignore[call-overload]
