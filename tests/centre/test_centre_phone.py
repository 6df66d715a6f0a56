"""The phone form over real HTTP, on SQLite and PostgreSQL: a link signed with the device's form key
(issued by `hall-centre devices form-key`) opens the form once; the citizen's text and phone number
become a record in the desk's queue with a reference number; an expired, forged, used, garbled or
revoked device's link gets a polite page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import Engine, select

from centre.db import devices
from centre.db.schema import submissions
from feed import CentreLinkConfig, new_form_key, sign_form_link
from kiosk.logic.phone_link import phone_form_url
from tests.centre.centre_kit import register
from tests.centre.desk_kit import ServedCentre, add_member, desk_client, form_key


def test_a_citizen_finishes_a_suggestion_on_the_phone_once(
    served: ServedCentre, centre_engine: Engine, tmp_path: Path
) -> None:
    register(centre_engine, "kiosk-1", hall="qinghe-center")
    key_file = tmp_path / "form.key"  # as the kiosk keeps it
    key_file.write_text(form_key(served.config, "kiosk-1") + "\n", encoding="ascii")
    link = CentreLinkConfig(url=served.url, token_file=tmp_path / "centre.token", form_key_file=key_file)
    url = phone_form_url(link, "kiosk-1", "suggestion", "", datetime.now(UTC))  # what the kiosk shows
    assert url is not None and url.startswith(served.url + "p/")
    token = url.removeprefix(served.url + "p/")
    with httpx.Client(base_url=served.url, timeout=20) as phone:
        form = phone.get(f"/p/{token}")
        assert form.status_code == 200 and '<html lang="zh-CN">' in form.text and "意见建议" in form.text
        assert "<link" not in form.text and "<script" not in form.text  # one request, nothing external
        empty = phone.post(f"/p/{token}", data={"text": "  ", "phone": ""})
        assert empty.status_code == 422 and "请填写内容" in empty.text
        bad_phone = phone.post(f"/p/{token}", data={"text": "建议", "phone": "139-abc"})
        assert bad_phone.status_code == 422 and "只能是数字" in bad_phone.text and "建议" in bad_phone.text
        text = "希望周六上午也开放不动产登记窗口。\n谢谢！"
        done = phone.post(f"/p/{token}", data={"text": text, "phone": "139 1234 5678"})
        assert done.status_code == 200 and "已提交" in done.text
        reference = done.text.split('<p class="reference">')[1].split("</p>")[0]
        assert reference.startswith("SJ-")
        again = phone.get(f"/p/{token}")
        assert again.status_code == 410 and "已经提交过了" in again.text
        resent = phone.post(f"/p/{token}", data={"text": "再来一次", "phone": ""})
        assert resent.status_code == 410
    with centre_engine.connect() as conn:
        rows = conn.execute(select(submissions)).mappings().all()
    assert len(rows) == 1
    row = rows[0]
    assert (row["kind"], row["reference"], row["hall"], row["device_id"]) == (
        "suggestion",
        reference,
        "qinghe-center",
        "kiosk-1",
    )
    assert row["phone"] == "13912345678" and "13912345678" not in str(row["payload"])
    assert row["payload"]["text"] == text and row["queue"] == "suggestions"
    add_member(centre_engine, "boss", "viewer")
    with desk_client(served, "boss") as viewer:
        queue = viewer.get("/desk/suggestions").text
    assert reference in queue and "希望周六上午也开放不动产登记窗口" in queue and "139****5678" in queue


def test_expired_forged_garbled_and_revoked_links_get_a_polite_page(
    served: ServedCentre, centre_engine: Engine
) -> None:
    register(centre_engine, "kiosk-1")
    register(centre_engine, "kiosk-2")
    key = form_key(served.config, "kiosk-1")
    now = datetime.now(UTC)
    cases = {
        sign_form_link(key, "suggestion", "kiosk-1", "", now - timedelta(minutes=31)): (410, "已过期"),
        sign_form_link(new_form_key(), "suggestion", "kiosk-1", "", now): (404, "链接无效"),
        sign_form_link(key, "suggestion", "kiosk-2", "", now): (404, "链接无效"),  # kiosk-2 has no key
        sign_form_link(key, "suggestion", "kiosk-9", "", now): (404, "链接无效"),  # no such device
        "not-a-token": (404, "不完整"),
        "QUJD.REVG": (404, "不完整"),
    }
    with httpx.Client(base_url=served.url, timeout=20) as phone:
        for token, (status, words) in cases.items():
            for answer in (phone.get(f"/p/{token}"), phone.post(f"/p/{token}", data={"text": "内容"})):
                assert answer.status_code == status and words in answer.text, token
                assert "Traceback" not in answer.text and '<html lang="zh-CN">' in answer.text
        fresh = sign_form_link(key, "suggestion", "kiosk-1", "", now)
        assert phone.get(f"/p/{fresh}").status_code == 200
        devices.revoke(centre_engine, "kiosk-1", now)
        assert phone.get(f"/p/{fresh}").status_code == 404
        first = sign_form_link(form_key(served.config, "kiosk-2"), "suggestion", "kiosk-2", "", now)
        assert phone.get(f"/p/{first}").status_code == 200
        form_key(served.config, "kiosk-2")  # a new key: links signed with the old one stop opening
        assert phone.get(f"/p/{first}").status_code == 404
    with centre_engine.connect() as conn:
        assert conn.execute(select(submissions.c.id)).first() is None
