"""What the 依申请公开 screen says. An application for government information (政府信息公开条例
第二十九条) needs the applicant's name, ID and contact, which a kiosk without an IME or card reader
cannot take: the kiosk starts the application and the centre's phone form makes it. The kiosk stores
nothing for it; the phone form creates the record and gives the reference number."""

from __future__ import annotations

from dataclasses import dataclass

PHONE_FORM_INTRO = "请扫码在手机上提交申请，需填写："
PHONE_FORM_ASKS = "申请人姓名或名称、身份证件号码、联系方式，所需信息的描述和获取方式。"
REPLY_DEADLINE = "依法自收到申请之日起 20 个工作日内答复。"
PHONE_REPLY = "提交后即获受理编号；" + REPLY_DEADLINE
NO_PHONE_FORM = "本机暂不能在手机上申请，请到政府信息公开窗口提交书面申请。"
PHONE_CAPTION = "扫码在手机上填写申请"
PORTAL_CAPTION = "扫码访问门户网站"


@dataclass(frozen=True)
class ApplicationText:
    """The screen's lines: `chosen` (what the application is about), `steps` (what happens next),
    `caption` (under the QR code)."""

    chosen: str
    steps: tuple[str, ...]
    caption: str


def application_text(node_title: str, phone_form: bool) -> ApplicationText:
    """The lines for an application about the catalogue node titled `node_title` ("" when the
    citizen will describe the information on the phone), with or without a phone-form link."""
    if not phone_form:
        chosen = f"申请公开栏目：{node_title}" if node_title else "申请获取政府信息"
        return ApplicationText(chosen, (NO_PHONE_FORM, REPLY_DEADLINE), PORTAL_CAPTION)
    chosen = f"申请公开栏目：{node_title}" if node_title else "您可在手机上描述所需的政府信息"
    return ApplicationText(chosen, (PHONE_FORM_INTRO, PHONE_FORM_ASKS, PHONE_REPLY), PHONE_CAPTION)
