"""The admin's pages: staff accounts (add, disable) and devices (register, new token, new form key,
revoke), as the `hall-centre users` and `devices` commands do them. Admins only (`administer`).

A device's token and form key exist in clear only on the page that issues them, sent with
`Cache-Control: no-store`; the centre keeps the token's hash and the key it must check links with.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from centre.db import devices, phone, staff
from centre.db.devices import DeviceError, DeviceProblem
from centre.db.staff import NAME_LENGTH, StaffError, StaffProblem
from centre.desk import guard
from centre.desk.guard import MemberDep
from centre.desk.pages import render
from centre.rules.passwords import MAX_LENGTH, MIN_LENGTH
from centre.rules.roles import ROLE_LABELS, ROLES

ACCOUNT_PROBLEMS: dict[StaffProblem, str] = {
    "name": f"用户名须为 1 到 {NAME_LENGTH} 个字符，前后不能有空格。",
    "password": f"密码须为 {MIN_LENGTH} 到 {MAX_LENGTH} 个字符，两次输入须一致。",
    "role": "请选择角色。",
    "exists": "已有同名账号。",
    "unknown": "没有这个账号。",
}
DEVICE_PROBLEMS: dict[DeviceProblem, str] = {
    "id": "设备编号和大厅编号只能用小写字母、数字和 . _ -（不以符号开头，最多 128 个字符）。",
    "role": "请选择设备类型。",
    "exists": "已有这个编号的设备；如需新令牌，请在设备列表中“更换令牌”。",
    "unknown": "没有这台设备。",
}
DEVICE_ROLES = {"kiosk": "信息查询机", "display": "LED 屏"}
NO_STORE = {"Cache-Control": "no-store"}

router = APIRouter(prefix="/desk/admin", dependencies=[Depends(guard.check_csrf)], include_in_schema=False)


def _admin(member: MemberDep) -> staff.Member:
    guard.require(member, "administer")
    return member


AdminDep = Annotated[staff.Member, Depends(_admin)]


def _now(request: Request) -> datetime:
    now: datetime = request.app.state.clock()
    return now


# ------------------------------------------------------------------------------------------ accounts


def _accounts_page(request: Request, member: staff.Member, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("form", {"name": "", "role": "handler"})
    return render(
        request,
        "accounts.html",
        status,
        member=member,
        accounts=staff.all_members(request.app.state.engine),
        roles=ROLES,
        min_length=MIN_LENGTH,
        **context,
    )


@router.get("/accounts")
def accounts(request: Request, member: AdminDep) -> HTMLResponse:
    return _accounts_page(request, member)


@router.post("/accounts")
def add_account(  # noqa: PLR0917 - FastAPI passes form fields by name
    request: Request,
    member: AdminDep,
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    again: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    form = {"name": name, "role": role}
    try:
        if password != again:
            raise StaffError("the two passwords differ", "password")
        staff.add(request.app.state.engine, name, role, password, _now(request))
    except StaffError as exc:
        return _accounts_page(request, member, 422, error=ACCOUNT_PROBLEMS[exc.reason], form=form)
    done = f"已添加账号「{name}」（{ROLE_LABELS[role]}）。"  # type: ignore[index]
    return _accounts_page(request, member, done=done)


@router.post("/accounts/{name}/disable")
def disable_account(request: Request, member: AdminDep, name: str) -> Response:
    if name == member.name:
        return _accounts_page(request, member, 409, error="不能停用自己正在使用的账号。")
    try:
        staff.disable(request.app.state.engine, name, _now(request))
    except StaffError as exc:
        return _accounts_page(request, member, 404, error=ACCOUNT_PROBLEMS[exc.reason])
    return RedirectResponse("/desk/admin/accounts", status_code=303)


# ------------------------------------------------------------------------------------------- devices


def _devices_page(request: Request, member: staff.Member, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("form", {"id": "", "role": "kiosk", "hall": ""})
    return render(
        request,
        "devices_admin.html",
        status,
        member=member,
        devices=devices.all_devices(request.app.state.engine),
        device_roles=DEVICE_ROLES,
        **context,
    )


def _secret(
    request: Request, member: staff.Member, *, title: str, what: str, device_id: str, value: str
) -> Response:
    page = render(
        request, "secret.html", member=member, title=title, what=what, device_id=device_id, value=value
    )
    page.headers.update(NO_STORE)
    return page


@router.get("/devices")
def devices_page(request: Request, member: AdminDep) -> HTMLResponse:
    return _devices_page(request, member)


@router.post("/devices")
def add_device(
    request: Request,
    member: AdminDep,
    device_id: Annotated[str, Form(alias="id", max_length=200)] = "",
    role: Annotated[str, Form(max_length=16)] = "",
    hall: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        device, token = devices.add(
            request.app.state.engine, device_id.strip(), role, hall.strip(), _now(request)
        )
    except DeviceError as exc:
        form = {"id": device_id, "role": role, "hall": hall}
        return _devices_page(request, member, 422, error=DEVICE_PROBLEMS[exc.reason], form=form)
    return _secret(request, member, title="设备已登记", what="令牌", device_id=device.id, value=token)


@router.post("/devices/{device_id}/{action}")
def change_device(request: Request, member: AdminDep, device_id: str, action: str) -> Response:
    engine = request.app.state.engine
    try:
        if action == "token":
            token = devices.rotate(engine, device_id)
            return _secret(
                request, member, title="已更换令牌", what="新令牌", device_id=device_id, value=token
            )
        if action == "form-key":
            key = phone.issue_form_key(engine, device_id)
            return _secret(
                request, member, title="已更换手机表单密钥", what="新密钥", device_id=device_id, value=key
            )
        if action == "revoke":
            devices.revoke(engine, device_id, _now(request))
            return RedirectResponse("/desk/admin/devices", status_code=303)
    except DeviceError as exc:
        return _devices_page(request, member, 404, error=DEVICE_PROBLEMS[exc.reason])
    return _devices_page(request, member, 404, error="没有这项操作。")
