"""依申请公开 (applications for government information), on SQLite and PostgreSQL over real HTTP: the
phone form takes the identity the regulation requires and checks ID numbers; the desk tracks the
statutory 20 working days across China's holidays, extends a deadline once with a reason (never after
it has passed), and records the answer's form with its ground; viewers see the identity masked; the
report gives each application's status and deadline; ratings are counted by department, on the page
and in its Excel export."""

from __future__ import annotations

import json
import logging
import re
import secrets
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest
from sqlalchemy import Engine, select

from centre.catalogue import NodeTitles
from centre.db import phone
from centre.db.schema import applicants, follow_ups, submissions
from centre.desk.export import MEDIA_TYPE
from centre.rules.disclosure import answer_problem, applicant_of, applicant_problems
from centre.rules.work import QUEUES, StepError, check_extension, due_of, record_due
from centre.rules.working_days import calendar_from
from feed import FormTicket, prepare_demo_cache, sign_form_link
from tests.centre.centre_kit import hall_centre, register, write_config
from tests.centre.desk_kit import (
    ServedCentre,
    add_member,
    citizen_record,
    csrf_of,
    deliver,
    desk_client,
    form_key,
)

ZONE = ZoneInfo("Asia/Shanghai")
APPLICATIONS = QUEUES["applications"]
RESIDENT_ID = "11010519491231002X"  # a valid check digit (GB 11643)
CREDIT_CODE = "91110108551385082Q"  # a valid unified social credit code (GB 32100)
APPLICANT: dict[str, str] = {
    "applicant_kind": "citizen",
    "name": "张三丰",
    "id_kind": "resident_id",
    "id_number": RESIDENT_ID,
    "phone": "139 1234 5678",
    "email": "",
    "address": "",
    "delivery": "collect",
    "text": "2025年区财政局部门决算及“三公”经费决算说明",
}


def _applicant(**changes: str) -> list[str]:
    fields = {**APPLICANT, **changes}
    fields["kind"] = fields.pop("applicant_kind")
    fields.pop("text")
    return applicant_problems(applicant_of(**fields))


def test_an_application_needs_who_applies_proof_of_identity_contact_and_a_way_to_receive() -> None:
    assert _applicant() == []
    assert _applicant(id_number="1101 0519 4912 3100 2x") == []  # spaces and a lower-case x are fine
    assert (
        _applicant(applicant_kind="organisation", name="清河建筑公司", id_kind="uscc", id_number=CREDIT_CODE)
        == []
    )
    assert _applicant(id_kind="other", id_number="E12345678") == []  # a passport: length only
    wrong = {
        "bad check digit": ({"id_number": "110105194912310021"}, "居民身份证号码不正确"),
        "impossible birthday": ({"id_number": "110105194902300021"}, "居民身份证号码不正确"),
        "bad credit code": ({"id_kind": "uscc", "id_number": "91110108551385082A"}, "统一社会信用代码不正确"),
        "no name": ({"name": "  "}, "请填写申请人姓名"),
        "no id": ({"id_number": ""}, "请填写证件号码"),
        "unknown id kind": ({"id_kind": "badge"}, "请选择身份证件类型"),
        "unknown applicant": ({"applicant_kind": "robot"}, "请选择申请人类型"),
        "no phone": ({"phone": ""}, "请填写联系电话"),
        "letters in phone": ({"phone": "139abc"}, "请填写联系电话"),
        "post, no address": ({"delivery": "post"}, "选择邮寄时请填写通信地址"),
        "e-mail, none given": ({"delivery": "email"}, "选择电子邮件时请填写电子邮箱"),
        "bad e-mail": ({"email": "zhang at example"}, "电子邮箱的格式不对"),
        "unknown delivery": ({"delivery": "pigeon"}, "请选择获取信息的方式"),
        "long other id": ({"id_kind": "other", "id_number": "9" * 41}, "不要超过 40 位"),
    }
    for case, (changes, words) in wrong.items():
        found = _applicant(**changes)
        assert len(found) == 1 and words in found[0], (case, found)


