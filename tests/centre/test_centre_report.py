"""`hall-centre report`: the fleet's statuses, ratings per subject, the 差评 to follow up and the open
点题公开 requests, from records and heartbeats delivered over real HTTP."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy import Engine

from centre.config import load_centre_config
from centre.db import work
from centre.report import build_report
from centre.rules.work import QUEUES
from tests.centre.centre_kit import CentreProcess, hall_centre, register
from tests.centre.test_centre_receiver import batch, heartbeat, record


def test_the_report_shows_the_fleet_and_the_work(
    centre: CentreProcess, centre_engine: Engine, centre_config: Path
) -> None:
    fleet: dict[str, tuple[str, dict[str, Any]]] = {
        "kiosk-ok": ("kiosk", {"interval_seconds": 3600}),
        "kiosk-behind": ("kiosk", {"interval_seconds": 3600, "feed": {"feed_id": "qinghe", "sequence": 41}}),
        "kiosk-stale": (
            "kiosk",
            {"interval_seconds": 3600, "feed": {"feed_id": "qinghe", "sequence": 42, "stale": True}},
        ),
        "led-backlog": (
            "display",
            {"interval_seconds": 3600, "outbox": {"depth": 9, "oldest_unsent_seconds": 3000}},
        ),
        "kiosk-silent": ("kiosk", {"interval_seconds": 60}),
    }
    tokens = {device: register(centre_engine, device, role) for device, (role, _) in fleet.items()}
    register(centre_engine, "kiosk-never", "kiosk")
    with httpx.Client(base_url=centre.url, timeout=10) as http:
        for device, (role, changes) in fleet.items():
            beat = heartbeat(device, role, **changes)
            answer = http.post(
                "/v1/heartbeats", json=beat, headers={"Authorization": f"Bearer {tokens[device]}"}
            )
            assert answer.status_code == 200, answer.text
        records = [
            record("kiosk-ok", level=5),
            record("kiosk-ok", level=4),
            record("kiosk-ok", level=1, phone="13912345678"),
            record("kiosk-ok", level=2, subject={"kind": "hall", "id": "", "title": ""}),
            record("kiosk-ok", "disclosure_request", phone="13700001111"),
            record("kiosk-ok", "suggestion"),
        ]
        answer = http.post(
            "/v1/submissions",
            json=batch("kiosk-ok", *records),
            headers={"Authorization": f"Bearer {tokens['kiosk-ok']}"},
        )
        assert answer.status_code == 200

    settings = load_centre_config(centre_config).centre
    later = datetime.now(UTC) + timedelta(minutes=16)
    report = build_report(centre_engine, settings, later)
    statuses = {d.id: (d.status, tuple(d.problems)) for d in report.devices}
    assert statuses == {
        "kiosk-ok": ("ok", ()),
        "kiosk-behind": ("behind", ("behind",)),
        "kiosk-stale": ("stale", ("stale",)),
        "led-backlog": ("backlog", ("backlog",)),
        "kiosk-silent": ("silent", ("silent",)),
        "kiosk-never": ("silent", ("silent",)),
    }
    behind = next(d for d in report.devices if d.id == "kiosk-behind")
    assert (behind.sequence, behind.newest_sequence) == (41, 42)
    guide = next(r for r in report.ratings if r.subject_id == "bdc-first")
    assert (guide.count, guide.average, guide.by_level) == (3, 3.33, {5: 1, 4: 1, 3: 0, 2: 0, 1: 1})
    assert [r.details["level"] for r in report.bad_reviews] == [1, 2]
    first = report.bad_reviews[0]
    assert first.phone == "139****5678"
    assert first.details["reasons"] == ["等候时间长、办理慢"]
    assert first.created.endswith("+08:00")  # the bureau's wall clock
    assert [r.phone for r in report.requests] == ["137****1111"]
    assert report.requests[0].details["node"] == {"id": "budget", "title": "财政预决算"}

    as_json = hall_centre("report", "--config", str(centre_config), "--json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    assert {"devices", "ratings", "bad_reviews", "requests"} <= set(data)
    assert "13912345678" not in as_json.stdout and "139****5678" in as_json.stdout
    as_text = hall_centre("report", "--config", str(centre_config))
    assert as_text.returncode == 0, as_text.stderr
    assert "差评：2 条，未办结 2 条，其中超期 0 条" in as_text.stdout and "13912345678" not in as_text.stdout


def test_the_report_gives_each_deadline_and_its_status(
    centre: CentreProcess, centre_engine: Engine, centre_config: Path
) -> None:
    token = register(centre_engine, "kiosk-1")
    review, request = record("kiosk-1", level=1), record("kiosk-1", "disclosure_request")
    other = record("kiosk-1", level=2)
    answer = httpx.post(
        centre.url + "v1/submissions",
        json=batch("kiosk-1", review, request, other),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert answer.status_code == 200
    settings = load_centre_config(centre_config).centre
    for status, text in (("contacted", "已联系"), ("closed", "已办结")):
        work.record_step(
            centre_engine,
            QUEUES["reviews"],
            UUID(review["id"]),
            status,
            text,
            author="clerk",
            now=datetime.now(UTC),
        )
    # Received Sunday 2026-11-29: a 差评 is due Monday the 30th, a request three working days later.
    monday_evening = datetime(2026, 11, 30, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai
    report = build_report(centre_engine, settings, monday_evening)
    dues = {
        line.id: (line.status, line.due.date, line.due.status)
        for line in report.bad_reviews + report.requests
    }
    assert dues == {
        review["id"]: ("closed", "2026-11-30", "done"),
        other["id"]: ("open", "2026-11-30", "open"),
        request["id"]: ("open", "2026-12-02", "open"),
    }
    tuesday = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    later = build_report(centre_engine, settings, tuesday).as_json()
    assert {line["id"]: line["due"]["status"] for line in later["bad_reviews"]} == {
        review["id"]: "done",
        other["id"]: "overdue",
    }
    assert later["requests"][0]["due"] == {
        "date": "2026-12-02",
        "status": "open",
        "estimated_years": [],
        "note": "",
    }
    as_json = json.loads(hall_centre("report", "--config", str(centre_config), "--json").stdout)
    assert {line["due"]["status"] for line in as_json["bad_reviews"]} <= {"done", "overdue", "open"}
