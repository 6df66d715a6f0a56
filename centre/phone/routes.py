"""/p/<token>: the phone form. One page, its styles inline (no other request on a slow connection),
readable from 375 px wide. The link itself is the permission: signed by the device's form key,
unexpired, used once; anything else gets a polite page, never an error trace.

A 意见建议 or 点题公开 takes free text and an optional phone number; a 依申请公开 takes what the
regulation requires of an application (`centre.rules.disclosure`): who applies, with proof of identity
and contact details, what information they seek and how they want to receive it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from centre.db import phone
from centre.rules.disclosure import (
    APPLICANT_KINDS,
    DELIVERIES,
    ID_KINDS,
    Applicant,
    applicant_of,
    applicant_problems,
)
from feed import FormLinkError, FormTicket, check_form_link, read_form_link

HERE = Path(__file__).parent
TEXT_LENGTH = 2000
PHONE = re.compile(r"^[0-9]{5,20}$")
TITLES = {
    "suggestion": "意见建议",
    "disclosure_request": "点题公开",
    "disclosure_application": "政府信息公开申请",
}
APPLICATION = "disclosure_application"
SORRY = {
    "malformed": "这个链接不完整，请回到查询机重新扫码。",
    "forged": "这个链接无效，请回到查询机重新扫码。",
    "expired": "这个链接已过期（扫码后 30 分钟内有效），请回到查询机重新扫码。",
    "used": "这个链接已经提交过了，感谢您的反馈。如需再次填写，请回到查询机重新扫码。",
}


class PhoneForm(BaseModel):
    """What a phone form posts: `text` and `phone` on every form, the rest on an application. Each
    field is bounded well above what the page allows, so a hostile post cannot make it work hard."""

    text: str = Field("", max_length=TEXT_LENGTH * 4)
    phone: str = Field("", max_length=100)
    applicant_kind: str = Field("citizen", max_length=16)
    name: str = Field("", max_length=400)
    id_kind: str = Field("resident_id", max_length=16)
    id_number: str = Field("", max_length=100)
    email: str = Field("", max_length=400)
    address: str = Field("", max_length=1200)
    delivery: str = Field("collect", max_length=16)

    def applicant(self) -> Applicant:
        return applicant_of(
            kind=self.applicant_kind,
            name=self.name,
            id_kind=self.id_kind,
            id_number=self.id_number,
            phone=self.phone,
            email=self.email,
            address=self.address,
            delivery=self.delivery,
        )


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
    if ticket.kind == APPLICATION:
        return _application_form(request, ticket, status, **context)
    return templates.TemplateResponse(
        request,
        "phone_form.html",
        {"token": token, "title": TITLES[ticket.kind], "limit": TEXT_LENGTH, **context},
        status_code=status,
    )


def _application_form(
    request: Request, ticket: FormTicket, status: int = 200, **context: object
) -> HTMLResponse:
    context.setdefault("form", PhoneForm())
    return templates.TemplateResponse(
        request,
        "phone_application.html",
        {
            "subject": ticket.subject,
            "node_title": request.app.state.node_titles.title(ticket.subject),
            "limit": TEXT_LENGTH,
            "working_days": request.app.state.settings.application_working_days,
            "applicant_kinds": APPLICANT_KINDS,
            "id_kinds": ID_KINDS,
            "deliveries": DELIVERIES,
            **context,
        },
        status_code=status,
    )


@router.get("/{token}")
def form_page(request: Request, token: str) -> HTMLResponse:
    found = _ticket(request, token)
    if isinstance(found, str):
        return _sorry(request, found)
    return _form(request, token, found[0])


@router.post("/{token}")
def submit(request: Request, token: str, form: Annotated[PhoneForm, Form()]) -> HTMLResponse:
    found = _ticket(request, token)
    if isinstance(found, str):
        return _sorry(request, found)
    ticket, hall = found
    text = form.text.strip()
    applicant: Applicant | None = None
    if ticket.kind == APPLICATION:
        applicant = form.applicant()
        errors = _text_problems(text, "请填写所需政府信息的描述。") + applicant_problems(applicant)
        if errors:
            return _form(request, token, ticket, 422, errors=errors, form=form)
        digits = applicant.phone
    else:
        digits = re.sub(r"[\s-]", "", form.phone)
        error = next(iter(_text_problems(text, "请填写内容。")), None)
        if error is None and digits and not PHONE.match(digits):
            error = "电话号码只能是数字（5 到 20 位），也可以不填。"
        if error:
            return _form(request, token, ticket, 422, error=error, text=text, phone=form.phone)
    reference = phone.store_form(
        request.app.state.engine,
        ticket,
        hall,
        text=text,
        phone=digits or None,
        now=request.app.state.clock(),
        zone=request.app.state.settings.zone(),
        applicant=applicant,
    )
    if reference is None:
        return _sorry(request, "used")
    promise = ""
    if applicant is not None:
        days = request.app.state.settings.application_working_days
        promise = (
            f"我们将自收到申请之日起 {days} 个工作日内答复，答复方式：{DELIVERIES[applicant.delivery]}。"
        )
    return templates.TemplateResponse(
        request,
        "phone_done.html",
        {"reference": reference, "title": TITLES[ticket.kind], "promise": promise},
    )


def _text_problems(text: str, missing: str) -> list[str]:
    if not text:
        return [missing]
    if len(text) > TEXT_LENGTH:
        return [f"内容请不要超过 {TEXT_LENGTH} 字。"]
    return []
