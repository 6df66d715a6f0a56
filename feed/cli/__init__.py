"""`hall-feed`: publish, verify, sync, inspect and serve the central feed.

Each subcommand lives in its own module (see `feed.runtime.commands`). Exit codes: 0 success,
1 failure (reason on stderr), 2 usage error. Every failure is one line on stderr naming the cause:
never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from feed import __version__
from feed.runtime.commands import CommandLine

HALL_FEED = CommandLine(
    prog="hall-feed",
    description="publish, verify, sync, inspect and serve the central feed",
    version=__version__,
    package="feed.cli",
    subcommands=("keygen", "build", "verify", "sync", "status", "search", "serve", "send"),
)


def main(argv: Sequence[str] | None = None) -> int:
    return HALL_FEED.main(argv)


if __name__ == "__main__":
    sys.exit(main())
