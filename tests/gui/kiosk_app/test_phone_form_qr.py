"""扫码在手机上继续填写, end to end: a citizen asks for disclosure (点题公开) or applies for
information (依申请公开) at the kiosk, the code on the screen is read back from a screenshot by a real
decoder, and the link it carries opens the real centre's phone form, which takes the text (and the
applicant's identity) and stores the record (SQLite; both engines: tests/centre)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from centre.db import phone
from centre.db.engine import open_engine
from centre.db.migrate import upgrade
from centre.db.schema import applicants, submissions
from feed import CentreLinkConfig
from kiosk.config import demo_config
from tests.centre.centre_kit import CentreProcess, register, write_config
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
from tests.gui.kiosk_app.test_disclosure_request import NODE_ID, NODE_TITLE
from tests.gui.kiosk_app.test_walkthrough import start


@pytest.fixture
def centre(tmp_path: Path) -> Iterator[CentreProcess]:
    url = f"sqlite:///{tmp_path / 'centre.db'}"
    engine = open_engine(url)
    upgrade(engine)
    engine.dispose()
    process = CentreProcess(write_config(tmp_path, url))
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def keyed_kiosk(cache_copy: Path, centre: CentreProcess, tmp_path: Path) -> Iterator[Kiosk]:
    config = demo_config(cache_copy)
    engine = open_engine(f"sqlite:///{tmp_path / 'centre.db'}")
    try:
        register(engine, config.device.id, hall="qinghe-center")
        key_file = tmp_path / "form.key"
        key_file.write_text(phone.issue_form_key(engine, config.device.id) + "\n", encoding="ascii")
    finally:
        engine.dispose()
    link = CentreLinkConfig(url=centre.url, token_file=tmp_path / "centre.token", form_key_file=key_file)
    kiosk_section = config.kiosk.replace(qr_allowed_hosts=[*config.kiosk.qr_allowed_hosts, "127.0.0.1"])
    harness = make_kiosk(cache_copy, config.replace(centre=link, kiosk=kiosk_section))
    try:
        yield harness
    finally:
        harness.close()


def _on_the_node(kiosk: Kiosk, action: str) -> None:
    """A citizen's first taps: 政务公开, the node, then one of its actions."""
    start(kiosk)
    kiosk.tap(kiosk.button_with("政务公开"))
    kiosk.tap(kiosk.button_with(NODE_TITLE))
    kiosk.tap(kiosk.button_with(action))


def test_the_code_after_a_request_opens_the_centres_phone_form(
    keyed_kiosk: Kiosk, centre: CentreProcess, tmp_path: Path
) -> None:
    kiosk = keyed_kiosk
    _on_the_node(kiosk, "建议多公开（点题公开）")
    screen = kiosk.app.screen("feedback")
    kiosk.tap(screen.ids.submit)
    assert screen.done
    qr = screen.ids.phone_qr
    assert qr.shown and qr.url.startswith(centre.url + "p/")

    url = kiosk.code_on_screen(tmp_path)
    assert url == qr.url

    with httpx.Client(timeout=20) as citizen:
        form = citizen.get(url)
        assert form.status_code == 200 and "点题公开" in form.text
        done = citizen.post(url, data={"text": "请公开2026年部门预算的明细。", "phone": "13700001111"})
        assert done.status_code == 200 and "已提交" in done.text
    engine = open_engine(f"sqlite:///{tmp_path / 'centre.db'}")
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(submissions)).mappings().one()
    finally:
        engine.dispose()
    assert stored["kind"] == "disclosure_request" and stored["device_id"] == kiosk.app.kiosk_config.device.id
    assert (
        stored["payload"]["subject"] == NODE_ID
        and stored["payload"]["text"] == "请公开2026年部门预算的明细。"
    )
    assert stored["created_at"] <= datetime.now(UTC)


def test_an_application_started_at_the_kiosk_is_made_at_the_centres_phone_form(
    keyed_kiosk: Kiosk, centre: CentreProcess, tmp_path: Path
) -> None:
    kiosk = keyed_kiosk
    _on_the_node(kiosk, "申请获取信息（依申请公开）")
    qr = kiosk.app.screen("application").ids.qr
    assert qr.shown and qr.url.startswith(centre.url + "p/")
    url = kiosk.code_on_screen(tmp_path)
    assert url == qr.url and kiosk.app.outbox is not None and kiosk.app.outbox.depth() == 0

    applicant = {
        "applicant_kind": "citizen",
        "name": "李四",
        "id_kind": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13700001111",
        "delivery": "post",
        "address": "青禾市青禾区政务路1号",
        "text": "2026年部门预算中“三公”经费的明细。",
    }
    with httpx.Client(timeout=20) as citizen:
        form = citizen.get(url)
        assert form.status_code == 200 and "政府信息公开申请" in form.text
        done = citizen.post(url, data=applicant)
        assert done.status_code == 200 and "政府信息公开申请已提交" in done.text and "邮寄" in done.text
    engine = open_engine(f"sqlite:///{tmp_path / 'centre.db'}")
    try:
        with engine.connect() as conn:
            stored = conn.execute(select(submissions)).mappings().one()
            who = conn.execute(select(applicants)).mappings().one()
    finally:
        engine.dispose()
    assert (stored["kind"], stored["queue"]) == ("disclosure_application", "applications")
    assert stored["device_id"] == kiosk.app.kiosk_config.device.id and stored["payload"]["subject"] == NODE_ID
    assert (who["name"], who["address"], who["delivery"]) == ("李四", "青禾市青禾区政务路1号", "post")
