"""Configuration, the command line and the preview drivers: clear errors, bounded runs, real output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from display.cli import main
from display.config import load_display_config
from display.drivers.png import PngDriver
from display.drivers.terminal import TerminalDriver, half_block_lines
from feed.errors import ConfigError
from tests.display.ledhelpers import UNIFONT

REPO = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path, display: str, feed: bool = False) -> Path:
    feed_section = f'[feed]\nsource = "{tmp_path}/feed"\ncache_dir = "{tmp_path}/cache"\n\n' if feed else ""
    path = tmp_path / "display.toml"
    path.write_text(f'{feed_section}[display]\nfont = "{UNIFONT}"\n{display}\n', encoding="utf-8")
    return path


def test_example_config_is_valid() -> None:
    config = load_display_config(REPO / "config" / "display.toml")
    section = config.display
    assert section.panel_size == (256, 64) and section.lines == 2
    assert section.uses_pixel_font()  # 32 px rows
    assert section.quiet_hours[0].mode == "clock"
    assert config.feed is not None and config.device.id == "led-hall1-main"


def test_bad_values_are_reported_by_section_and_key(tmp_path: Path) -> None:
    path = write_config(tmp_path, 'panel = "wide"\nspeed = 3\ntimezone = "Mars/Olympus"')
    with pytest.raises(ConfigError) as error:
        load_display_config(path)
    message = str(error.value)
    assert "[display] panel" in message
    assert "[display] speed: unknown key" in message
    assert "unknown time zone 'Mars/Olympus'" in message


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().err


def test_cli_explains_an_unknown_driver(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(["--config", str(write_config(tmp_path, 'output = "hdmi"')), "--frames", "1"], capsys)
    assert code == 2 and "unknown output 'hdmi'" in err and "ddp://HOST" in err


def test_cli_refuses_a_panel_the_driver_cannot_carry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, 'output = "ddp://127.0.0.1:9"\nfont_kind = "pixel"', feed=True)
    code, err = run_cli(["--config", str(config), "--panel", "1920x240", "--frames", "1"], capsys)
    assert code == 2 and "MB/s" in err and "window driver" in err
    code, err = run_cli(["--config", str(config), "--panel", "12x", "--frames", "1"], capsys)
    assert code == 2 and "--panel" in err


@pytest.mark.parametrize(("key", "value"), [("fps", "300"), ("fps", "0.5"), ("panel", '"12x"')])
def test_a_command_line_override_is_checked_as_the_same_key_in_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str
) -> None:
    with pytest.raises(ConfigError) as error:
        load_display_config(write_config(tmp_path, f"{key} = {value}"))
    in_file = str(error.value).split(f"[display] {key}: ", 1)[1]
    code, err = run_cli(["--config", str(write_config(tmp_path, "")), f"--{key}", value.strip('"')], capsys)
    assert code == 2 and f"--{key}: {in_file}" in err, (in_file, err)


def test_cli_explains_an_unknown_host(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(tmp_path, 'output = "sacn://receiver.invalid?universe=3"', feed=True)
    code, err = run_cli(["--config", str(config), "--frames", "1"], capsys)
    assert code == 2 and "cannot resolve receiver host 'receiver.invalid'" in err


def test_cli_needs_a_config_or_demo(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(["--frames", "1"], capsys)
    assert code == 2 and "--config" in err and "--demo" in err


def test_demo_runs_bounded_to_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HALL_KIOSK_DEMO_DIR", str(tmp_path / "demo"))  # the demo cache stays in tmp
    out = tmp_path / "frames"
    code, err = run_cli(
        ["--demo", "--output", f"png:{out}?every=10", "--frames", "40", "--fps", "20"], capsys
    )
    assert code == 0, err
    frames = sorted(out.glob("frame-*.png"))
    assert [f.name for f in frames] == [f"frame-{k:06d}.png" for k in (0, 10, 20, 30)]
    image = Image.open(frames[-1])
    assert image.size == (128, 32) and image.getbbox() is not None  # something is lit


def test_terminal_preview_uses_half_blocks_with_true_colour() -> None:
    frame = Image.new("RGB", (3, 4), (0, 0, 0))
    frame.putpixel((0, 0), (255, 0, 0))
    frame.putpixel((0, 1), (0, 0, 255))
    lines = half_block_lines(frame)
    assert len(lines) == 2
    assert lines[0].startswith("\x1b[38;2;255;0;0;48;2;0;0;255m▀")
    assert lines[0].count("▀") == 3


def test_terminal_driver_scales_to_the_terminal_and_limits_its_rate() -> None:
    stream = io.StringIO()
    ticks = iter([0.0, 0.01, 0.06, 0.07])
    driver = TerminalDriver(stream, columns=64, max_fps=20, clock=lambda: next(ticks))
    driver.open(128, 32, 60.0)
    for _ in range(4):
        driver.send(Image.new("RGB", (128, 32), (255, 176, 0)))
    driver.close()
    assert driver.frames_drawn == 2  # 0.01 and 0.07 come too soon after a drawn frame
    first = stream.getvalue().split("\x1b[H")[1]
    assert first.count("▀") == 64 * 8  # 128x32 scaled to 64x16, two rows per line


def test_png_driver_keeps_every_nth_frame(tmp_path: Path) -> None:
    driver = PngDriver(tmp_path, every=3)
    driver.open(8, 8, 60.0)
    for shade in range(7):
        driver.send(Image.new("RGB", (8, 8), (shade, 0, 0)))
    assert [p.name for p in driver.written] == ["frame-000000.png", "frame-000003.png", "frame-000006.png"]
    assert Image.open(driver.written[1]).getpixel((0, 0)) == (3, 0, 0)
