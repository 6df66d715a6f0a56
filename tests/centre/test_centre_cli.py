"""`hall-centre` as an operator uses it: register a device and use the token it prints, list, revoke,
rotate; a bad config or command is one clear line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.centre.centre_kit import CentreProcess, hall_centre, write_config


@pytest.mark.slow
def test_devices_add_list_revoke_rotate(centre: CentreProcess, centre_config: Path) -> None:
    added = hall_centre(
        "devices",
        "add",
        "kiosk-east",
        "--role",
        "kiosk",
        "--hall",
        "qinghe-hall",
        "--config",
        str(centre_config),
    )
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip().splitlines()[-1]
    beat = {
        "device_id": "kiosk-east",
        "role": "kiosk",
        "software_version": "0.1.0",
        "sent_at": "2026-11-29T10:00:00+08:00",
        "interval_seconds": 60,
        "uptime_seconds": 5,
        "feed": {},
        "outbox": {"depth": 0},
    }

    def send(with_token: str) -> int:
        headers = {"Authorization": f"Bearer {with_token}"}
        return httpx.post(centre.url + "v1/heartbeats", json=beat, headers=headers, timeout=10).status_code

    assert send(token) == 200
    twice = hall_centre(
        "devices", "add", "kiosk-east", "--role", "kiosk", "--hall", "h", "--config", str(centre_config)
    )
    assert twice.returncode == 1 and "already registered" in twice.stderr

    listed = hall_centre("devices", "list", "--json", "--config", str(centre_config))
    [device] = json.loads(listed.stdout)
    assert device["id"] == "kiosk-east" and not device["revoked"] and device["last_seen_at"]
    assert token not in listed.stdout

    assert hall_centre("devices", "revoke", "kiosk-east", "--config", str(centre_config)).returncode == 0
    assert send(token) == 401
    rotated = hall_centre("devices", "rotate", "kiosk-east", "--config", str(centre_config))
    fresh = rotated.stdout.strip().splitlines()[-1]
    assert fresh != token and send(fresh) == 200 and send(token) == 401
    unknown = hall_centre("devices", "revoke", "nobody", "--config", str(centre_config))
    assert unknown.returncode == 1 and "no device 'nobody'" in unknown.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["devices", "add", "Kiosk 1", "--role", "kiosk", "--hall", "h"], "is not an id"),
        (["devices", "add", "k1", "--role", "printer", "--hall", "h"], "invalid choice"),
    ],
)
def test_bad_arguments_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'c.db'}")
    assert hall_centre("init", "--config", str(config)).returncode == 0
    result = hall_centre(*args, "--config", str(config))
    assert result.returncode == 2 and message in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[centre]\ndatabase_url = "mysql://x"\n', "[centre] database_url: must start with sqlite:///"),
        ('[centre]\ndatabase_url = "sqlite:///:memory:"\n', "needs a database file"),
        ('[centre]\ntimezone = "Mars/Olympus"\n', "[centre] timezone: unknown time zone"),
        ("[centre]\nport = 70000\n", "[centre] port: expected `int` <= 65535"),
        ("[centre]\nsilent_after = 3\n", "[centre] silent_after: unknown key"),
        ("[centre\n", "not valid TOML"),
    ],
)
def test_a_bad_config_is_one_line_and_exit_2(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "centre.toml"
    config.write_text(content)
    result = hall_centre("init", "--config", str(config))
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_missing_config_or_database_folder_is_explained(tmp_path: Path) -> None:
    missing = hall_centre("init", "--config", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "cannot read config" in missing.stderr
    config = write_config(tmp_path, f"sqlite:///{tmp_path / 'no' / 'such' / 'c.db'}")
    nowhere = hall_centre("init", "--config", str(config))
    assert nowhere.returncode == 2 and "does not exist" in nowhere.stderr
