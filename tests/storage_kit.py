"""Real filesystems that misbehave, for the storage tests of every part: a small tmpfs to fill up, or
to remount read-only. Mounting needs root (as in CI); elsewhere those tests skip and say why."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_tmpfs(where: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where` for the block (lazily unmounted after it)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill(mount: Path, leave: int = 0) -> Path:
    """Fill the filesystem at `mount` until `leave` bytes are free; returns the filler to delete."""
    filler = mount / "filler"
    with open(filler, "wb", buffering=0) as handle:
        block = bytes(64 * 1024)
        with contextlib.suppress(OSError):  # ENOSPC: full
            while True:
                handle.write(block)
        with contextlib.suppress(OSError):  # the last partial block
            while True:
                handle.write(bytes(4096))
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def remount_read_only(mount: Path) -> None:
    """Make the filesystem read-only, as the kernel does with ext4's errors=remount-ro."""
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, capture_output=True)


def copy_cache(source: Path, target: Path) -> Path:
    """A copy of a cache directory (its databases, objects and their WAL files as they are)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("sync.lock", ".repair.lock"))
    return target
