"""Rendering a desk page: the templates, and what every page is given (the session's CSRF token for
its forms, the navigation, the labels)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from centre.desk import guard
from centre.rules.roles import ROLE_LABELS, may
from centre.rules.work import QUEUES
from feed import RATING_LABELS

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """`template` with `context`; `member` (the signed-in staff member) is None on the sign-in page."""
    context.setdefault("member", None)
    member = context["member"]
    context["csrf"] = guard.csrf_token(request)
    context["role_labels"] = ROLE_LABELS
    context["queues"] = QUEUES
    context["rating_labels"] = RATING_LABELS
    context["may_administer"] = member is not None and may(member.role, "administer")
    return templates.TemplateResponse(request, template, context, status_code=status)
