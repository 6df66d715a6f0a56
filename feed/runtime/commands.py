"""A program made of subcommands (`hall-feed`, `hall-centre`), run the one way both use.

Each subcommand lives in its own module of the program's package, exposing `register(subparsers)`,
which sets `func(args) -> int` as the handler. Logging is set up first (`--verbose`), and every
failure is one line on stderr, `PROG COMMAND: reason`, never a traceback. Exit codes: 0 success,
1 failure, 2 usage error (and a configuration error, where the program says so), 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass

from feed.errors import ConfigError, FeedError, one_line
from feed.runtime.logs import configure_logging


@dataclass(frozen=True)
class CommandLine:
    """`package` holds one module per name in `subcommands`; `config_error_exit` is the exit code
    of a bad configuration file (1: a failure like any other, 2: a usage error)."""

    prog: str
    description: str
    version: str
    package: str
    subcommands: tuple[str, ...]
    config_error_exit: int = 1

    def parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(prog=self.prog, description=self.description)
        parser.add_argument("--version", action="version", version=f"{self.prog} {self.version}")
        parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
        subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
        for name in self.subcommands:
            importlib.import_module(f"{self.package}.{name}").register(subparsers)
        return parser

    def main(self, argv: Sequence[str] | None = None) -> int:
        """Parse `argv` (default: sys.argv), run the subcommand and return its exit code."""
        args = self.parser().parse_args(argv)
        configure_logging(args.verbose)
        try:
            code: int = args.func(args)
        except ConfigError as exc:
            return self._fail(args.command, str(exc), self.config_error_exit)
        except FeedError as exc:
            return self._fail(args.command, str(exc))
        except OSError as exc:  # a path the operator gave: missing, not a directory, not writable
            where = f"{exc.filename}: " if exc.filename else ""
            return self._fail(args.command, f"{where}{exc.strerror or exc}")
        except KeyboardInterrupt:
            return 130
        except Exception as exc:  # a bug or an unforeseen input: still one line, never a traceback
            return self._fail(args.command, f"{exc.__class__.__name__}: {exc}")
        return code

    def _fail(self, command: str, reason: str, code: int = 1) -> int:
        print(f"{self.prog} {command}: {one_line(reason)}", file=sys.stderr)
        return code
