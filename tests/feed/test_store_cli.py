"""`hall-feed status` and `hall-feed search` against a real cache directory."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from feed.cli import main
from feed.outbox import Outbox
from feed.store import Store
from tests.feed.store_samples import base_records, hashed, manifest, manifest_bytes


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    with Store.open(tmp_path) as store:
        m = manifest(4, expires_in=timedelta(days=3650))
        store.commit_snapshot(m, manifest_bytes(m), hashed(base_records()))
        store.record_attempt(at=m.signed.issued, source="http://127.0.0.1:8000/", error=None, success=True)
    with Outbox.open(tmp_path) as outbox:
        outbox.submit("rating", {"level": 4})
    return tmp_path


def test_status_json(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--cache", str(cache), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sequence"] == 4 and data["feed_id"] == "qinghe"
    assert data["counts"] == {"catalog": 1, "guide": 5, "hall": 1, "headline": 1, "item": 4}
    assert data["last_success"] == data["last_attempt"] == "2026-11-25T08:00:00+00:00"
    assert data["last_error"] is None and data["stale"] is False
    assert data["outbox_depth"] == 1 and data["expires"].startswith("2036")


def test_status_text(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--cache", str(cache)]) == 0
    out = capsys.readouterr().out
    assert "qinghe sequence 4" in out and "guide 5" in out and "1 waiting to be sent" in out


def test_status_says_whose_rows_wait(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A kiosk and an LED display may share one cache; each sends only its own rows, so status names
    them: a kiosk's send that leaves the LED's proof of play behind is then no surprise."""
    with Outbox.open(cache, device_id="led-1") as outbox:
        outbox.record_play("welcome", datetime.now(UTC), 8.0)
    with Outbox.open(cache, device_id="kiosk-1") as outbox:
        outbox.submit("suggestion", {"topics": []})
    assert main(["status", "--cache", str(cache)]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if row.startswith("outbox:"))
    assert line.endswith(
        "3 waiting to be sent (no device yet: rating 1; kiosk-1: suggestion 1; "
        "led-1: proof_of_play 1, sent once its hour is over)"
    ), line
    assert main(["status", "--cache", str(cache), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (
        data["outbox_depth"] == 3
        and {"device": "led-1", "kind": "proof_of_play", "count": 1} in data["outbox_waiting"]
    )


def test_status_of_a_stale_snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(tmp_path) as store:
        m = manifest(
            1, expires_in=timedelta(hours=1)
        )  # issued in 2026-11-25: long expired by now? not if run earlier
        store.commit_snapshot(m, manifest_bytes(m), hashed(base_records()))
    assert main(["status", "--cache", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stale"] is True
    assert data["outbox_depth"] is None
    assert not (tmp_path / "outbox.db").exists()  # status never creates an outbox


def test_status_of_missing_or_corrupt_cache(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--cache", str(tmp_path / "absent")]) == 1
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "store.db").write_bytes(b"not a database at all" * 100)
    assert main(["status", "--cache", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "store.db" in err and "corrupt" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["status", "--cache", str(empty)]) == 1
    assert "no store here" in capsys.readouterr().err


def test_search_json_and_text(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--cache", str(cache), "bdc", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0] == {
        "kind": "guide",
        "id": "realestate-transfer",
        "title": "不动产登记（转移登记）",
        "score": hits[0]["score"],
        "matched": "initials",
    }
    assert main(["search", "--cache", str(cache), "登记", "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and "不动产登记" in out[0]
    assert main(["search", "--cache", str(cache), "zzzzqqq"]) == 0
    assert "no match" in capsys.readouterr().out


def test_search_usage_errors(cache: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "--cache", str(cache), "bdc", "--limit", "0"])
    assert exit_info.value.code == 2
