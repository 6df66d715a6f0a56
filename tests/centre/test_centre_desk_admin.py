"""The admin's desk pages over real HTTP, on SQLite and PostgreSQL: accounts added and disabled (a
disabled clerk is out at the next request; an admin cannot lock themself out), devices registered
with a token shown once and never cached, a new token, a new form key, revoked; a handler or viewer
is refused all of it, and every refusal says why in Chinese and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import Engine, select

from centre.db import devices, staff
from centre.db.schema import devices as device_table
from centre.rules.tokens import token_hash
from tests.centre.desk_kit import PASSWORD, ServedCentre, add_member, csrf_of, desk_client

SECRET = 'id="secret" class="secret" value="'


def _post(client: httpx.Client, page: str, action: str, **form: str) -> httpx.Response:
    return client.post(action, data={"csrf": csrf_of(client.get(page)), **form})


def _secret(answer: httpx.Response) -> str:
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    return answer.text.split(SECRET)[1].split('"')[0]


def test_an_admin_adds_and_disables_accounts(served: ServedCentre, centre_engine: Engine) -> None:
    add_member(centre_engine, "管理员", "admin")
    page = "/desk/admin/accounts"
    with desk_client(served, "管理员") as admin:
        listing = admin.get(page)
        assert listing.status_code == 200 and "管理员" in listing.text and "（当前账号）" in listing.text
        assert '<a href="/desk/admin/accounts" aria-current="page">账号</a>' in listing.text
        refusals = {
            "short password": ({"name": "王芳", "password": "short", "again": "short"}, "密码须为 10 到"),
            "passwords differ": ({"name": "王芳", "password": "a" * 12, "again": "b" * 12}, "两次输入须一致"),
            "spaces round the name": (
                {"name": " 王芳", "password": "a" * 12, "again": "a" * 12},
                "前后不能有空格",
            ),
            "no such role": (
                {"name": "王芳", "role": "boss", "password": "a" * 12, "again": "a" * 12},
                "请选择角色",
            ),
            "taken": ({"name": "管理员", "password": "a" * 12, "again": "a" * 12}, "已有同名账号"),
        }
        for case, (form, words) in refusals.items():
            answer = _post(admin, page, page, **{"role": "handler", **form})
            assert answer.status_code == 422 and words in answer.text, case
        assert [m.name for m, _ in staff.all_members(centre_engine)] == ["管理员"]
        added = _post(
            admin,
            page,
            page,
            name="王芳",
            role="handler",
            password=PASSWORD,
            again=PASSWORD,
        )
        assert added.status_code == 200 and "已添加账号「王芳」（办理员）" in added.text
        with desk_client(served, "王芳") as clerk:  # signs in with the password the admin set
            assert clerk.get("/desk/reviews").status_code == 200
            assert _post(admin, page, "/desk/admin/accounts/%E7%8E%8B%E8%8A%B3/disable").status_code == 303
            out = clerk.get("/desk/reviews")
            assert out.status_code == 303 and "/desk/sign-in" in out.headers["location"]  # out at once
        self_lock = _post(admin, page, "/desk/admin/accounts/%E7%AE%A1%E7%90%86%E5%91%98/disable")
        assert self_lock.status_code == 409 and "不能停用自己" in self_lock.text
        unknown = _post(admin, page, "/desk/admin/accounts/nobody/disable")
        assert unknown.status_code == 404 and "没有这个账号" in unknown.text
    assert dict((m.name, active) for m, active in staff.all_members(centre_engine)) == {
        "管理员": True,
        "王芳": False,
    }


def test_an_admin_registers_and_manages_devices(served: ServedCentre, centre_engine: Engine) -> None:
    add_member(centre_engine, "管理员", "admin")
    page = "/desk/admin/devices"
    with desk_client(served, "管理员") as admin:
        for form, words in (
            ({"id": "Kiosk 1", "role": "kiosk", "hall": "qinghe"}, "只能用小写字母"),
            ({"id": "kiosk-1", "role": "kiosk", "hall": "../etc"}, "只能用小写字母"),
            ({"id": "kiosk-1", "role": "printer", "hall": "qinghe"}, "请选择设备类型"),
        ):
            answer = _post(admin, page, page, **form)
            assert answer.status_code == 422 and words in answer.text, form
        assert devices.all_devices(centre_engine) == []
        token = _secret(_post(admin, page, page, id="kiosk-1", role="kiosk", hall="qinghe"))
        again = _post(admin, page, page, id="kiosk-1", role="kiosk", hall="qinghe")
        assert again.status_code == 422 and "已有这个编号的设备" in again.text
        health = httpx.get(served.url + "v1/health", headers={"Authorization": f"Bearer {token}"}, timeout=20)
        assert health.status_code == 200
        with centre_engine.connect() as conn:
            stored = conn.execute(select(device_table.c.token_hash)).scalar_one()
        assert stored == token_hash(token) and token not in admin.get(page).text  # shown once only
        rotated = _secret(_post(admin, page, "/desk/admin/devices/kiosk-1/token"))
        assert rotated != token and devices.by_token(centre_engine, token) is None
        assert devices.by_token(centre_engine, rotated) is not None
        key = _secret(_post(admin, page, "/desk/admin/devices/kiosk-1/form-key"))
        with centre_engine.connect() as conn:
            assert conn.execute(select(device_table.c.form_key)).scalar_one() == key
        assert _post(admin, page, "/desk/admin/devices/kiosk-1/revoke").status_code == 303
        assert devices.by_token(centre_engine, rotated) is None and "已停用" in admin.get(page).text
        missing = _post(admin, page, "/desk/admin/devices/kiosk-9/token")
        assert missing.status_code == 404 and "没有这台设备" in missing.text


def test_only_an_admin_may_manage_accounts_and_devices(served: ServedCentre, centre_engine: Engine) -> None:
    add_member(centre_engine, "王芳", "handler")
    add_member(centre_engine, "督查", "viewer")
    devices.add(centre_engine, "kiosk-1", "kiosk", "qinghe", datetime.now(UTC))
    for name in ("王芳", "督查"):
        with desk_client(served, name) as client:
            queue = client.get("/desk/reviews")
            assert "/desk/admin/" not in queue.text  # no links to what they may not open
            csrf = csrf_of(queue)
            for path in ("/desk/admin/accounts", "/desk/admin/devices"):
                refused = client.get(path)
                assert refused.status_code == 403 and "没有此项操作的权限" in refused.text, (name, path)
            for path, form in (
                (
                    "/desk/admin/accounts",
                    {"name": "x", "role": "admin", "password": "a" * 12, "again": "a" * 12},
                ),
                ("/desk/admin/devices/kiosk-1/revoke", {}),
                ("/desk/admin/devices/kiosk-1/token", {}),
            ):
                assert client.post(path, data={"csrf": csrf, **form}).status_code == 403, (name, path)
    assert [m.name for m, _ in staff.all_members(centre_engine)] == ["王芳", "督查"]
    assert devices.all_devices(centre_engine)[0].revoked_at is None
    with httpx.Client(base_url=served.url, timeout=20) as stranger:
        answer = stranger.get("/desk/admin/devices")
        assert answer.status_code == 303 and "/desk/sign-in" in answer.headers["location"]
