"""依申请公开: what an application for government information must give, and the forms of the answer.

Facts from 中华人民共和国政府信息公开条例 (2019 revision):
- an application gives the applicant's name or organisation, proof of identity and contact details,
  a description of the information sought (name, document number or other features that let the
  office find it) and how the applicant wants to receive it (第二十九条);
- the answer is due within 20 working days of receipt; it may be extended once, by at most 20 working
  days, with the head of the disclosure office's consent and the applicant told (第三十三条);
- the answer discloses, discloses in part or refuses, and a refusal or a withheld part gives its
  ground (第三十六条): state secrets, disclosure forbidden by law, danger to security or stability
  (第十四条), a third party's trade secrets or privacy (第十五条), internal affairs, process information
  or administrative enforcement files (第十六条).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.cn import ric, uscc

APPLICATION_WORKING_DAYS = 20
EXTENSION_WORKING_DAYS = 20

APPLICANT_KINDS: dict[str, str] = {"citizen": "公民", "organisation": "法人或其他组织"}
ID_KINDS: dict[str, str] = {"resident_id": "居民身份证", "uscc": "统一社会信用代码", "other": "其他有效证件"}
DELIVERIES: dict[str, str] = {"collect": "到大厅当面领取", "post": "邮寄", "email": "电子邮件"}
OUTCOMES: dict[str, str] = {"disclose": "予以公开", "partial": "部分公开", "withhold": "不予公开"}
GROUNDS: dict[str, str] = {
    "state_secret": "属于国家秘密（第十四条）",
    "forbidden_by_law": "法律、行政法规禁止公开（第十四条）",
    "security": "公开后可能危及国家安全、公共安全、经济安全、社会稳定（第十四条）",
    "third_party": "涉及商业秘密、个人隐私等，公开会损害第三方合法权益（第十五条）",
    "internal_affairs": "内部事务信息（第十六条第一款）",
    "process_information": "过程性信息或行政执法案卷信息（第十六条第二款）",
}

NAME_LENGTH = 100
ID_NUMBER_LENGTH = 40
EMAIL_LENGTH = 200
ADDRESS_LENGTH = 300
_PHONE = re.compile(r"^[0-9]{5,20}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Applicant:
    """Who applies, as the phone form took it (checked by `applicant_problems`)."""

    kind: str  # APPLICANT_KINDS
    name: str
    id_kind: str  # ID_KINDS
    id_number: str  # compact: no spaces, upper case
    phone: str  # digits
    email: str
    address: str
    delivery: str  # DELIVERIES


def applicant_of(
    *,
    kind: str,
    name: str,
    id_kind: str,
    id_number: str,
    phone: str,
    email: str,
    address: str,
    delivery: str,
) -> Applicant:
    """The form's fields, trimmed and compacted (the ID number without spaces, in upper case)."""
    return Applicant(
        kind=kind.strip(),
        name=name.strip(),
        id_kind=id_kind.strip(),
        id_number=re.sub(r"[\s-]", "", id_number).upper(),
        phone=re.sub(r"[\s-]", "", phone),
        email=email.strip(),
        address=address.strip(),
        delivery=delivery.strip(),
    )


def applicant_problems(applicant: Applicant) -> list[str]:
    """What is missing or wrong, in Chinese for the citizen; empty when the application may be made.
    A resident ID's check digit and date and a unified social credit code's check character are
    verified (python-stdnum); another document's number only for its length."""
    found: list[str] = []
    if applicant.kind not in APPLICANT_KINDS:
        found.append("请选择申请人类型。")
    if not applicant.name:
        found.append("请填写申请人姓名或单位名称。")
    elif len(applicant.name) > NAME_LENGTH:
        found.append(f"姓名或名称请不要超过 {NAME_LENGTH} 字。")
    found += _id_problems(applicant)
    if not _PHONE.match(applicant.phone):
        found.append("请填写联系电话（5 到 20 位数字）。")
    if applicant.email and (len(applicant.email) > EMAIL_LENGTH or not _EMAIL.match(applicant.email)):
        found.append("电子邮箱的格式不对。")
    if len(applicant.address) > ADDRESS_LENGTH:
        found.append(f"通信地址请不要超过 {ADDRESS_LENGTH} 字。")
    if applicant.delivery not in DELIVERIES:
        found.append("请选择获取信息的方式。")
    elif applicant.delivery == "post" and not applicant.address:
        found.append("选择邮寄时请填写通信地址。")
    elif applicant.delivery == "email" and not applicant.email:
        found.append("选择电子邮件时请填写电子邮箱。")
    return found


def _id_problems(applicant: Applicant) -> list[str]:
    number = applicant.id_number
    if applicant.id_kind not in ID_KINDS:
        return ["请选择身份证件类型。"]
    if not number:
        return ["请填写证件号码。"]
    if applicant.id_kind == "resident_id" and not ric.is_valid(number):
        return ["居民身份证号码不正确，请核对（18 位，最后一位可能是 X）。"]
    if applicant.id_kind == "uscc" and not uscc.is_valid(number):
        return ["统一社会信用代码不正确，请核对（18 位）。"]
    if len(number) > ID_NUMBER_LENGTH:
        return [f"证件号码请不要超过 {ID_NUMBER_LENGTH} 位。"]
    return []


def answer_problem(outcome: str, ground: str) -> str | None:
    """Why an answer cannot be recorded (Chinese, for the handler); None when it can. Every answer
    has a form; a partial disclosure or a refusal also names its ground."""
    if outcome not in OUTCOMES:
        return "请选择答复形式（予以公开、部分公开或不予公开）。"
    if outcome != "disclose" and ground not in GROUNDS:
        return f"「{OUTCOMES[outcome]}」须写明依据，请选择不予公开的理由。"
    return None
