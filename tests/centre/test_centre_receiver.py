"""The receiver over real HTTP (uvicorn on loopback), on SQLite and on PostgreSQL: what it stores,
whom it refuses, and that a refused request stores nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from centre.db import devices
from centre.db.schema import device_state, heartbeats, play_counts, submissions
from tests.centre.centre_kit import CentreProcess, register

CST = timezone(timedelta(hours=8))


def record(device_id: str, kind: str = "rating", **payload: Any) -> dict[str, Any]:
    defaults: dict[str, dict[str, Any]] = {
        "rating": {
            "level": 2,
            "subject": {"kind": "guide", "id": "bdc-first", "title": "不动产首次登记"},
            "reasons": [{"code": "slow", "label": "等候时间长、办理慢", "indicator": "服务效率"}],
            "channel": "kiosk",
        },
        "suggestion": {"topics": [{"code": "queue", "label": "排队叫号"}], "channel": "kiosk"},
        "disclosure_request": {
            "node": {"id": "budget", "title": "财政预决算"},
            "topics": [{"code": "budget", "label": "财政预决算"}],
        },
        "play_count": {
            "headline_id": "welcome",
            "hour": "2026-11-29T02:00:00+00:00",
            "plays": 40,
            "seconds": 320.0,
        },
    }
    return {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "reference": "PP-20261129-0001" if kind == "play_count" else "QH-20261129-0001",
        "created": datetime(2026, 11, 29, 10, 0, tzinfo=CST).isoformat(),
        "device_id": device_id,
        "payload": {**defaults[kind], **payload},
    }


def batch(device_id: str, *records: dict[str, Any]) -> dict[str, Any]:
    return {"device_id": device_id, "records": list(records)}


@pytest.fixture
def kiosk_token(centre_engine: Engine) -> str:
    return register(centre_engine, "kiosk-1", "kiosk")


@pytest.fixture
def http(centre: CentreProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=centre.url, timeout=10) as client:
        yield client


def post(http: httpx.Client, token: str | None, body: Any, path: str = "/v1/submissions") -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return http.post(path, json=body, headers=headers)


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_batch_is_stored_once_and_every_id_acknowledged(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine
) -> None:
    records = [
        record("kiosk-1", phone="13812345678"),
        record("kiosk-1", "suggestion"),
        record("kiosk-1", "disclosure_request"),
        record("kiosk-1", "play_count"),
    ]
    first = post(http, kiosk_token, batch("kiosk-1", *records))
    assert first.status_code == 200, first.text
    assert first.json() == {"held": [r["id"] for r in records], "stored": 4}
    again = post(http, kiosk_token, batch("kiosk-1", *records))
    assert again.json() == {"held": [r["id"] for r in records], "stored": 0}
    assert count(centre_engine, submissions) == 3
    assert count(centre_engine, play_counts) == 1
    with centre_engine.connect() as conn:
        rating = conn.execute(select(submissions).where(submissions.c.kind == "rating")).mappings().one()
    assert rating["level"] == 2 and rating["subject_id"] == "bdc-first" and rating["hall"] == "qinghe-hall"
    # The phone number is kept in its own column only, never inside the stored payload.
    assert rating["phone"] == "13812345678" and "phone" not in rating["payload"]
    assert rating["created_at"] == datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("token", "why"),
    [(None, "missing"), ("hk1_not-a-registered-token", "unknown"), ("Basic abc", "not a bearer token")],
)
def test_a_request_without_a_valid_token_is_refused_and_stores_nothing(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine, token: str | None, why: str
) -> None:
    body = batch("kiosk-1", record("kiosk-1"))
    if token == "Basic abc":
        answer = http.post("/v1/submissions", json=body, headers={"Authorization": token})
    else:
        answer = post(http, token, body)
    assert answer.status_code == 401, why
    assert answer.headers["www-authenticate"] == "Bearer"
    assert post(http, token if token != "Basic abc" else None, {}, "/v1/heartbeats").status_code == 401
    assert count(centre_engine, submissions) == 0


def test_a_revoked_token_is_refused(http: httpx.Client, kiosk_token: str, centre_engine: Engine) -> None:
    assert post(http, kiosk_token, batch("kiosk-1", record("kiosk-1"))).status_code == 200
    devices.revoke(centre_engine, "kiosk-1", datetime.now(UTC))
    answer = post(http, kiosk_token, batch("kiosk-1", record("kiosk-1")))
    assert answer.status_code == 401
    assert "revoked" in answer.json()["detail"]
    assert count(centre_engine, submissions) == 1


def test_a_device_cannot_speak_for_another(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine
) -> None:
    register(centre_engine, "kiosk-2", "kiosk")
    as_other = post(http, kiosk_token, batch("kiosk-2", record("kiosk-2")))
    assert as_other.status_code == 403 and "kiosk-2" in as_other.json()["detail"]
    smuggled = post(http, kiosk_token, batch("kiosk-1", record("kiosk-1"), record("kiosk-2")))
    assert smuggled.status_code == 403
    beat = post(http, kiosk_token, heartbeat("kiosk-2"), "/v1/heartbeats")
    assert beat.status_code == 403
    assert count(centre_engine, submissions) == 0 and count(centre_engine, heartbeats) == 0


def test_an_id_held_for_another_device_refuses_the_whole_batch(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine
) -> None:
    other = register(centre_engine, "kiosk-2", "kiosk")
    taken = record("kiosk-2")
    assert post(http, other, batch("kiosk-2", taken)).status_code == 200
    mine = record("kiosk-1")
    clash = {**taken, "device_id": "kiosk-1"}
    answer = post(http, kiosk_token, batch("kiosk-1", mine, clash))
    assert answer.status_code == 409 and "another device" in answer.json()["detail"]
    assert count(centre_engine, submissions) == 1  # not even `mine`


def test_oversized_bodies_and_records_get_413_and_store_nothing(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine
) -> None:
    big_record = record("kiosk-1", "suggestion", note="很" * 6000)  # 18 KB of payload
    answer = post(http, kiosk_token, batch("kiosk-1", record("kiosk-1"), big_record))
    assert answer.status_code == 413 and "16384" in answer.json()["detail"]

    many = [record("kiosk-1", "suggestion", note="x" * 4000) for _ in range(300)]  # ~1.3 MB
    answer = post(http, kiosk_token, batch("kiosk-1", *many))
    assert answer.status_code == 413 and "larger than" in answer.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b'{"device_id": "kiosk-1", "records": ['
        for _ in range(1200):
            yield b'"' + b"x" * 1000 + b'",'
        yield b"1]}"

    answer = http.post(
        "/v1/submissions",
        content=chunks(),
        headers={"Authorization": f"Bearer {kiosk_token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 413
    assert count(centre_engine, submissions) == 0


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b"{not json", "json"),
        (b'{"device_id": "kiosk-1", "records": []}', "records"),
        (json.dumps(batch("kiosk-1", record("kiosk-1", level=7))).encode(), "level"),
        (json.dumps(batch("kiosk-1", record("kiosk-1", level="5"))).encode(), "level"),
        (json.dumps(batch("kiosk-1", {**record("kiosk-1"), "kind": "complaint"})).encode(), "kind"),
        (
            json.dumps(batch("kiosk-1", {**record("kiosk-1"), "created": "2026-11-29T10:00:00"})).encode(),
            "created",
        ),
        (json.dumps(batch("kiosk-1", {**record("kiosk-1"), "id": "42"})).encode(), "id"),
        (json.dumps(batch("kiosk-1", record("kiosk-1", phone="138-0000-0000"))).encode(), "phone"),
    ],
    ids=["not-json", "empty", "level-7", "level-string", "kind", "naive-time", "id", "phone"],
)
def test_malformed_batches_get_422_with_the_reason_and_store_nothing(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine, body: bytes, where: str
) -> None:
    good = record("kiosk-1", "suggestion")
    answer = http.post(
        "/v1/submissions",
        content=body,
        headers={"Authorization": f"Bearer {kiosk_token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 422
    assert where in json.dumps(answer.json()["detail"]).lower()
    assert good["id"] not in answer.text
    assert count(centre_engine, submissions) == 0


def heartbeat(device_id: str, role: str = "kiosk", **changes: Any) -> dict[str, Any]:
    beat: dict[str, Any] = {
        "device_id": device_id,
        "role": role,
        "software_version": "0.1.0",
        "sent_at": datetime(2026, 11, 29, 10, 0, tzinfo=CST).isoformat(),
        "interval_seconds": 60,
        "uptime_seconds": 3600,
        "free_disk_bytes": 10_000_000_000,
        "feed": {"feed_id": "qinghe", "sequence": 42, "stale": False},
        "outbox": {"depth": 3, "oldest_unsent_seconds": 120.0},
    }
    beat.update(changes)
    return beat


def test_heartbeats_keep_the_newest_state_and_the_history(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine
) -> None:
    led = register(centre_engine, "led-1", "display")
    assert post(http, kiosk_token, heartbeat("kiosk-1"), "/v1/heartbeats").status_code == 200
    later = heartbeat("kiosk-1", feed={"feed_id": "qinghe", "sequence": 43, "stale": False})
    answer = post(http, kiosk_token, later, "/v1/heartbeats")
    assert answer.status_code == 200 and "received_at" in answer.json()
    on_screen = heartbeat(
        "led-1", "display", headline={"id": "welcome", "text": "欢迎来到青禾市政务服务中心"}
    )
    assert post(http, led, on_screen, "/v1/heartbeats").status_code == 200
    assert count(centre_engine, heartbeats) == 3
    with centre_engine.connect() as conn:
        states = {row["device_id"]: row for row in conn.execute(select(device_state)).mappings()}
    assert states["kiosk-1"]["sequence"] == 43
    assert states["led-1"]["headline_text"] == "欢迎来到青禾市政务服务中心"


def test_a_heartbeat_carries_nothing_else(
    http: httpx.Client, kiosk_token: str, centre_engine: Engine
) -> None:
    nosy = heartbeat("kiosk-1", last_search="bdc", phone="13812345678")
    answer = post(http, kiosk_token, nosy, "/v1/heartbeats")
    assert answer.status_code == 422 and "extra" in answer.text
    wrong_role = post(http, kiosk_token, heartbeat("kiosk-1", "display"), "/v1/heartbeats")
    assert wrong_role.status_code == 403 and "registered as a kiosk" in wrong_role.json()["detail"]
    assert count(centre_engine, heartbeats) == 0


def test_health_answers_without_a_token(http: httpx.Client) -> None:
    answer = http.get("/v1/health")
    assert answer.status_code == 200 and answer.json() == {"status": "ok"}


def test_the_log_never_holds_a_phone_number(
    http: httpx.Client, kiosk_token: str, centre: CentreProcess
) -> None:
    assert (
        post(http, kiosk_token, batch("kiosk-1", record("kiosk-1", phone="13987654321"))).status_code == 200
    )
    bad = record("kiosk-1", phone="13987654321", level=9)
    assert post(http, kiosk_token, batch("kiosk-1", bad)).status_code == 422
    centre.stop()
    log = centre.log()
    assert "/v1/submissions" in log  # the access log is there ...
    assert "13987654321" not in log  # ... but never what a citizen typed