def test_an_answer_has_a_form_and_a_withheld_part_its_ground() -> None:
    assert answer_problem("disclose", "") is None
    assert answer_problem("partial", "third_party") is None
    assert answer_problem("withhold", "process_information") is None
    assert "答复形式" in (answer_problem("", "") or "")
    assert "须写明依据" in (answer_problem("withhold", "") or "")
    assert "须写明依据" in (answer_problem("partial", "because") or "")


def test_twenty_working_days_cross_mid_autumn_and_national_day_2026_and_the_extension_adds_twenty() -> None:
    calendar = calendar_from(None)
    received = datetime(2026, 9, 23, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Beijing
    # Sep 24; Sep 25 is Mid-Autumn; Sep 28–30; Oct 1–7 National Day; Oct 8, 9, the make-up Saturday
    # Oct 10, then Oct 12–16, 19–23, 26–28: twenty.
    due = record_due(APPLICATIONS, received, 20, extended=False, calendar=calendar, zone=ZONE)
    assert due.day.isoformat() == "2026-10-28" and not due.estimated
    longer = record_due(APPLICATIONS, received, 20, extended=True, calendar=calendar, zone=ZONE)
    assert longer.day.isoformat() == "2026-11-25"  # Oct 29, 30, then four weeks of November less two days
    on_holiday = due_of(datetime(2026, 10, 3, 4, 0, tzinfo=UTC), 20, calendar, ZONE)
    assert on_holiday.day.isoformat() == "2026-11-03"  # counting starts on the first working day, Oct 8
    late_in_year = due_of(datetime(2026, 12, 10, 2, 0, tzinfo=UTC), 20, calendar, ZONE)
    assert late_in_year.estimated and "2027" in late_in_year.note()  # no 2027 holidays known: says so


def test_a_deadline_is_extended_once_with_a_reason_and_before_it_passes() -> None:
    calendar = calendar_from(None)
    received = datetime(2026, 9, 23, 2, 0, tzinfo=UTC)
    due = due_of(received, 20, calendar, ZONE)
    before = datetime(2026, 10, 28, 9, 0, tzinfo=UTC)  # the last day, 17:00 in Beijing
    check_extension(
        APPLICATIONS, "open", extended=False, due=due, now=before, zone=ZONE, reason="需征求第三方意见"
    )
    refused = {
        "twice": ({"extended": True}, "只能延长一次"),
        "after the deadline": ({"now": datetime(2026, 10, 28, 16, 30, tzinfo=UTC)}, "原答复期限已过"),
        "already answered": ({"status": "replied"}, "已答复"),
        "no reason": ({"reason": "  "}, "请填写延长答复期限的理由"),
    }
    for case, (changes, words) in refused.items():
        facts: dict[str, Any] = {
            "status": "open",
            "extended": False,
            "now": before,
            "reason": "理由",
            **changes,
        }
        status = facts.pop("status")
        with pytest.raises(StepError, match=words):
            check_extension(APPLICATIONS, status, due=due, zone=ZONE, **facts)
            pytest.fail(f"extended although {case}")
    with pytest.raises(StepError, match="不能延长"):
        check_extension(
            QUEUES["requests"], "open", extended=False, due=due, now=before, zone=ZONE, reason="x"
        )


def _link(served: ServedCentre, device_id: str = "kiosk-1", subject: str = "fin-budget") -> str:
    key = form_key(served.config, device_id)
    return sign_form_link(key, "disclosure_application", device_id, subject, datetime.now(UTC))


def test_a_citizen_applies_on_the_phone_and_a_viewer_sees_the_identity_masked(
    served: ServedCentre,
    centre_engine: Engine,
) -> None:
    register(centre_engine, "kiosk-1", hall="qinghe-center")
    token = _link(served)
    with httpx.Client(base_url=served.url, timeout=20) as citizen:
        form = citizen.get(f"/p/{token}")
        assert form.status_code == 200 and "政府信息公开申请" in form.text and "20 个工作日" in form.text
        assert "<link" not in form.text and "<script" not in form.text
        for field in (
            "applicant_kind",
            "name",
            "id_kind",
            "id_number",
            "phone",
            "email",
            "address",
            "delivery",
        ):
            assert f'name="{field}"' in form.text, field
        bad = citizen.post(
            f"/p/{token}", data={**APPLICANT, "id_number": "110105194912310021", "phone": "", "text": ""}
        )
        assert bad.status_code == 422
        for words in ("居民身份证号码不正确", "请填写联系电话", "请填写所需政府信息的描述"):
            assert words in bad.text, words
        assert 'value="张三丰"' in bad.text  # what the citizen typed is kept
        done = citizen.post(f"/p/{token}", data=APPLICANT)
        assert done.status_code == 200 and "政府信息公开申请已提交" in done.text
        assert "20 个工作日内答复" in done.text and "到大厅当面领取" in done.text
        reference = done.text.split('<p class="reference">')[1].split("</p>")[0]
        assert citizen.post(f"/p/{token}", data=APPLICANT).status_code == 410  # once
    with centre_engine.connect() as conn:
        row = conn.execute(select(submissions)).mappings().one()
        who = conn.execute(select(applicants)).mappings().one()
    assert (row["kind"], row["queue"], row["reference"]) == (
        "disclosure_application",
        "applications",
        reference,
    )
    assert row["phone"] == "13912345678" and row["payload"]["subject"] == "fin-budget"
    assert RESIDENT_ID not in json.dumps(row["payload"], ensure_ascii=False) and "张三丰" not in str(
        row["payload"]
    )
    assert (who["submission_id"], who["name"], who["id_number"], who["delivery"]) == (
        row["id"],
        "张三丰",
        RESIDENT_ID,
        "collect",
    )
    add_member(centre_engine, "boss", "viewer")
    add_member(centre_engine, "clerk", "handler")
    with desk_client(served, "boss") as viewer:
        queue = viewer.get("/desk/applications").text
        page = viewer.get(f"/desk/records/{row['id']}").text
        sheet = viewer.get("/desk/applications.xlsx")
    assert reference in queue and "张**" in queue and "张三丰" not in queue
    assert "1101**********002X" in page and RESIDENT_ID not in page and "139****5678" in page
    assert "您的账号只能查看" in page and "延长答复期限" not in page
    assert sheet.status_code == 200 and RESIDENT_ID.encode() not in sheet.content
    with desk_client(served, "clerk") as handler:
        page = handler.get(f"/desk/records/{row['id']}").text
    assert "张三丰（公民）" in page and RESIDENT_ID in page and "13912345678" in page
    assert "fin-budget" in page and "到大厅当面领取" in page


def _store(engine: Engine, received: datetime, subject: str = "fin-budget") -> str:
    ticket = FormTicket(
        "disclosure_application", "kiosk-1", subject, int(received.timestamp()) + 1800, secrets.token_hex(4)
    )
    fields = {**APPLICANT}
    fields["kind"] = fields.pop("applicant_kind")
    text = fields.pop("text")
    applicant = applicant_of(**fields)
    reference = phone.store_form(
        engine,
        ticket,
        "qinghe-center",
        text=text,
        phone=applicant.phone,
        now=received,
        zone=ZONE,
        applicant=applicant,
    )
    assert reference is not None
    with engine.connect() as conn:
        return str(
            conn.execute(select(submissions.c.id).where(submissions.c.reference == reference)).scalar_one()
        )


def _post(client: httpx.Client, path: str, **form: str) -> httpx.Response:
    csrf = csrf_of(client.get(path.removesuffix("/extend")))
    return client.post(path, data={"csrf": csrf, "kind": "disclosure_application", **form})


def test_the_desk_extends_once_and_records_the_answers_form_and_ground(
    served: ServedCentre,
    centre_engine: Engine,
) -> None:
    register(centre_engine, "kiosk-1", hall="qinghe-center")
    add_member(centre_engine, "clerk", "handler")
    late = _store(centre_engine, datetime(2026, 9, 23, 2, 0, tzinfo=UTC))
    fresh = _store(centre_engine, datetime.now(UTC) - timedelta(hours=1))
    with desk_client(served, "clerk") as handler:
        queue = handler.get("/desk/applications").text
        assert "2026-10-28" in queue and "已超期" in queue and "可依法延长一次，最长 20 个工作日" in queue
        refused = _post(handler, f"/desk/records/{late}/extend", reason="需征求第三方意见")
        assert refused.status_code == 409 and "原答复期限已过" in refused.text
        page = f"/desk/records/{fresh}"
        due_before = re.search(r"<dt>办理期限</dt><dd>(\d{4}-\d\d-\d\d)", handler.get(page).text)
        assert due_before is not None
        assert "延长答复期限" in handler.get(page).text
        empty = _post(handler, f"{page}/extend", reason=" ")
        assert empty.status_code == 409 and "请填写延长答复期限的理由" in empty.text
        assert _post(handler, f"{page}/extend", reason="涉及第三方，需书面征求意见").status_code == 303
        extended = handler.get(page).text
        assert "已延期" in extended and "涉及第三方，需书面征求意见" in extended
        due_after = re.search(r"<dt>办理期限</dt><dd>(\d{4}-\d\d-\d\d)", extended)
        assert due_after is not None and due_after.group(1) > due_before.group(1)
        assert '<form method="post" action="/desk/records/' + fresh + '/extend">' not in extended
        again = _post(handler, f"{page}/extend", reason="再延一次")
        assert again.status_code == 409 and "只能延长一次" in again.text
        step = {"status": "replied", "text": "经审查，部分内容涉及第三方商业秘密，其余予以公开。"}
        no_form = _post(handler, page, **step)
        assert no_form.status_code == 409 and "请选择答复形式" in no_form.text
        no_ground = _post(handler, page, **step, outcome="withhold")
        assert no_ground.status_code == 409 and "须写明依据" in no_ground.text
        assert _post(handler, page, **step, outcome="partial", ground="third_party").status_code == 303
        answered = handler.get(page).text
        assert "部分公开，依据：涉及商业秘密、个人隐私等" in answered and "已答复" in answered
        assert "延长答复期限</strong>" in answered  # the history keeps the extension
        assert _post(handler, f"/desk/records/{late}", **step, outcome="disclose").status_code == 303
    with centre_engine.connect() as conn:
        rows = {
            str(r.submission_id): r
            for r in conn.execute(
                select(
                    follow_ups.c.submission_id,
                    follow_ups.c.outcome,
                    follow_ups.c.ground,
                    follow_ups.c.extended_at,
                )
            )
        }
    assert (rows[fresh].outcome, rows[fresh].ground) == ("partial", "third_party") and rows[fresh].extended_at
    assert (rows[late].outcome, rows[late].ground, rows[late].extended_at) == ("disclose", None, None)
    report = hall_centre("report", "--json", "--config", str(served.config))
    assert report.returncode == 0, report.stderr
    lines = {line["id"]: line for line in json.loads(report.stdout)["applications"]}
    assert lines[late]["due"]["date"] == "2026-10-28" and lines[late]["due"]["status"] == "done"
    assert lines[fresh]["details"]["extended"] is True and lines[fresh]["details"]["outcome"] == "partial"
    assert RESIDENT_ID not in report.stdout and "张三丰" not in report.stdout


def test_ratings_are_counted_by_department(served: ServedCentre, centre_engine: Engine) -> None:
    add_member(centre_engine, "boss", "viewer")
    token = register(centre_engine, "kiosk-1")
    now = datetime.now(UTC)
    land = {"kind": "guide", "id": "bdc-first", "title": "不动产首次登记", "department": "区自然资源局"}
    transfer = {
        "kind": "guide",
        "id": "bdc-transfer",
        "title": "不动产转移登记",
        "department": "区自然资源局",
    }
    budget = {"kind": "item", "id": "budget-2025", "title": "2025年预算", "department": "区财政局"}
    older = {"kind": "guide", "id": "hukou", "title": "户口迁移"}  # from a kiosk that did not send it
    made = [
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0201", level=5, subject=land),
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0202", level=1, subject=transfer),
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0203", level=4, subject=budget),
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0204", level=3, subject=older),
        citizen_record("kiosk-1", "rating", now, "QH-20261130-0205", level=5, subject={"kind": "hall"}),
    ]
    deliver(served, token, "kiosk-1", *made)
    with desk_client(served, "boss") as viewer:
        text = viewer.get("/desk/ratings?weeks=4").text
        sheet = viewer.get("/desk/ratings.xlsx?weeks=4")
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith(MEDIA_TYPE)
    book = openpyxl.load_workbook(BytesIO(sheet.content), read_only=True)
    assert book.sheetnames == ["每周", "按大厅", "按部门", "按事项"]
    by_department = {row[0]: row[1:] for row in book["按部门"].iter_rows(min_row=2, values_only=True)}
    assert by_department["区自然资源局"] == (1, 0, 0, 0, 1, 2, 1, 3.0)
    assert sum(row[6] for row in book["每周"].iter_rows(min_row=2, values_only=True)) == 5
    section = text.split("<h2>按部门")[1].split("<h2>")[0]
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)', section))
    assert set(rows) == {"区自然资源局", "区财政局", "（未注明部门）"}
    assert re.findall(r"<td>([^<]*)</td>", rows["区自然资源局"]) == [
        "1",
        "0",
        "0",
        "0",
        "1",
        "2",
        "1",
        "3.00",
    ]
    assert re.findall(r"<td>([^<]*)</td>", rows["区财政局"])[-3:] == ["1", "0", "4.00"]


