"""The hall printer through CUPS: submit a PDF with `lp`, read the job's and the queue's state back
with `ipptool` (IPP Get-Job-Attributes / Get-Printer-Attributes). Both are Debian's own CUPS
clients (`cups-client`, `cups-ipp-utils`), so nothing is compiled against libcups; every call has a
timeout, and every failure is a `PrinterError` with a one-line reason."""

from __future__ import annotations

import csv
import getpass
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

IPP_TESTS = Path(__file__).resolve().parent / "ipp"
CALL_TIMEOUT_S = 10.0
_REQUEST_ID = re.compile(r"request id is (\S+)-(\d+)")


class PrinterError(Exception):
    """CUPS could not be asked, or refused: the reason in one line (for logs and the admin screen)."""


@dataclass(frozen=True)
class JobState:
    """An IPP job state (`pending`, `pending-held`, `processing`, `processing-stopped`, `canceled`,
    `aborted`, `completed`) and its reasons."""

    state: str
    reasons: tuple[str, ...]

    @property
    def finished(self) -> bool:
        return self.state in ("canceled", "aborted", "completed")


@dataclass(frozen=True)
class PrinterState:
    """An IPP printer state (`idle`, `processing`, `stopped`), its reasons (e.g. `media-empty`,
    `paused`, `offline-report`) and whether the queue accepts jobs."""

    state: str
    reasons: tuple[str, ...]
    accepting: bool

    @property
    def out_of_paper(self) -> bool:
        return any(r.startswith(("media-empty", "media-needed", "media-jam")) for r in self.reasons)

    @property
    def ready(self) -> bool:
        return self.accepting and self.state != "stopped" and not self.out_of_paper


def queue_uri(server: str, queue: str) -> str:
    """The IPP URI of `queue` on `server`: a Unix socket path (`/run/cups/cups.sock`, percent-encoded
    as CUPS expects) or `host[:port]`."""
    host = quote(server, safe="") if server.startswith("/") else server
    return f"ipp://{host}/printers/{quote(queue, safe='')}"


class CupsPrinter:
    """One CUPS queue on one server."""

    def __init__(self, queue: str, server: str, *, timeout: float = CALL_TIMEOUT_S) -> None:
        self.queue = queue
        self.server = server
        self.timeout = timeout
        self.uri = queue_uri(server, queue)

    def submit(self, pdf: bytes, title: str) -> int:
        """Send `pdf` as one job named `title`; returns the job id CUPS gave it."""
        out = self._run(["lp", "-h", self.server, "-d", self.queue, "-t", title, "-"], stdin=pdf)
        found = _REQUEST_ID.search(out)
        if found is None:
            raise PrinterError(f"lp gave no job id: {out.strip()[:200]}")
        return int(found.group(2))

    def job(self, job_id: int) -> JobState:
        row = self._ipp("get-job.test", job_id=str(job_id), user=getpass.getuser())
        return JobState(row[0], _reasons(row[1]))

    def state(self, timeout: float | None = None) -> PrinterState:
        """The queue's state; `timeout` seconds at most (default: the printer's own)."""
        row = self._ipp("get-printer.test", timeout=timeout)
        return PrinterState(row[0], _reasons(row[1]), row[2] == "true")

    def _ipp(self, test: str, timeout: float | None = None, **values: str) -> list[str]:
        seconds = timeout or self.timeout
        args = ["ipptool", "-T", str(seconds), "-c"]
        for name, value in values.items():
            args += ["-d", f"{name}={value}"]
        out = self._run([*args, self.uri, str(IPP_TESTS / test)], timeout=seconds)
        rows = list(csv.reader(io.StringIO(out)))
        if len(rows) < 2:
            raise PrinterError(
                f"{self.queue}: CUPS did not answer {test.removesuffix('.test')}: {out.strip()[:200]}"
            )
        return rows[1] + [""] * 3

    def _run(self, args: list[str], stdin: bytes | None = None, timeout: float | None = None) -> str:
        seconds = timeout or self.timeout
        try:
            done = subprocess.run(args, input=stdin, capture_output=True, timeout=seconds + 1, check=False)
        except subprocess.TimeoutExpired:
            raise PrinterError(f"{args[0]}: no answer from CUPS within {seconds:g} s") from None
        except OSError as exc:
            raise PrinterError(f"{args[0]}: cannot run: {exc.strerror}") from exc
        text = done.stdout.decode("utf-8", "replace")
        if done.returncode != 0:
            error = done.stderr.decode("utf-8", "replace").strip() or text.strip()
            raise PrinterError(f"{args[0]}: {error.splitlines()[-1][:200] if error else 'failed'}")
        return text


def _reasons(field: str) -> tuple[str, ...]:
    return tuple(r for r in field.split(",") if r and r != "none")
