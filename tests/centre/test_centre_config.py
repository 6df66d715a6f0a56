"""The example configs of the centre and of the devices' [centre] sections load and explain every key."""

from __future__ import annotations

from pathlib import Path

import pytest

from centre.config import load_centre_config
from display.config import load_display_config
from feed.config import CentreLinkConfig, load_config, validate
from feed.errors import ConfigError
from kiosk.config import KioskAppConfig

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", ["centre.toml", "demo-centre.toml"])
def test_example_centre_configs_load_and_explain_every_key(name: str) -> None:
    path = REPO / "config" / name
    settings = load_centre_config(path).centre
    assert settings.database_url.startswith("sqlite:////")  # relative paths resolved
    assert settings.zone().key == "Asia/Shanghai"
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if "=" in line and not line.startswith("#"):
            assert lines[number - 1].startswith("#"), f"undocumented key in {name}: {line}"


def test_the_demo_centre_database_sits_beside_the_demo_feed() -> None:
    settings = load_centre_config(REPO / "config" / "demo-centre.toml").centre
    assert settings.database_url == f"sqlite:///{REPO / 'var' / 'demo' / 'centre.db'}"


def test_the_devices_example_configs_name_their_centre() -> None:
    kiosk = load_config(REPO / "config" / "kiosk.toml", KioskAppConfig)
    display = load_display_config(REPO / "config" / "display.toml")
    assert kiosk.centre is not None and display.centre is not None
    assert kiosk.centre.url == display.centre.url == "https://centre.qinghe.example/"
    assert kiosk.centre.token_file != display.centre.token_file  # two devices, two tokens


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"url": "ftp://centre/", "token_file": "t"}, r"url: must be an http\(s\) URL"),
        (
            {"url": "https://c/", "token_file": "t", "batch_records": 5000},
            "batch_records: expected `int` <= 1000",
        ),
        ({"url": "https://c/"}, "token_file: required key is missing"),
    ],
)
def test_a_bad_centre_section_names_the_key(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate(values, CentreLinkConfig, origin="kiosk.toml")


def test_the_centre_url_always_ends_with_a_slash() -> None:
    link = validate({"url": "https://c.example/hall", "token_file": "t"}, CentreLinkConfig, origin="x")
    assert link.url == "https://c.example/hall/"
