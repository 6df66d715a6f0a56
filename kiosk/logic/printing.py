"""Printing a guide, an item or a form for a citizen: the daily page budget, the printer's state
before a job is sent, the job followed until CUPS says it is done (or a timeout), and what the
citizen is told at each outcome. Runs off the UI thread; `kiosk.logic.cups` speaks to CUPS."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from feed import write_atomic
from kiosk.logic.cups import CupsPrinter, PrinterError, PrinterState
from kiosk.logic.status_text import HALL_TZ

if TYPE_CHECKING:
    from kiosk.config import PrinterSection

log = logging.getLogger(__name__)
BUDGET_FILE = "print-pages.json"  # in the cache directory

Outcome = Literal["done", "budget", "too_long", "no_paper", "offline", "cancelled", "failed", "timeout"]
PRINTING_TEXT = "正在打印，请稍候…"
POLL_S = 0.25
_JOB_OUTCOMES: dict[str, Outcome] = {"completed": "done", "canceled": "cancelled", "aborted": "failed"}


@dataclass(frozen=True)
class PrintResult:
    outcome: Outcome
    message: str  # for the citizen, in one or two short sentences
    pages: int = 0
    job_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "done"


def citizen_message(outcome: Outcome, collect_at: str = "") -> str:
    """What the citizen reads for each outcome."""
    return {
        "done": f"打印完成，请在{collect_at}取走打印件。",
        "budget": "今日本机打印页数已用完，请扫码在手机上查看，或到服务窗口咨询。",
        "too_long": "内容页数较多，本机无法打印，请扫码在手机上查看，或到服务窗口咨询。",
        "no_paper": "打印机缺纸，暂时无法打印，请联系工作人员或到服务窗口咨询。",
        "offline": "打印机暂停服务，请到服务窗口咨询，或扫码在手机上查看。",
        "cancelled": "打印任务已取消，未能打印，请重试或到服务窗口咨询。",
        "failed": "打印失败，请重试或到服务窗口咨询。",
        "timeout": "打印机没有回应，请联系工作人员或到服务窗口咨询。",
    }[outcome]


class PageBudget:
    """Pages this kiosk may print per day (in the hall's time), kept in a small JSON file so that a
    restart does not reset it. A damaged file counts as a fresh day (logged)."""

    def __init__(self, path: Path, daily_pages: int, today: Callable[[], date] | None = None) -> None:
        self.path = path
        self.daily_pages = daily_pages
        self._today = today or (lambda: datetime.now(HALL_TZ).date())
        self._lock = threading.Lock()

    def used_today(self) -> int:
        day, pages = self._read()
        return pages if day == self._today().isoformat() else 0

    def remaining(self) -> int:
        return max(0, self.daily_pages - self.used_today())

    def take(self, pages: int) -> bool:
        """Count `pages` against today's budget if they fit; False (nothing counted) if not."""
        with self._lock:
            used = self.used_today()
            if used + pages > self.daily_pages:
                return False
            body = json.dumps({"day": self._today().isoformat(), "pages": used + pages}).encode()
            write_atomic(self.path, body)
            return True

    def _read(self) -> tuple[str, int]:
        try:
            data = json.loads(self.path.read_bytes())
            return str(data["day"]), int(data["pages"])
        except FileNotFoundError:
            return "", 0
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("%s: unreadable page count, starting afresh: %s", self.path, exc)
            return "", 0


class PrintService:
    """Sends a rendered PDF to the hall printer and follows it to an outcome."""

    def __init__(
        self,
        printer: CupsPrinter,
        budget: PageBudget,
        *,
        collect_at: str,
        max_pages: int,
        job_timeout: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.printer = printer
        self.budget = budget
        self.collect_at = collect_at
        self.max_pages = max_pages
        self.job_timeout = job_timeout
        self._clock = clock
        self._sleep = sleep
        self._busy = threading.Lock()  # one job at a time from this kiosk

    def result(self, outcome: Outcome, pages: int = 0, job_id: int | None = None) -> PrintResult:
        return PrintResult(outcome, citizen_message(outcome, self.collect_at), pages, job_id)

    def printer_state(self, timeout: float | None = None) -> PrinterState | str:
        """The queue's state, or why it could not be read (for the admin screen)."""
        try:
            return self.printer.state(timeout)
        except PrinterError as exc:
            return str(exc)

    def print_pdf(self, pdf: bytes, pages: int, title: str) -> PrintResult:
        """Print `pdf` (`pages` A4 pages): refused when over the page limits or when the printer is
        not ready (nothing is sent then); else sent and followed until CUPS reports it completed,
        cancelled or aborted, or `job_timeout` seconds pass."""
        if pages > self.max_pages:
            return self.result("too_long", pages)
        with self._busy:
            state = self.printer_state()
            if isinstance(state, str):
                log.warning("printer state unknown: %s", state)
                return self.result("offline", pages)
            if not state.ready:
                return self.result("no_paper" if state.out_of_paper else "offline", pages)
            if not self.budget.take(pages):
                return self.result("budget", pages)
            try:
                job_id = self.printer.submit(pdf, title)
            except PrinterError as exc:
                log.warning("print job not accepted: %s", exc)
                return self.result("failed", pages)
            log.info("print job %s: %d pages of %r", job_id, pages, title)
            return self._follow(job_id, pages)

    def _follow(self, job_id: int, pages: int) -> PrintResult:
        deadline = self._clock() + self.job_timeout
        while True:
            try:
                job = self.printer.job(job_id)
                if job.finished:
                    return self.result(_JOB_OUTCOMES.get(job.state, "failed"), pages, job_id)
                state = self.printer.state()
                if not state.ready:  # it stopped with our job in it: paper, a jam, a fault
                    return self.result("no_paper" if state.out_of_paper else "offline", pages, job_id)
            except PrinterError as exc:
                log.warning("print job %s: %s", job_id, exc)
            if self._clock() >= deadline:
                return self.result("timeout", pages, job_id)
            self._sleep(POLL_S)


STATE_NAMES = {"idle": "就绪", "processing": "正在打印", "stopped": "已停止"}
ADMIN_TIMEOUT_S = 2.0  # the staff screen waits at most this long for CUPS


def printer_rows(service: PrintService | None) -> list[tuple[str, str]]:
    """The admin screen's lines about printing: the queue and its state, today's pages."""
    if service is None:
        return [("打印机", "未配置（页面不显示打印按钮）")]
    state = service.printer_state(ADMIN_TIMEOUT_S)
    if isinstance(state, str):
        text = f"无法读取状态：{state}"
    else:
        text = STATE_NAMES.get(state.state, state.state)
        if not state.accepting:
            text += "，不接受任务"
        if state.reasons:
            text += f"（{'、'.join(state.reasons)}）"
    budget = service.budget
    return [
        ("打印机", f"{service.printer.queue}：{text}"),
        ("今日打印页数", f"{budget.used_today()} / {budget.daily_pages}"),
    ]


def print_service(section: PrinterSection, state_dir: Path) -> PrintService:
    """The kiosk's print path as `[printer]` configures it; the page count lives in `state_dir`."""
    return PrintService(
        CupsPrinter(section.queue, section.server),
        PageBudget(state_dir / BUDGET_FILE, section.daily_pages),
        collect_at=section.collect_at,
        max_pages=section.max_pages,
        job_timeout=section.job_timeout_seconds,
    )
