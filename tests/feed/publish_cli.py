"""Running `hall-feed` in-process, as a user would from the shell: exit code, stdout, stderr."""

from __future__ import annotations

import pytest

from feed.cli import main


def hall_feed(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse exits 2 on usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err
