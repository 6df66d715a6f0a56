"""依申请公开 at the kiosk: the citizen starts an application (from a 公开目录 node, or from the
feedback screen without one) and the screen shows the centre's phone form as a code signed offline
for this device, read back from a screenshot by a real decoder. The kiosk stores nothing for it: the
phone form, which takes the applicant's identity, makes the record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feed import CentreLinkConfig, FormTicket, check_form_link, new_form_key, read_form_link
from kiosk.config import demo_config
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.gui.kiosk_app.test_disclosure_request import NODE_ID, NODE_TITLE
from tests.gui.kiosk_app.test_walkthrough import start

CENTRE_URL = "http://127.0.0.1:8700/"  # only signed into the code: nothing here connects to it
APPLY = "申请获取信息（依申请公开）"
REQUEST = "建议多公开（点题公开）"


def _kiosk(cache: Path, tmp_path: Path, *, key: str | None) -> Kiosk:
    config = demo_config(cache)
    key_file = None
    if key is not None:
        key_file = tmp_path / "form.key"
        key_file.write_text(key + "\n", encoding="ascii")
    link = CentreLinkConfig(url=CENTRE_URL, token_file=tmp_path / "centre.token", form_key_file=key_file)
    kiosk_section = config.kiosk.replace(qr_allowed_hosts=[*config.kiosk.qr_allowed_hosts, "127.0.0.1"])
    return make_kiosk(cache, config.replace(centre=link, kiosk=kiosk_section))


@pytest.fixture
def form_key() -> str:
    return new_form_key()


@pytest.fixture
def keyed(cache_copy: Path, tmp_path: Path, form_key: str) -> Iterator[Kiosk]:
    harness = _kiosk(cache_copy, tmp_path, key=form_key)
    try:
        yield harness
    finally:
        harness.close()


@pytest.fixture
def keyless(cache_copy: Path, tmp_path: Path) -> Iterator[Kiosk]:
    harness = _kiosk(cache_copy, tmp_path, key=None)
    try:
        yield harness
    finally:
        harness.close()


def _apply_on_the_node(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("政务公开"))
    kiosk.tap(kiosk.button_with(NODE_TITLE))
    kiosk.tap(kiosk.button_with(APPLY))


def _ticket(kiosk: Kiosk, tmp_path: Path, key: str) -> FormTicket:
    """The phone-form link the screen shows, checked as the centre checks it."""
    url = kiosk.code_on_screen(tmp_path)
    assert url == kiosk.app.screen("application").ids.qr.url
    assert url.startswith(CENTRE_URL + "p/")
    token = url.removeprefix(CENTRE_URL + "p/")
    claimed = read_form_link(token)
    assert check_form_link(token, key, datetime.now(UTC)) == claimed
    assert claimed.device_id == kiosk.app.kiosk_config.device.id
    assert claimed.kind == "disclosure_application"
    return claimed


def test_an_application_about_a_catalogue_node_is_made_on_the_phone(
    keyed: Kiosk, form_key: str, tmp_path: Path
) -> None:
    kiosk = keyed
    _apply_on_the_node(kiosk)

    assert kiosk.screen == "application"
    texts = kiosk.texts()
    assert f"申请公开栏目：{NODE_TITLE}" in texts
    assert any("身份证件号码" in t and "20 个工作日内答复" in t for t in texts), texts
    assert "扫码在手机上填写申请" in texts
    assert _ticket(kiosk, tmp_path, form_key).subject == NODE_ID
    assert kiosk.outbox is not None and kiosk.outbox.pending() == []  # the phone form makes the record

    kiosk.tap(kiosk.app.chrome.footer.ids.back)
    assert kiosk.screen == "catalogue" and kiosk.app.navigator.current.param("node") == NODE_ID


def test_from_the_feedback_screen_the_citizen_describes_it_on_the_phone(
    keyed: Kiosk, form_key: str, tmp_path: Path
) -> None:
    kiosk = keyed
    start(kiosk)
    kiosk.tap(kiosk.button_with("好差评 / 意见建议"))
    kiosk.tap(kiosk.button_with("依申请公开"))

    assert kiosk.screen == "application"
    assert "您可在手机上描述所需的政府信息" in kiosk.texts()
    assert _ticket(kiosk, tmp_path, form_key).subject == ""
    assert kiosk.outbox is not None and kiosk.outbox.pending() == []

    kiosk.tap(kiosk.app.chrome.footer.ids.back)  # the chip replaced the feedback screen
    assert kiosk.screen == "home"


def test_the_citizen_picks_the_node_in_the_catalogue(keyed: Kiosk, form_key: str, tmp_path: Path) -> None:
    kiosk = keyed
    start(kiosk)
    kiosk.tap(kiosk.button_with("好差评 / 意见建议"))
    kiosk.tap(kiosk.button_with("依申请公开"))
    kiosk.tap(kiosk.button_with("从公开目录中选择"))
    assert kiosk.screen == "catalogue"
    kiosk.tap(kiosk.button_with(NODE_TITLE))
    kiosk.tap(kiosk.button_with(APPLY))
    assert f"申请公开栏目：{NODE_TITLE}" in kiosk.texts()
    assert _ticket(kiosk, tmp_path, form_key).subject == NODE_ID


def test_without_a_form_key_the_citizen_is_sent_to_the_window(keyless: Kiosk, tmp_path: Path) -> None:
    kiosk = keyless
    _apply_on_the_node(kiosk)

    texts = kiosk.texts()
    assert any("请到政府信息公开窗口提交书面申请" in t for t in texts), texts
    assert not any("身份证件号码" in t for t in texts)
    hall = kiosk.reader.hall()
    assert hall is not None and hall.portal_url
    assert kiosk.code_on_screen(tmp_path) == hall.portal_url  # no phone-form link to show
    assert kiosk.outbox is not None and kiosk.outbox.pending() == []


def test_party_affairs_nodes_offer_no_application(keyed: Kiosk) -> None:
    """依申请公开 is for government information; 点题公开 stays on every node."""
    kiosk = keyed
    start(kiosk)
    kiosk.tap(kiosk.button_with("党务公开"))
    screen = kiosk.app.screen("catalogue")
    assert screen.node_title and REQUEST in kiosk.texts()
    assert APPLY not in kiosk.texts() and screen.ids.apply.disabled


def test_the_signed_link_goes_with_the_citizen(keyed: Kiosk) -> None:
    """A link signed for one citizen's visit is not left for the next one to scan."""
    kiosk = keyed
    _apply_on_the_node(kiosk)
    qr = kiosk.app.screen("application").ids.qr
    assert qr.shown and qr.url.startswith(CENTRE_URL + "p/")
    kiosk.clock.now += kiosk.app.kiosk_config.kiosk.idle_seconds + 1
    assert kiosk.settle_until(lambda: kiosk.screen == "attract")
    assert not qr.shown and qr.url == ""
