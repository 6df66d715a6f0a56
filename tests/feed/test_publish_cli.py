"""`hall-feed build` and `hall-feed verify` from the command line: output and exit codes 0, 1, 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.feed.authoring_kit import write_tiny_source
from tests.feed.publish_cli import hall_feed


def test_build_then_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keys: tuple[Path, Path]
) -> None:
    src, out = write_tiny_source(tmp_path / "src"), tmp_path / "out"
    code, stdout, stderr = hall_feed(
        capsys, "build", str(src), str(out), "--key", str(keys[0]), "--sequence", "7"
    )
    assert (code, stderr) == (0, "")
    assert stdout.startswith(
        f"built tiny-feed sequence 7 into {out}: 1 catalog, 1 guide, 1 hall, 2 headline, 2 item"
    )
    assert stdout.count("\n") == 1
    code, stdout, stderr = hall_feed(capsys, "verify", str(out), "--pubkey", str(keys[1]))
    assert (code, stderr) == (0, "")
    assert "sequence 7 OK" in stdout and stdout.count("\n") == 1
    code, stdout, _ = hall_feed(capsys, "verify", str(out), "--pubkey", str(keys[1]), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["ok"] and report["counts"]["item"] == 2 and report["sequence"] == 7


def test_build_lists_every_source_problem_then_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keys: tuple[Path, Path]
) -> None:
    src = write_tiny_source(tmp_path / "src")
    items = src / "items" / "notices.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace("    status: approved", "    status: pending"))
    code, stdout, stderr = hall_feed(capsys, "build", str(src), str(tmp_path / "out"), "--key", str(keys[0]))
    assert code == 1 and stdout == ""
    lines = stderr.splitlines()
    assert lines[0].startswith(f"{items}:21: item 'item-b': review.status: is 'pending'")
    assert lines[-1] == f"hall-feed build: 1 problem in {src}; nothing published"


def test_build_refuses_a_lower_sequence_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keys: tuple[Path, Path]
) -> None:
    src, out = write_tiny_source(tmp_path / "src"), tmp_path / "out"
    hall_feed(capsys, "build", str(src), str(out), "--key", str(keys[0]), "--sequence", "10")
    code, _, stderr = hall_feed(capsys, "build", str(src), str(out), "--key", str(keys[0]), "--sequence", "9")
    assert code == 1 and stderr.count("\n") == 1
    assert stderr.startswith("hall-feed build: sequence 9 is not above the published 10")


@pytest.mark.parametrize(
    "argv",
    [
        ["build"],
        ["build", "src", "out"],  # neither --key nor --unsigned
        ["build", "src", "out", "--key", "k", "--unsigned"],
        ["build", "src", "out", "--unsigned", "--sequence", "0"],
        ["build", "src", "out", "--unsigned", "--expires-days", "soon"],
        ["verify", "out"],
        ["serve", "dir", "--port", "70000"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, stdout, stderr = hall_feed(capsys, *argv)
    assert code == 2 and stdout == "" and "usage:" in stderr


def test_verify_lists_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], keys: tuple[Path, Path]
) -> None:
    src, out = write_tiny_source(tmp_path / "src"), tmp_path / "out"
    hall_feed(capsys, "build", str(src), str(out), "--unsigned")
    code, stdout, stderr = hall_feed(capsys, "verify", str(out), "--pubkey", str(keys[1]))
    assert code == 1 and stdout == ""
    unsigned = ["manifest is not signed", "m/index.json is not signed"]
    assert stderr == "".join(f"  {line}\n" for line in unsigned) + f"hall-feed verify: {out}: 2 problems\n"
    code, stdout, _ = hall_feed(capsys, "verify", str(out), "--pubkey", str(keys[1]), "--json")
    assert code == 1 and json.loads(stdout)["problems"] == unsigned
    assert hall_feed(capsys, "verify", str(out), "--allow-unsigned")[0] == 0


def test_verify_with_an_unreadable_key_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = hall_feed(capsys, "verify", str(tmp_path), "--pubkey", str(tmp_path / "absent.pub"))
    assert code == 1 and stderr.startswith("hall-feed verify: ") and stderr.count("\n") == 1
