"""A kiosk whose cache disk is full tells the citizen it cannot take the submission now, shows no
reference number, and takes it once there is room again. The disk is a real, small tmpfs."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.ui.screens.feedback import UNSAVED
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="mounting a small tmpfs needs root (CI runs as root)"
)


@pytest.fixture
def small_disk(demo_cache: Path) -> Iterator[Path]:
    mount_point = Path(tempfile.mkdtemp(prefix="kiosk-disk-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)], check=True)
    try:
        shutil.copytree(demo_cache, mount_point / "cache")
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        mount_point.rmdir()


def fill_up(folder: Path) -> Path:
    """Write a filler file until the filesystem refuses another byte."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 4096, 1):  # big blocks, then what is left
            while True:
                try:
                    os.write(fd, b"\0" * size)
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    finally:
        os.close(fd)
    return filler


@pytest.fixture
def kiosk_on_small_disk(small_disk: Path) -> Iterator[Kiosk]:
    harness = make_kiosk(small_disk / "cache")
    try:
        yield harness
    finally:
        harness.close()


def test_a_full_disk_refuses_the_submission_without_a_reference(
    kiosk_on_small_disk: Kiosk, small_disk: Path
) -> None:
    kiosk = kiosk_on_small_disk
    kiosk.tap_at(640, 400)  # the attract screen starts a session
    kiosk.tap(kiosk.button_with("好差评 / 意见建议"))
    screen = kiosk.app.screen("feedback")
    kiosk.tap(next(b for b in screen.ids.levels.children if b.key == "5"))

    filler = fill_up(small_disk)
    kiosk.tap(screen.ids.submit)
    assert not screen.done
    assert UNSAVED in kiosk.texts()
    assert not any(text.startswith("受理编号") for text in kiosk.texts())
    assert kiosk.outbox.depth() == 0

    filler.unlink()  # room again: the same form goes through
    kiosk.tap(screen.ids.submit)
    assert screen.done
    [stored] = kiosk.outbox.pending()
    assert screen.ids.reference.text == f"受理编号：{stored.reference}"
