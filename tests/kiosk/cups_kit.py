"""A real CUPS server for printing tests: `cupsd -f` with its own configuration, spool, state and
socket in a temporary directory, one cups-pdf queue whose jobs land as PDFs in `out`. cups-pdf reads
its settings for a queue from `/etc/cups/cups-pdf-<name>.conf` (a fixed path), so the queue has a
unique name and that one file is removed at the end. Needs root (cupsd and cups-pdf's backend)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF = Path("/usr/lib/cups/backend/cups-pdf")
NEEDED = [CUPSD, CUPS_PDF, Path("/usr/bin/lp"), Path("/usr/bin/ipptool"), Path("/usr/sbin/lpadmin")]
REQUIRE_ENGINES = os.environ.get("HALL_TESTS_REQUIRE_ENGINES") == "1"


def skip_reason() -> str | None:
    missing = [str(p) for p in NEEDED if not p.exists()]
    if missing:
        return "needs cups, cups-client, cups-ipp-utils, printer-driver-cups-pdf: missing " + ", ".join(
            missing
        )
    if os.geteuid() != 0:
        return "needs root: cupsd and the cups-pdf backend run as root"
    return None


class Cups:
    def __init__(self, root: Path, queue: str) -> None:
        self.root = root
        self.queue = queue
        self.socket = str(root / "cups.sock")
        self.out = root / "out"
        self.env = dict(os.environ, CUPS_SERVER=self.socket)

    def admin(self, *args: str) -> None:
        subprocess.run(list(args), env=self.env, check=True, capture_output=True, timeout=20)

    def pdfs(self) -> list[Path]:
        return sorted(self.out.glob("*.pdf"), key=lambda p: p.stat().st_mtime)

    def wait_for_pdfs(self, count: int, timeout: float = 30) -> list[Path]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            done = self.pdfs()
            if len(done) >= count:
                time.sleep(0.2)  # cups-pdf renames the finished file into place; let it settle
                return done
            time.sleep(0.1)
        raise AssertionError(f"{count} PDFs expected in {self.out}, found {len(self.pdfs())}")

    def hold_new_jobs(self, hold: bool) -> None:
        """Jobs wait (pending-held) until released or cancelled: a job that stays in the queue."""
        value = "indefinite" if hold else "no-hold"
        self.admin("lpadmin", "-h", self.socket, "-p", self.queue, "-o", f"job-hold-until-default={value}")


@contextmanager
def running_cups() -> Iterator[Cups]:
    reason = skip_reason()
    if reason is not None:
        if REQUIRE_ENGINES:
            raise AssertionError(reason)
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="hall-cups-"))
    root.chmod(0o755)
    for name in ("spool", "cache", "state", "log", "out", "ppd"):
        (root / name).mkdir()
    (root / "tmp").mkdir(mode=0o1777)
    (root / "tmp").chmod(0o1777)
    queue = "hall-test-" + uuid.uuid4().hex[:10]
    cups = Cups(root, queue)
    (root / "cupsd.conf").write_text(
        f"Listen {cups.socket}\nLogLevel warn\nWebInterface No\nBrowsing Off\nDefaultAuthType None\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        "<Policy default>\n  JobPrivateAccess all\n  JobPrivateValues none\n"
        "  SubscriptionPrivateAccess all\n  SubscriptionPrivateValues none\n"
        "  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
        encoding="utf-8",
    )
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root}/spool\nTempDir {root}/tmp\nCacheDir {root}/cache\n"
        f"StateDir {root}/state\nAccessLog {root}/log/access_log\nErrorLog {root}/log/error_log\n"
        f"PageLog {root}/log/page_log\nUser lp\nGroup lp\nSystemGroup root\n",
        encoding="utf-8",
    )
    pdf_conf = Path("/etc/cups") / f"cups-pdf-{queue}.conf"
    pdf_conf.write_text(
        f"Out {cups.out}\nAnonDirName {cups.out}\nLabel 0\nLog {root}/log\n", encoding="utf-8"
    )
    daemon = subprocess.Popen(
        [str(CUPSD), "-f", "-c", str(root / "cupsd.conf"), "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not Path(cups.socket).exists():
            if daemon.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"cupsd did not start: {(root / 'log' / 'error_log').read_text()[-500:]}"
                )
            time.sleep(0.05)
        cups.admin(
            "lpadmin",
            "-h",
            cups.socket,
            "-p",
            queue,
            "-E",
            "-v",
            f"cups-pdf:/{queue}",
            "-m",
            "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd",
        )
        yield cups
    finally:
        daemon.terminate()
        try:
            daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.wait()
        pdf_conf.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)
