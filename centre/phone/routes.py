"""/p/<token>: the phone form. One page, its styles inline (no other request on a slow connection),
readable from 375 px wide. The link itself is the permission: signed by the device's form key,
unexpired, used once; anything else gets a polite page, never an error trace."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from centre.db import phone
from feed import FormLinkError, FormTicket, check_form_link, read_form_link

HERE = Path(__file__).parent
TEXT_LENGTH = 2000
PHONE = re.compile(r"^[0-9]{5,20}$")
TITLES = {"suggestion": "意见建议", "disclosure_request": "点题公开"}
SORRY = {
    "malformed": "这个链接不完整，请回到查询机重新扫码。",
    "forged": "这个链接无效，请回到查询机重新扫码。",
    "expired": "这个链接已过期（扫码后 30 分钟内有效），请回到查询机重新扫码。",
    "used": "这个链接已经提交过了，感谢您的反馈。如需再次填写，请回到查询机重新扫码。",
}

templates = Jinja2Templates(directory=HERE / "templates")
router = APIRouter(prefix="/p", include_in_schema=False)


def install(app: FastAPI) -> None:
    app.include_router(router)


def _sorry(request: Request, reason: str) -> HTMLResponse:
    status = 410 if reason in ("expired", "used") else 404
    return templates.TemplateResponse(
        request, "phone_sorry.html", {"message": SORRY[reason]}, status_code=status
    )


def _ticket(request: Request, token: str) -> tuple[FormTicket, str] | str:
    """The link's ticket and the device's hall, or why the link cannot be used."""
    try:
        claimed = read_form_link(token)
        device = phone.form_device(request.app.state.engine, claimed.device_id)
        if device is None or device.form_key is None:
            return "forged"
        ticket = check_form_link(token, device.form_key, request.app.state.clock())
    except FormLinkError as exc:
        return exc.reason
    if phone.used(request.app.state.engine, ticket.nonce):
        return "used"
    return ticket, device.hall


def _form(
    request: Request, token: str, ticket: FormTicket, status: int = 200, **context: object
) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "phone_form.html",
        {"token": token, "title": TITLES[ticket.kind], "limit": TEXT_LENGTH, **context},
        status_code=status,
    )


@router.get("/{token}")
def form_page(request: Request, token: str) -> HTMLResponse:
    found = _ticket(request, token)
    if isinstance(found, str):
        return _sorry(request, found)
    return _form(request, token, found[0])


@router.post("/{token}")
def submit(
    request: Request,
    token: str,
    text: Annotated[str, Form(max_length=TEXT_LENGTH * 4)] = "",
    phone_number: Annotated[str, Form(alias="phone", max_length=100)] = "",
) -> HTMLResponse:
    found = _ticket(request, token)
    if isinstance(found, str):
        return _sorry(request, found)
    ticket, hall = found
    text = text.strip()
    digits = re.sub(r"[\s-]", "", phone_number)
    error = None
    if not text:
        error = "请填写内容。"
    elif len(text) > TEXT_LENGTH:
        error = f"内容请不要超过 {TEXT_LENGTH} 字。"
    elif digits and not PHONE.match(digits):
        error = "电话号码只能是数字（5 到 20 位），也可以不填。"
    if error:
        return _form(request, token, ticket, 422, error=error, text=text, phone=phone_number)
    reference = phone.store_form(
        request.app.state.engine,
        ticket,
        hall,
        text=text,
        phone=digits or None,
        now=request.app.state.clock(),
        zone=request.app.state.settings.zone(),
    )
    if reference is None:
        return _sorry(request, "used")
    return templates.TemplateResponse(
        request, "phone_done.html", {"reference": reference, "title": TITLES[ticket.kind]}
    )
