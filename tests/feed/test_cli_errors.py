"""Every `hall-feed` failure is one line naming the cause, with exit code 1 (or 2 for a usage error):
bad paths, FIFOs where files belong, numbers out of range, a sync.lock that is a directory, a secret
key anyone could have replaced. Run as an operator runs it, in a child process: no traceback, no hang."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from feed.cli.keygen import write_keypair

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "assets" / "demo"


def hall_feed(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "feed.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,  # a FIFO read without a bound would hang here
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


def setup(tmp_path: Path) -> None:
    """Keys, a FIFO, a plain file, a cache whose sync.lock is a directory, a world-writable folder."""
    write_keypair(tmp_path / "k" / "feed")
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "file").write_text("not a directory")
    (tmp_path / "locked" / "sync.lock").mkdir(parents=True)
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)  # no sticky bit: anyone may replace what is in it
    (open_dir / "feed.key").write_bytes((tmp_path / "k" / "feed.key").read_bytes())
    (open_dir / "feed.key").chmod(0o600)
    shared = tmp_path / "shared.key"
    shared.write_bytes((tmp_path / "k" / "feed.key").read_bytes())
    shared.chmod(0o666)


def build(*extra: str) -> list[str]:
    return ["build", str(DEMO), "out", *extra]


CASES: dict[str, tuple[list[str], int, str]] = {
    "key is a FIFO": (
        build("--key", "fifo"),
        1,
        "fifo: cannot read secret key: is a FIFO, not a regular file",
    ),
    "output under a file": (["build", str(DEMO), "file/out", "--key", "k/feed.key"], 1, "Not a directory"),
    "sequence overflow": (build("--key", "k/feed.key", "--sequence", "9" * 30), 2, "must be between 1 and"),
    "expiry overflow": (build("--key", "k/feed.key", "--expires-days", "9" * 12), 2, "must be between 1 and"),
    "world-writable key": (build("--key", "shared.key"), 1, "writable by every user (mode 0666)"),
    "key in an open folder": (build("--key", "open/feed.key"), 1, "directory every user can write to"),
    "verify key is a FIFO": (["verify", "out", "--pubkey", "fifo"], 1, "cannot read public key: is a FIFO"),
    "sync key is a FIFO": (
        ["sync", "--source", "out", "--cache", "c", "--pubkey", "fifo", "--once"],
        1,
        "cannot read public key: is a FIFO",
    ),
    "config is a FIFO": (["sync", "--config", "fifo", "--once"], 1, "cannot read config: is a FIFO"),
    "cache is a file": (
        ["sync", "--source", "out", "--cache", "file", "--pubkey", "k/feed.pub", "--once"],
        1,
        "file: not a directory, so it cannot be the cache directory",
    ),
    "sync.lock is a directory": (
        ["sync", "--source", str(DEMO), "--cache", "locked", "--pubkey", "k/feed.pub", "--once"],
        1,
        "sync.lock: cannot open the sync lock: Is a directory",
    ),
    "key file under /proc": (
        ["keygen", "--out", "/proc/feed"],
        1,
        "/proc/feed.key: cannot create the key file",
    ),
    "key under /proc": (["keygen", "--out", "/proc/no-such-dir/feed"], 1, "No such file or directory"),
    "status of a file": (
        ["status", "--cache", "file"],
        1,
        "file: not a directory, so it cannot be the cache directory",
    ),
    "search limit overflow": (["search", "--cache", "c", "x", "--limit", "9" * 30], 2, "between 1 and 1000"),
    "port overflow": (["serve", "out", "--port", "9" * 30], 2, "is not a port number"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_failure_is_one_line_with_the_cause(tmp_path: Path, name: str) -> None:
    setup(tmp_path)
    args, code, cause = CASES[name]
    done = hall_feed(*args, cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    if code == 1:
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith(f"hall-feed {args[0]}: ") and cause in lines[0], lines[0]
    else:  # argparse: the usage, then one line with the error
        assert lines[-1].startswith(f"hall-feed {args[0]}: error: ") and cause in lines[-1], lines[-1]


def test_a_private_key_signs(tmp_path: Path) -> None:
    setup(tmp_path)
    key = tmp_path / "k" / "feed.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    done = hall_feed(*build("--key", str(key)), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
