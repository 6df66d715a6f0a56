"""`hall-feed sync` as an operator runs it: exit codes, one-line output, config file, clean stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.feed.feedserver import FeedServer, Rule
from tests.feed.sync_kit import Publisher, Snapshot, sample_records

CLI = [sys.executable, "-c", "import sys; from feed.cli import main; sys.exit(main())", "sync"]
ROOT = Path(__file__).resolve().parents[2]


def hall_feed(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], check=False, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def test_once_updated_then_unchanged(
    publisher: Publisher, server: FeedServer, tmp_path: Path, pubkey_file: Path
) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=4)
    args = ["--source", server.url, "--cache", str(tmp_path / "c"), "--pubkey", str(pubkey_file), "--once"]
    first = hall_feed(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("updated sequence=4 objects=") and first.stdout.count("\n") == 1
    second = hall_feed(*args)
    assert second.returncode == 0 and second.stdout.startswith(
        "unchanged sequence=4 objects=0 bytes=0 requests=1"
    )


def test_once_failed_keeps_snapshot_and_exits_1(
    server: FeedServer, cache: Path, pubkey_file: Path, held: Snapshot
) -> None:
    server.add(Rule("manifest.json", status=500))
    result = hall_feed("--source", server.url, "--cache", str(cache), "--pubkey", str(pubkey_file), "--once")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip() == "hall-feed sync: manifest.json: HTTP 500 Internal Server Error"


def test_usage_errors_exit_2(tmp_path: Path, pubkey_file: Path) -> None:
    no_trust = hall_feed("--source", str(tmp_path), "--cache", str(tmp_path / "c"), "--once")
    assert no_trust.returncode == 2 and "--pubkey" in no_trust.stderr
    both = hall_feed(
        "--source", str(tmp_path), "--cache", "c", "--pubkey", str(pubkey_file), "--allow-unsigned"
    )
    assert both.returncode == 2
    no_source = hall_feed("--cache", str(tmp_path / "c"), "--allow-unsigned", "--once")
    assert no_source.returncode == 2 and "--source" in no_source.stderr
    bad_scheme = hall_feed("--source", "ftp://x/", "--cache", "c", "--allow-unsigned", "--once")
    assert bad_scheme.returncode == 2


def test_config_file_supplies_the_feed_section(
    publisher: Publisher, server: FeedServer, tmp_path: Path, pubkey_file: Path
) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=2)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[feed]\nsource = "{server.url}"\ncache_dir = "cache"\npubkey = "{pubkey_file.name}"\n\n'
        '[kiosk]\ntitle = "ignored here"\n',
        encoding="utf-8",
    )
    result = hall_feed("--config", str(config), "--once")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("updated sequence=2")
    assert (tmp_path / "cache" / "store.db").is_file()
    config.write_text('[feed]\nsource = "x"\ncache_dir = "c"\npoll_seconds = 1\n', encoding="utf-8")
    bad = hall_feed("--config", str(config), "--allow-unsigned", "--once")
    assert bad.returncode == 1 and "[feed] poll_seconds" in bad.stderr


def test_polling_stops_cleanly_on_sigterm(
    publisher: Publisher, server: FeedServer, tmp_path: Path, pubkey_file: Path
) -> None:
    records, blobs = sample_records()
    publisher.publish(records, blobs, sequence=1)
    child = subprocess.Popen(
        [*CLI, "--source", server.url, "--cache", str(tmp_path / "c"), "--pubkey", str(pubkey_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().startswith("updated sequence=1")
        os.kill(child.pid, signal.SIGTERM)
        assert child.wait(timeout=10) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
