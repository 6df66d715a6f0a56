"""The desk over real HTTP (the centre's app on uvicorn on loopback), on SQLite and PostgreSQL:
accounts from the CLI, signing in (cookie flags, rate limiting), CSRF on every form, roles (a viewer
sees masked phone numbers and cannot work a queue), the queues worked through their steps, Excel and
publication exports, and a device's charts."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from sqlalchemy import Engine, func, select

from centre.db import staff as staff_db
from centre.db.schema import follow_up_notes, follow_ups, staff
from feed.publish.source import SourceInvalidError, load_source
from tests.centre.centre_kit import CentreProcess, hall_centre, register, write_config
from tests.centre.desk_kit import (
    PASSWORD,
    ServedCentre,
    add_member,
    citizen_record,
    csrf_of,
    deliver,
    desk_client,
    heartbeat_history,
    sign_in,
)
from tests.centre.test_centre_receiver import heartbeat

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def desk(tmp_path: Path, database_url: str, centre_engine: Engine) -> Iterator[ServedCentre]:
    config = write_config(tmp_path, database_url, sign_in_attempts=3)
    process = ServedCentre(config)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def _rows(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_users_add_reads_the_password_from_stdin_and_refuses_bad_accounts(
    centre_config: Path, centre_engine: Engine
) -> None:
    config = str(centre_config)
    added = hall_centre(
        "users", "add", "王芳", "--role", "handler", "--config", config, stdin=PASSWORD + "\n"
    )
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    with centre_engine.connect() as conn:
        stored = conn.execute(select(staff.c.role, staff.c.password_hash).where(staff.c.name == "王芳")).one()
    assert stored.role == "handler" and stored.password_hash.startswith("$argon2id$")
    again = hall_centre("users", "add", "王芳", "--role", "viewer", "--config", config, stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "exists already" in again.stderr
    short = hall_centre("users", "add", "李四", "--role", "viewer", "--config", config, stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    role = hall_centre("users", "add", "李四", "--role", "root", "--config", config, stdin=PASSWORD + "\n")
    assert role.returncode == 2 and "invalid choice" in role.stderr
    listed = hall_centre("users", "list", "--config", config)
    assert listed.stdout.splitlines() == ["王芳\thandler\tactive"]
    disabled = hall_centre("users", "disable", "王芳", "--config", config)
    assert disabled.returncode == 0 and disabled.stdout.strip() == "disabled 王芳"
    assert hall_centre("users", "list", "--config", config).stdout.splitlines() == ["王芳\thandler\tdisabled"]
    unknown = hall_centre("users", "disable", "nobody", "--config", config)
    assert unknown.returncode == 1 and "no account named 'nobody'" in unknown.stderr


def test_sign_in_sets_a_guarded_cookie_and_pages_need_it(desk: ServedCentre, centre_engine: Engine) -> None:
    add_member(centre_engine, "clerk", "handler")
    with desk_client(desk) as client:
        anonymous = client.get("/desk/reviews")
        assert anonymous.status_code == 303
        assert anonymous.headers["location"].startswith("/desk/sign-in?next=/desk/reviews")
        answer = sign_in(client, "clerk")
        assert answer.status_code == 303
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie
        page = client.get("/desk/reviews")
        assert page.status_code == 200 and '<html lang="zh-CN">' in page.text and "clerk" in page.text
        client.post("/desk/sign-out", data={"csrf": csrf_of(page)})
        assert client.get("/desk/reviews").status_code == 303
        assert sign_in(client, "clerk").status_code == 303
        staff_db.disable(centre_engine, "clerk", datetime.now(UTC))  # as `users disable` does
        assert client.get("/desk/reviews").status_code == 303  # out at the next request
        assert sign_in(client, "clerk").status_code == 401


def test_the_cookie_is_secure_behind_tls(tmp_path: Path, database_url: str, centre_engine: Engine) -> None:
    add_member(centre_engine, "clerk", "handler")
    config = write_config(tmp_path, database_url)
    config.write_text(config.read_text() + "cookie_secure = true\n")
    process = CentreProcess(config)
    process.start()
    try:
        answer = httpx.get(process.url + "desk/sign-in", timeout=20)
        assert "; secure" in answer.headers["set-cookie"].lower()
    finally:
        process.stop()


def test_failed_sign_ins_are_limited_even_for_the_right_password(
    desk: ServedCentre, centre_engine: Engine
) -> None:
    add_member(centre_engine, "clerk", "handler")
    with desk_client(desk) as client:
        for _ in range(3):
            wrong = sign_in(client, "clerk", "not the password")
            assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
        limited = sign_in(client, "clerk")
        assert limited.status_code == 429 and "登录失败次数过多" in limited.text
        assert client.get("/desk/reviews").status_code == 303  # not signed in
        unknown = sign_in(client, "nobody", "whatever it is")  # the address is not blocked yet
        assert unknown.status_code == 401


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    desk: ServedCentre, centre_engine: Engine
) -> None:
    add_member(centre_engine, "clerk", "handler")
    token = register(centre_engine, "kiosk-1")
    review = citizen_record("kiosk-1", "rating", datetime.now(UTC), "QH-20261130-0001", level=1)
    deliver(desk, token, "kiosk-1", review)
    step = {"kind": "rating", "status": "contacted", "text": "已电话联系"}
    with desk_client(desk) as client:
        no_token = client.post("/desk/sign-in", data={"name": "clerk", "password": PASSWORD})
        assert no_token.status_code == 403 and "表单已失效" in no_token.text
    with desk_client(desk, "clerk") as client, desk_client(desk) as other:
        missing = client.post(f"/desk/records/{review['id']}", data=step)
        assert missing.status_code == 403 and "表单已失效" in missing.text
        foreign = csrf_of(other.get("/desk/sign-in"))  # a valid token, of another session
        assert client.post(f"/desk/records/{review['id']}", data={**step, "csrf": foreign}).status_code == 403
        sign_out = client.post("/desk/sign-out")
        assert sign_out.status_code == 403
        assert client.get("/desk/reviews").status_code == 200  # still signed in
    assert _rows(centre_engine, follow_ups) == 0 and _rows(centre_engine, follow_up_notes) == 0


def test_a_bad_review_is_worked_through_its_steps_and_a_viewer_sees_masked_phones(
    desk: ServedCentre, centre_engine: Engine
) -> None:
    add_member(centre_engine, "clerk", "handler")
    add_member(centre_engine, "boss", "viewer")
    token = register(centre_engine, "kiosk-1")
    now = datetime.now(UTC)
    late = citizen_record(
        "kiosk-1", "rating", now - timedelta(days=14), "QH-20261116-0001", level=1, phone="13912345678"
    )
    fresh = citizen_record("kiosk-1", "rating", now, "QH-20261130-0002", level=2)
    praise = citizen_record("kiosk-1", "rating", now, "QH-20261130-0003", level=5)
    deliver(desk, token, "kiosk-1", late, fresh, praise)

    with desk_client(desk, "boss") as viewer:
        page = viewer.get("/desk/reviews").text
        assert "139****5678" in page and "13912345678" not in page
        assert "QH-20261116-0001" in page and "QH-20261130-0002" in page and "QH-20261130-0003" not in page
        old_row = page[page.index("QH-20261116-0001") - 200 : page.index("QH-20261116-0001")]
        assert 'class="overdue"' in old_row and "已超期" in page
        detail = viewer.get(f"/desk/records/{late['id']}")
        assert "139****5678" in detail.text and "<textarea" not in detail.text
        refused = viewer.post(
            f"/desk/records/{late['id']}",
            data={"csrf": csrf_of(detail), "kind": "rating", "status": "contacted", "text": "试图办理"},
        )
        assert refused.status_code == 403 and "没有此项操作的权限" in refused.text

    with desk_client(desk, "clerk") as handler:
        detail = handler.get(f"/desk/records/{late['id']}")
        assert "13912345678" in detail.text and "待回访" in detail.text
        csrf = csrf_of(detail)
        url = f"/desk/records/{late['id']}"
        skip = handler.post(
            url, data={"csrf": csrf, "kind": "rating", "status": "closed", "text": "直接办结"}
        )
        assert skip.status_code == 409 and "不能改为「已办结」" in skip.text
        empty = handler.post(url, data={"csrf": csrf, "kind": "rating", "status": "contacted", "text": " "})
        assert empty.status_code == 409 and "请填写回访记录" in empty.text
        for status, text in (("contacted", "已电话联系，市民反映等候过久"), ("closed", "已协调窗口增派人员")):
            answer = handler.post(url, data={"csrf": csrf, "kind": "rating", "status": status, "text": text})
            assert answer.status_code == 303, answer.text
        history = handler.get(url).text
        assert (
            "已办结" in history
            and "已电话联系，市民反映等候过久" in history
            and "已协调窗口增派人员" in history
        )
        assert "<textarea" not in history  # nothing left to do
        todo = handler.get("/desk/reviews").text
        assert "QH-20261116-0001" not in todo and "QH-20261130-0002" in todo
        assert "QH-20261116-0001" in handler.get("/desk/reviews?done=true").text
    with centre_engine.connect() as conn:
        notes = conn.execute(select(follow_up_notes.c.author, follow_up_notes.c.status)).all()
    assert sorted(notes) == [("clerk", "closed"), ("clerk", "contacted")]


def test_suggestions_and_requests_record_a_reply_due_in_three_working_days(
    desk: ServedCentre, centre_engine: Engine
) -> None:
    add_member(centre_engine, "clerk", "handler")
    token = register(centre_engine, "kiosk-1")
    friday = datetime(2026, 9, 25, 2, 0, tzinfo=UTC)  # Mid-Autumn Festival; National Day follows
    request = citizen_record("kiosk-1", "disclosure_request", friday, "QH-20260925-0001", phone="13700001111")
    suggestion = citizen_record("kiosk-1", "suggestion", datetime.now(UTC), "QH-20261130-0009")
    deliver(desk, token, "kiosk-1", request, suggestion)
    with desk_client(desk, "clerk") as handler:
        queue = handler.get("/desk/requests").text
        assert "QH-20260925-0001" in queue and "财政预决算" in queue and "QH-20261130-0009" not in queue
        assert "2026-09-30" in queue and "已超期" in queue  # Sep 28, 29, 30 are the three working days
        assert "QH-20261130-0009" in handler.get("/desk/suggestions").text
        url = f"/desk/records/{request['id']}"
        csrf = csrf_of(handler.get(url))
        form = {
            "csrf": csrf,
            "kind": "disclosure_request",
            "status": "replied",
            "text": "2026年预算已公开于第3栏",
        }
        assert handler.post(url, data={**form, "publish": "true"}).status_code == 303
        done = handler.get(url).text
        assert "已答复" in done and "2026年预算已公开于第3栏（同意公开）" in done
        assert "QH-20260925-0001" not in handler.get("/desk/requests").text
    with centre_engine.connect() as conn:
        stored = conn.execute(select(follow_ups.c.status, follow_ups.c.reply, follow_ups.c.publish)).one()
    assert tuple(stored) == ("replied", "2026年预算已公开于第3栏", True)


def test_the_fleet_page_shows_each_status_in_colour_and_words(
    desk: ServedCentre, centre_engine: Engine
) -> None:
    add_member(centre_engine, "boss", "viewer")
    token = register(centre_engine, "kiosk-heard")
    register(centre_engine, "led-never", "display")
    beat = heartbeat("kiosk-heard", sent_at=datetime.now(UTC).isoformat(), outbox={"depth": 0})
    answer = httpx.post(
        desk.url + "v1/heartbeats", json=beat, headers={"Authorization": f"Bearer {token}"}, timeout=20
    )
    assert answer.status_code == 200, answer.text
    with desk_client(desk, "boss") as viewer:
        page = viewer.get("/desk/fleet").text
    heard = page[page.index("kiosk-heard") :]
    assert '<span class="status status-ok">正常</span>' in heard.split("</tr>")[0]
    never = page[page.index("led-never") :]
    assert '<span class="status status-silent">失联</span>' in never.split("</tr>")[0] and "从未" in never


def test_every_list_exports_to_excel_as_its_page_shows_it(desk: ServedCentre, centre_engine: Engine) -> None:
    add_member(centre_engine, "clerk", "handler")
    add_member(centre_engine, "boss", "viewer")
    token = register(centre_engine, "kiosk-1")
    now = datetime.now(UTC)
    late = citizen_record(
        "kiosk-1", "rating", now - timedelta(days=14), "QH-20261116-0001", level=1, phone="13912345678"
    )
    request = citizen_record("kiosk-1", "disclosure_request", now, "QH-20261130-0002")
    deliver(desk, token, "kiosk-1", late, request)
    with desk_client(desk, "clerk") as handler:
        url = f"/desk/records/{request['id']}"
        form = {"csrf": csrf_of(handler.get(url)), "kind": "disclosure_request", "status": "replied"}
        assert handler.post(url, data={**form, "text": '=HYPERLINK("http://127.0.0.1/")'}).status_code == 303
        replied = _sheet(handler.get("/desk/requests.xlsx?done=true"))
        header = [cell.value for cell in replied[0]]
        assert header[-2:] == ["答复", "同意公开"]
        reply = replied[1][header.index("答复")]
        assert (
            reply.data_type == "s" and reply.value == '=HYPERLINK("http://127.0.0.1/")'
        )  # text, not a formula
        assert _values(_sheet(handler.get("/desk/reviews.xlsx")))[1][7] == "13912345678"
    with desk_client(desk, "boss") as viewer:
        reviews = _values(_sheet(viewer.get("/desk/reviews.xlsx")))
        assert reviews[0][:4] == ["编号", "受理时间", "评价", "原因"]
        assert reviews[1][0] == "QH-20261116-0001" and reviews[1][2] == "1 非常不满意"
        assert reviews[1][7] == "139****5678" and "已超期" in reviews[1]
        fleet = _values(_sheet(viewer.get("/desk/fleet.xlsx")))
        assert fleet[0][0] == "设备" and fleet[1][:4] == ["kiosk-1", "信息查询机", "qinghe-hall", "失联"]
    assert httpx.get(desk.url + "desk/reviews.xlsx", timeout=20).status_code == 303  # signed in only


def _sheet(answer: httpx.Response) -> list[list[Any]]:
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(BytesIO(answer.content))
    return [list(row) for row in book.active.iter_rows()]


def _values(rows: list[list[Any]]) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in rows]


def test_a_device_page_charts_its_heartbeat_history_and_says_it_in_words(
    desk: ServedCentre, centre_engine: Engine
) -> None:
    add_member(centre_engine, "boss", "viewer")
    register(centre_engine, "kiosk-1")
    errors = heartbeat_history(centre_engine, "kiosk-1", datetime.now(UTC))
    with desk_client(desk, "boss") as viewer:
        assert 'href="/desk/devices/kiosk-1"' in viewer.get("/desk/fleet").text
        page = viewer.get("/desk/devices/kiosk-1?days=7")
        assert page.status_code == 200
        text = page.text
        assert f"同步出错 {errors} 次" in text and "收到心跳 42 次（42 个小时有心跳）" in text
        assert "待发送最多 47 条" in text and "剩余磁盘最少 21.0 GB" in text
        assert text.count('role="img"') == 3 and "<script" not in text
        assert text.count('class="bar"') == errors
        assert text.count('<polyline class="line"') == 4  # two lines, each broken by the silent hours
        assert viewer.get("/desk/devices/nobody").status_code == 404
        assert viewer.get("/desk/devices/kiosk-1?days=99").status_code == 422


def test_a_reply_marked_for_publication_exports_as_an_item_the_feed_build_takes_once_reviewed(
    desk: ServedCentre, centre_engine: Engine, tmp_path: Path
) -> None:
    add_member(centre_engine, "clerk", "handler")
    token = register(centre_engine, "kiosk-1")
    now = datetime.now(UTC)
    chosen = citizen_record(
        "kiosk-1",
        "disclosure_request",
        now,
        "QH-20261130-0021",
        node={"id": "gov.finance", "title": "财政信息"},
        topics=[{"code": "budget", "label": "部门预算"}],
    )
    private = citizen_record("kiosk-1", "disclosure_request", now, "QH-20261130-0022")
    suggestion = citizen_record("kiosk-1", "suggestion", now, "QH-20261130-0023")
    deliver(desk, token, "kiosk-1", chosen, private, suggestion)
    replies = {
        chosen["id"]: ("disclosure_request", "2026年部门预算已于3月公开。\n详见财政信息栏目。", True),
        private["id"]: ("disclosure_request", "已电话答复申请人。", False),
        suggestion["id"]: ("suggestion", "已在大厅增设座椅。", True),
    }
    with desk_client(desk, "clerk") as handler:
        for record_id, (kind, text, publish) in replies.items():
            url = f"/desk/records/{record_id}"
            form = {"csrf": csrf_of(handler.get(url)), "kind": kind, "status": "replied", "text": text}
            assert (
                handler.post(url, data={**form, **({"publish": "true"} if publish else {})}).status_code
                == 303
            )
        exported = handler.get("/desk/publication.yaml")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    assert "reply-qh-20261130-0021" in exported.text and "reply-qh-20261130-0023" in exported.text
    assert "reply-qh-20261130-0022" not in exported.text  # not marked for publication

    source = tmp_path / "source"
    shutil.copytree(REPO / "assets" / "demo", source)
    catalog = (source / "catalog.yaml").read_text(encoding="utf-8")
    (source / "catalog.yaml").write_text(
        catalog + "  - id: replies\n    title: 答复公开\n    parent: gov\n    domain: government\n",
        encoding="utf-8",
    )
    (source / "items" / "replies.yaml").write_text(exported.text, encoding="utf-8")
    with pytest.raises(
        SourceInvalidError,
        match=r"item 'reply-qh-20261130-002[13]': review.status: is 'pending', not 'approved'",
    ):
        load_source(source)  # 先审核、后公开: the draft does not publish itself
    reviewed = exported.text.replace("status: pending", "status: approved").replace(
        "confidentiality_checked: false", "confidentiality_checked: true"
    )
    (source / "items" / "replies.yaml").write_text(
        reviewed.replace("待审核", "办公室 王芳"), encoding="utf-8"
    )
    loaded = load_source(source)
    items = {record.id: record for record in loaded.records if record.id.startswith("reply-")}
    assert set(items) == {"reply-qh-20261130-0021", "reply-qh-20261130-0023"}
    budget = items["reply-qh-20261130-0021"]
    assert budget.node == "gov.finance" and budget.body == "2026年部门预算已于3月公开。\n详见财政信息栏目。"
    assert budget.title == "点题公开答复：财政信息、部门预算"
    assert items["reply-qh-20261130-0023"].node == "replies"


def test_the_ratings_page_counts_each_level_per_week_hall_and_guide(
    desk: ServedCentre, centre_engine: Engine
) -> None:
    add_member(centre_engine, "boss", "viewer")
    token = register(centre_engine, "kiosk-1")
    now = datetime.now(UTC)
    guide = {"kind": "guide", "id": "bdc-first", "title": "不动产首次登记"}
    other = {"kind": "guide", "id": "hukou", "title": "户口迁移"}
    made = [
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0101", level=5, subject=guide),
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0102", level=1, subject=guide),
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0103", level=4, subject=other),
        citizen_record(
            "kiosk-1", "rating", now - timedelta(weeks=2), "QH-20261116-0104", level=2, subject=other
        ),
        citizen_record(
            "kiosk-1", "rating", now - timedelta(weeks=30), "QH-20260504-0105", level=1, subject=guide
        ),
    ]
    deliver(desk, token, "kiosk-1", *made)
    with desk_client(desk, "boss") as viewer:
        page = viewer.get("/desk/ratings?weeks=4")
    assert page.status_code == 200
    text = page.text
    assert text.count('role="img"') == 1 and "非常满意" in text and '<ul class="legend">' in text
    weeks = re.findall(r'<tr><th scope="row">(\d{4}-\d\d-\d\d)</th>((?:<td>[^<]*</td>)+)</tr>', text)
    assert len(weeks) == 4
    cells = {week: re.findall(r"<td>([^<]*)</td>", row) for week, row in weeks}
    this_week, two_ago = weeks[-1][0], weeks[-3][0]
    assert cells[this_week][:7] == ["1", "1", "0", "0", "1", "3", "1"]  # 5,4,3,2,1, total, 差评
    assert cells[two_ago][:7] == ["0", "0", "0", "1", "0", "1", "1"]
    hall = re.search(r'<th scope="row">qinghe-hall</th>((?:<td>[^<]*</td>)+)', text)
    assert hall and re.findall(r"<td>([^<]*)</td>", hall.group(1)) == [
        "1",
        "1",
        "0",
        "1",
        "1",
        "4",
        "2",
        "3.00",
    ]
    guides = re.findall(r'<th scope="row">(户口迁移|不动产首次登记)</th>((?:<td>[^<]*</td>)+)', text)
    averages = {name: re.findall(r"<td>([^<]*)</td>", row)[-1] for name, row in guides}
    assert averages == {"户口迁移": "3.00", "不动产首次登记": "3.00"}  # the 30-week-old 1 is outside
