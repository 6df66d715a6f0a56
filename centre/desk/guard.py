"""Who is signed in, what they may do, and the CSRF token every desk form carries.

Sessions are Starlette's signed cookie (`SessionMiddleware`: HttpOnly, SameSite=strict, Secure when
`cookie_secure`). The session holds the member's name and a random per-session CSRF token; every
unsafe request to the desk must send that token back in the form field `csrf`, compared in constant
time — a form from another site, or a replayed form from an old session, is refused (403).
"""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import quote

import anyio.to_thread
from fastapi import Depends, Request

from centre.db import staff
from centre.db.staff import Member
from centre.rules.roles import Action, may

CSRF_FIELD = "csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequiredError(Exception):
    """No valid session: the desk answers with the sign-in page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class RefusedError(Exception):
    """The desk refuses the request with a page saying why (status and a Chinese sentence)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def csrf_token(request: Request) -> str:
    """This session's CSRF token (made on first use)."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = request.session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


async def check_csrf(request: Request) -> None:
    """Router dependency: every unsafe request must carry the session's token in its form."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(CSRF_FIELD)
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not (isinstance(expected, str) and isinstance(sent, str) and secrets.compare_digest(expected, sent)):
        raise RefusedError(403, "表单已失效或来源不明，已拒绝。请返回刷新页面后重试。")


def start_session(request: Request, member: Member) -> None:
    """A fresh session for a member who just signed in (a new CSRF token: nothing carries over)."""
    request.session.clear()
    request.session["name"] = member.name
    csrf_token(request)


async def signed_in(request: Request) -> Member:
    """The member behind the session, read again each request (a disabled account is out at once)."""
    name = request.session.get("name")
    member = None
    if isinstance(name, str):
        member = await anyio.to_thread.run_sync(staff.active_member, request.app.state.engine, name)
    if member is None:
        request.session.pop("name", None)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequiredError(quote(target, safe="/?=&"))
    return member


def require(member: Member, action: Action) -> None:
    if not may(member.role, action):
        raise RefusedError(403, "您的账号没有此项操作的权限。")


MemberDep = Annotated[Member, Depends(signed_in)]
