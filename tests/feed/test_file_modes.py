"""What `hall-feed` writes for others to read follows the umask like any normal tool; secrets stay private."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from feed.disk.atomic import PRIVATE_MODE, write_atomic
from tests.feed.authoring_kit import write_tiny_source
from tests.feed.publish_cli import hall_feed


class Umask:
    def set(self, value: int) -> None:
        os.umask(value)


@pytest.fixture
def umask() -> Iterator[Umask]:
    """Set the process umask for one test (`umask.set(0o027)`), restoring it afterwards."""
    previous = os.umask(0o022)
    try:
        yield Umask()
    finally:
        os.umask(previous)


def modes_under(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("modes", [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)])
def test_a_built_feed_is_readable_as_the_umask_allows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask: Umask, modes: tuple[int, int, int]
) -> None:
    mask, file_mode, dir_mode = modes
    src = write_tiny_source(tmp_path / "src")
    code, _, err = hall_feed(capsys, "keygen", "--out", str(tmp_path / "keys" / "feed"))
    assert code == 0, err
    umask.set(mask)
    out = tmp_path / "out"
    code, _, err = hall_feed(capsys, "build", str(src), str(out), "--key", str(tmp_path / "keys/feed.key"))
    assert code == 0, err
    modes = modes_under(out)
    assert "manifest.json" in modes and len(modes) > 10
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (dir_mode if (out / name).is_dir() else file_mode)
    }
    assert wrong == {}
    # A second build rewrites the manifest: still readable.
    code, _, err = hall_feed(capsys, "build", str(src), str(out), "--key", str(tmp_path / "keys/feed.key"))
    assert code == 0, err
    assert stat.S_IMODE((out / "manifest.json").stat().st_mode) == file_mode


def test_the_secret_key_stays_private_under_a_permissive_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], umask: Umask
) -> None:
    umask.set(0)
    code, _, err = hall_feed(capsys, "keygen", "--out", str(tmp_path / "keys" / "feed"))
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "keys" / "feed.key").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "keys" / "feed.pub").stat().st_mode) == 0o666


def test_write_atomic_private_mode_ignores_a_permissive_umask(tmp_path: Path, umask: Umask) -> None:
    umask.set(0)
    write_atomic(tmp_path / "secret", b"s", mode=PRIVATE_MODE)
    write_atomic(tmp_path / "public", b"p")
    assert stat.S_IMODE((tmp_path / "secret").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "public").stat().st_mode) == 0o666
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "secret"]  # no temporary left


def test_a_synced_cache_is_readable_by_the_group_as_the_umask_allows(tmp_path: Path, umask: Umask) -> None:
    """The display may read the kiosk's cache under another user of the same group (umask 027)."""
    from feed.dev.demo import prepare_demo_cache

    umask.set(0o027)
    cache = prepare_demo_cache(tmp_path / "demo")
    modes = modes_under(cache)
    assert "store.db" in modes and any(name.startswith("objects/") for name in modes)
    too_private = {
        name: oct(mode) for name, mode in modes.items() if mode & 0o040 == 0 and not name.endswith(".lock")
    }
    assert too_private == {}