def test_the_chosen_node_is_named_from_the_bureaus_feed_cache(
    tmp_path: Path, database_url: str, centre_engine: Engine
) -> None:
    cache = prepare_demo_cache(tmp_path / "demo")  # the demo feed, built, signed and synced
    centre = ServedCentre(write_config(tmp_path, database_url, feed_cache=str(cache)))
    centre.start()
    try:
        register(centre_engine, "kiosk-1", hall="qinghe-center")
        add_member(centre_engine, "clerk", "handler")
        key, now = form_key(centre.config, "kiosk-1"), datetime.now(UTC)
        named, unknown = (
            sign_form_link(key, "disclosure_application", "kiosk-1", node, now)
            for node in ("gov.org", "no.such.node")
        )
        with httpx.Client(base_url=centre.url, timeout=20) as citizen:
            assert "公开目录栏目：<strong>机构职能</strong>" in citizen.get(f"/p/{named}").text
            without_title = citizen.get(f"/p/{unknown}").text
            assert "已随申请一并提交" in without_title and "<strong>" not in without_title
            for token in (named, unknown):
                assert citizen.post(f"/p/{token}", data=APPLICANT).status_code == 200
        with centre_engine.connect() as conn:
            ids = dict(
                conn.execute(select(submissions.c.payload["subject"].as_string(), submissions.c.id)).all()
            )
        with desk_client(centre, "clerk") as handler:
            assert "<dd>机构职能</dd>" in handler.get(f"/desk/records/{ids['gov.org']}").text
            assert "<dd>no.such.node</dd>" in handler.get(f"/desk/records/{ids['no.such.node']}").text
    finally:
        centre.stop()


def test_a_feed_cache_that_cannot_be_read_leaves_the_ids_and_says_so_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    titles = NodeTitles(tmp_path / "nowhere")
    with caplog.at_level(logging.WARNING, logger="centre.catalogue"):
        assert titles.title("gov.org") is None and titles.title("gov.org") is None
    assert [r.levelname for r in caplog.records] == ["WARNING"] and "shown by id" in caplog.text
    assert NodeTitles(None).title("gov.org") is None
