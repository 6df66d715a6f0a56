"""One logging setup for every program: level and logger name on each line, no timestamp of our own
when stderr is the journal, INFO shown, DEBUG and library chatter only with --verbose."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from feed.runtime.logs import configure_logging, stream_is_journal, syslog_priority


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def emit_all() -> None:
    logging.getLogger("feed.sync.engine").warning("cached object %s is damaged", "3fa2")
    logging.getLogger("feed.sync.poller").info("sync: updated sequence=7")
    logging.getLogger("feed.sync.poller").debug("sync: unchanged")
    logging.getLogger("kivy").info("Window: Provider: sdl2")
    logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1/feed/manifest.json")
    logging.getLogger("kivy").error("GL: cannot open a context")


def test_a_terminal_gets_time_level_and_logger(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    with (tmp_path / "log").open("w+") as stream:
        configure_logging(stream=stream)
        emit_all()
        stream.seek(0)
        lines = stream.read().splitlines()
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} "
    assert len(lines) == 3
    assert re.fullmatch(stamp + r"WARNING feed\.sync\.engine: cached object 3fa2 is damaged", lines[0])
    assert re.fullmatch(stamp + r"INFO feed\.sync\.poller: sync: updated sequence=7", lines[1])
    assert re.fullmatch(stamp + r"ERROR kivy: GL: cannot open a context", lines[2])


def test_the_journal_gets_priority_level_and_logger_without_a_timestamp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (tmp_path / "log").open("w+") as stream:
        info = os.fstat(stream.fileno())
        monkeypatch.setenv("JOURNAL_STREAM", f"{info.st_dev}:{info.st_ino}")
        assert stream_is_journal(stream)
        configure_logging(verbose=True, stream=stream)
        configure_logging(verbose=True, stream=stream)  # twice: still one line per record
        emit_all()
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("feed.sync.engine").exception("sync failed unexpectedly")
        stream.seek(0)
        lines = stream.read().splitlines()
    assert lines[:6] == [
        "<4>WARNING feed.sync.engine: cached object 3fa2 is damaged",
        "<6>INFO feed.sync.poller: sync: updated sequence=7",
        "<7>DEBUG feed.sync.poller: sync: unchanged",
        "<6>INFO kivy: Window: Provider: sdl2",
        "<6>INFO httpx: HTTP Request: GET http://127.0.0.1/feed/manifest.json",
        "<3>ERROR kivy: GL: cannot open a context",
    ]
    assert lines[6] == "<3>ERROR feed.sync.engine: sync failed unexpectedly"
    assert lines[-1] == "<3>ValueError: boom" and all(line.startswith("<3>") for line in lines[6:])


def test_another_stream_under_systemd_is_not_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNAL_STREAM", "8:12345")
    with (tmp_path / "log").open("w+") as stream:
        assert not stream_is_journal(stream)


def test_syslog_priorities() -> None:
    levels = [logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL, 25]
    assert [syslog_priority(level) for level in levels] == [7, 6, 4, 3, 2, 6]


def test_hall_feed_logs_a_damaged_cache_with_level_and_logger(tmp_path: Path) -> None:
    """A real warning from the sync engine, through `hall-feed sync` started as systemd would."""
    from feed.dev.demo import demo_key_paths, prepare_demo_cache
    from feed.store.objects import UNSYNCED_MARKER

    cache = prepare_demo_cache(tmp_path / "demo")
    blob = next(p for p in (cache / "objects").glob("*/*") if len(p.name) == 64)
    blob.write_bytes(b"damaged by a power cut")
    (cache / "objects" / UNSYNCED_MARKER).write_text("objects written since the last flush\n")
    read_end, write_end = os.pipe()
    info = os.fstat(write_end)
    env = dict(os.environ, JOURNAL_STREAM=f"{info.st_dev}:{info.st_ino}")
    command = [sys.executable, "-m", "feed.cli", "sync", "--once", "--source", str(tmp_path / "demo/feed")]
    command += ["--cache", str(cache), "--pubkey", str(demo_key_paths()[1])]
    proc = subprocess.Popen(command, env=env, stderr=write_end, stdout=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as stderr:
        lines = stderr.read().splitlines()
    assert proc.wait(timeout=60) == 0
    assert "<4>WARNING feed.sync.engine: 1 cached objects were damaged by an unclean stop;" in " ".join(lines)
    assert all(line.startswith("<") for line in lines), lines


def test_hall_feed_serve_logs_each_request_with_level_and_logger(tmp_path: Path) -> None:
    import http.client
    import signal

    from feed.publish.build import build
    from tests.feed.authoring_kit import write_tiny_source

    build(write_tiny_source(tmp_path / "src"), tmp_path / "feed", None)
    command = [sys.executable, "-m", "feed.cli", "serve", str(tmp_path / "feed"), "--port", "0"]
    env = {key: value for key, value in os.environ.items() if key != "JOURNAL_STREAM"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline().rsplit(":", 1)[1].split("/", 1)[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", "/manifest.json")
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} "
    request = r'"GET /manifest\.json HTTP/1\.1" 200 -\n'
    assert re.fullmatch(stamp + r"INFO feed\.dev\.serve: 127\.0\.0\.1 " + request, stderr), stderr
