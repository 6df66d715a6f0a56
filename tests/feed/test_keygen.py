"""`hall-feed keygen`: a usable key pair, a private secret, and never an overwritten key."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from feed.format.signing import key_id, load_public_key, load_signing_key
from tests.feed.publish_cli import hall_feed


def test_keygen_writes_a_matching_pair_with_a_private_secret(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = hall_feed(capsys, "keygen", "--out", str(tmp_path / "hall"))
    assert (code, err) == (0, "")
    secret, public = tmp_path / "hall.key", tmp_path / "hall.pub"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    signing, verify = load_signing_key(secret), load_public_key(public)
    assert bytes(signing.verify_key) == bytes(verify)
    assert key_id(bytes(verify)) in out and out.count("\n") == 1
    assert secret.read_text().startswith("ed25519-secret:") and public.read_text().startswith(
        "ed25519-public:"
    )


def test_two_keys_differ(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hall_feed(capsys, "keygen", "--out", str(tmp_path / "a"))
    hall_feed(capsys, "keygen", "--out", str(tmp_path / "b"))
    assert (tmp_path / "a.key").read_text() != (tmp_path / "b.key").read_text()


@pytest.mark.parametrize("existing", ["hall.key", "hall.pub"])
def test_keygen_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    (tmp_path / existing).write_text("precious\n")
    code, out, err = hall_feed(capsys, "keygen", "--out", str(tmp_path / "hall"))
    assert code == 1 and out == ""
    assert err == f"hall-feed keygen: {tmp_path / existing} already exists; refusing to overwrite a key\n"
    assert (tmp_path / existing).read_text() == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


def test_keygen_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = hall_feed(capsys, "keygen")
    assert code == 2 and "--out" in err
    (tmp_path / "plain-file").write_text("")
    code, _, err = hall_feed(capsys, "keygen", "--out", str(tmp_path / "plain-file" / "k"))
    assert code == 1 and "is not a directory" in err


def test_keygen_creates_a_private_key_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = hall_feed(capsys, "keygen", "--out", str(tmp_path / "keys" / "feed"))
    assert (code, err) == (0, "")
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700
    load_signing_key(tmp_path / "keys" / "feed.key")
