"""The centre's phone-form link (the feedback screen's "扫码在手机上继续填写", the 依申请公开 screen's
code): signed offline with the device's form key, short enough for the kiosk's smallest code, and
absent (the portal instead) when there is no key to sign with or no phone form for the kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from feed import CentreLinkConfig, check_form_link, new_form_key
from kiosk.logic.application import application_text
from kiosk.logic.phone_link import phone_form_url
from kiosk.logic.qr import QrPolicy

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
CENTRE_URL = "https://centre.qinghe.example/"


def _centre(tmp_path: Path, key: str | None) -> CentreLinkConfig:
    key_file = None
    if key is not None:
        key_file = tmp_path / "form.key"
        key_file.write_text(key + "\n", encoding="ascii")
    return CentreLinkConfig(url=CENTRE_URL, token_file=tmp_path / "centre.token", form_key_file=key_file)


def test_the_link_opens_the_centres_form_for_this_device_and_fits_the_smallest_code(tmp_path: Path) -> None:
    key = new_form_key()
    url = phone_form_url(_centre(tmp_path, key), "kiosk-hall1-entrance", "disclosure_request", "gov.org", NOW)
    assert url is not None and url.startswith(CENTRE_URL + "p/")
    ticket = check_form_link(url.removeprefix(CENTRE_URL + "p/"), key, NOW + timedelta(minutes=29))
    assert (ticket.kind, ticket.device_id, ticket.subject) == (
        "disclosure_request",
        "kiosk-hall1-entrance",
        "gov.org",
    )
    decision = QrPolicy(["*.qinghe.example"]).decide(url)  # the layouts' smallest code space
    assert decision.allowed, decision.reason
    assert len(url) <= 130


def test_no_key_no_phone_form_kind_or_an_unreadable_key_gives_no_link(tmp_path: Path) -> None:
    assert phone_form_url(None, "kiosk-1", "suggestion", "", NOW) is None
    assert phone_form_url(_centre(tmp_path, None), "kiosk-1", "suggestion", "", NOW) is None
    keyed = _centre(tmp_path, new_form_key())
    assert phone_form_url(keyed, "kiosk-1", "rating", "", NOW) is None  # a rating needs no free text
    assert phone_form_url(keyed, "kiosk-1", "suggestion", "", NOW) is not None
    assert keyed.form_key_file is not None
    keyed.form_key_file.unlink()
    assert phone_form_url(keyed, "kiosk-1", "suggestion", "", NOW) is None


def test_an_application_link_names_its_kind_and_the_node_or_nothing(tmp_path: Path) -> None:
    key = new_form_key()
    centre = _centre(tmp_path, key)
    for subject in ("gov.org", ""):
        url = phone_form_url(centre, "kiosk-hall1-entrance", "disclosure_application", subject, NOW)
        assert url is not None and url.startswith(CENTRE_URL + "p/")
        ticket = check_form_link(url.removeprefix(CENTRE_URL + "p/"), key, NOW + timedelta(minutes=29))
        assert (ticket.kind, ticket.device_id, ticket.subject) == (
            "disclosure_application",
            "kiosk-hall1-entrance",
            subject,
        )
        assert QrPolicy(["*.qinghe.example"]).decide(url).allowed
    assert phone_form_url(_centre(tmp_path, None), "kiosk-1", "disclosure_application", "", NOW) is None


def test_the_application_screen_asks_for_identity_on_the_phone_or_sends_to_the_window() -> None:
    linked = application_text("机构职能", phone_form=True)
    assert linked.chosen == "申请公开栏目：机构职能"
    assert any("身份证件号码" in line for line in linked.steps)
    assert any("20 个工作日内答复" in line for line in linked.steps)
    assert application_text("", phone_form=True).chosen == "您可在手机上描述所需的政府信息"
    window = application_text("机构职能", phone_form=False)
    assert window.chosen == "申请公开栏目：机构职能"
    assert any("请到政府信息公开窗口提交书面申请" in line for line in window.steps)
    assert not any("身份证件号码" in line for line in window.steps)  # nothing promised on the phone
    assert any("20 个工作日内答复" in line for line in window.steps)  # a written application too
