"""Printing through a real CUPS server (cupsd started from a temporary directory, a cups-pdf virtual
printer): the guide the kiosk prints reads back whole (pdftotext of the job it sent), and the PDF the
printer produced has the same pages, drawn the same, with a QR code that opens the guide's page.
(CUPS prints through PostScript: Ghostscript turns the embedded CID font into Type 3 glyphs without
a Unicode map, so the printer's own PDF shows the text but pdftotext cannot read it back; its pages
are compared with the job's, rasterised, instead.) An offline printer, one out of paper, a cancelled
job and a printer that never answers each give the citizen the right message; the daily page budget
holds."""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from feed.assets import assets_dir
from feed.publish.source import load_source
from feed.render.pdf import Printout, render_pdf
from feed.schema import Guide
from kiosk.logic.cups import CupsPrinter
from kiosk.logic.printing import PageBudget, PrintService, printer_rows
from tests.feed.printout_checks import check_guide_printout, ink_overlaps, qr_codes
from tests.kiosk.cups_kit import Cups, running_cups

HALL = "青禾市政务服务中心"
URL = "https://zwfw.qinghe.example/feed/m/g/realestate-transfer.html"
COLLECT = "本机下方出纸口"
SAME_PAGE = 0.6  # ink overlap from which a printed page is the page sent (measured: 0.70-0.86)
OTHER_PAGE = 0.4  # below which pages are different (another guide: 0.07-0.49, 0.22 on average)


@pytest.fixture(scope="module")
def cups() -> Iterator[Cups]:
    with running_cups() as server:
        yield server


@pytest.fixture(scope="module")
def guide() -> Guide:
    found = next(r for r in load_source(assets_dir() / "demo").records if r.id == "realestate-transfer")
    assert isinstance(found, Guide)
    return found


@pytest.fixture(scope="module")
def other_guide() -> Guide:
    found = next(r for r in load_source(assets_dir() / "demo").records if r.id == "pension-employee")
    assert isinstance(found, Guide)
    return found


@pytest.fixture(scope="module")
def printout(guide: Guide) -> Printout:
    return render_pdf(guide, hall_name=HALL, url=URL, printed_on=date(2026, 11, 30))


def service(
    cups: Cups, tmp_path: Path, *, daily: int = 100, timeout: float = 30, today: date | None = None
) -> PrintService:
    days = [today or date(2026, 11, 30)]
    budget = PageBudget(tmp_path / "pages.json", daily, today=lambda: days[0])
    svc = PrintService(
        CupsPrinter(cups.queue, cups.socket), budget, collect_at=COLLECT, max_pages=20, job_timeout=timeout
    )
    svc.days = days  # type: ignore[attr-defined]  # the test turns the day
    return svc


def test_a_printed_guide_reads_back_whole_with_its_code(
    cups: Cups, guide: Guide, other_guide: Guide, printout: Printout, tmp_path: Path
) -> None:
    before = len(cups.pdfs())
    result = service(cups, tmp_path).print_pdf(printout.pdf, printout.pages, guide.title)
    assert result.ok, result
    assert result.message == f"打印完成，请在{COLLECT}取走打印件。" and result.pages == printout.pages == 4
    printed = cups.wait_for_pdfs(before + 1)[-1]
    sent = tmp_path / "sent.pdf"
    sent.write_bytes(printout.pdf)
    check_guide_printout(sent, guide, hall=HALL, url=URL, printed="2026年11月30日", workdir=tmp_path / "sent")
    assert qr_codes(printed, tmp_path / "printed-qr") == {URL}
    overlaps = ink_overlaps(printed, sent, tmp_path / "compare")
    assert len(overlaps) == 4 and min(overlaps) >= SAME_PAGE, overlaps
    # the comparison can fail: another guide's pages differ from these by far more
    other = tmp_path / "other.pdf"
    other.write_bytes(render_pdf(other_guide, hall_name=HALL, url=URL, printed_on=date(2026, 11, 30)).pdf)
    control = ink_overlaps(printed, other, tmp_path / "control")
    assert sum(control) / len(control) < OTHER_PAGE, control


def test_an_offline_printer_or_one_out_of_paper_gets_no_job_and_the_right_message(
    cups: Cups, printout: Printout, tmp_path: Path
) -> None:
    svc = service(cups, tmp_path)
    try:
        cups.admin("cupsdisable", "-h", cups.socket, cups.queue)
        result = svc.print_pdf(printout.pdf, printout.pages, "离线")
        assert (result.outcome, result.job_id) == ("offline", None)
        assert result.message == "打印机暂停服务，请到服务窗口咨询，或扫码在手机上查看。"
        cups.admin("cupsdisable", "-h", cups.socket, "-r", "media-empty", cups.queue)
        cups.admin(
            "lpadmin", "-h", cups.socket, "-p", cups.queue, "-o", "printer-state-reasons=media-empty-error"
        )
        assert svc.printer.state().out_of_paper
        result = svc.print_pdf(printout.pdf, printout.pages, "缺纸")
        assert (result.outcome, result.job_id) == ("no_paper", None)
        assert result.message == "打印机缺纸，暂时无法打印，请联系工作人员或到服务窗口咨询。"
        cups.admin("lpadmin", "-h", cups.socket, "-p", cups.queue, "-o", "printer-state-reasons=none")
        cups.admin("cupsreject", "-h", cups.socket, cups.queue)
        cups.admin("cupsenable", "-h", cups.socket, cups.queue)
        assert svc.print_pdf(printout.pdf, printout.pages, "不收").outcome == "offline"
    finally:
        cups.admin("cupsaccept", "-h", cups.socket, cups.queue)
        cups.admin("cupsenable", "-h", cups.socket, cups.queue)
    assert svc.budget.used_today() == 0  # nothing was sent, nothing counted


def test_a_cancelled_job_and_a_job_that_never_prints_are_told_apart(
    cups: Cups, printout: Printout, tmp_path: Path
) -> None:
    cups.hold_new_jobs(True)
    try:
        svc = service(cups, tmp_path)
        results = []
        printing = threading.Thread(target=lambda: results.append(svc.print_pdf(printout.pdf, 4, "取消")))
        printing.start()
        job = wait_for_held_job(cups)
        subprocess.run(["cancel", "-h", cups.socket, f"{cups.queue}-{job}"], check=True, timeout=20)
        printing.join(30)
        assert results and results[0].outcome == "cancelled" and results[0].job_id == job
        assert results[0].message == "打印任务已取消，未能打印，请重试或到服务窗口咨询。"

        slow = service(cups, tmp_path / "slow", timeout=1.5)
        (tmp_path / "slow").mkdir()
        started = time.monotonic()
        result = slow.print_pdf(printout.pdf, 4, "无回应")
        assert result.outcome == "timeout" and 1.5 <= time.monotonic() - started < 10
        assert result.message == "打印机没有回应，请联系工作人员或到服务窗口咨询。"
    finally:
        subprocess.run(["cancel", "-h", cups.socket, "-a", cups.queue], check=False, timeout=20)
        cups.hold_new_jobs(False)


def wait_for_held_job(cups: Cups, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        listing = subprocess.run(
            ["lpstat", "-h", cups.socket, "-o", cups.queue], capture_output=True, text=True, check=False
        ).stdout
        jobs = [int(line.split()[0].rsplit("-", 1)[1]) for line in listing.splitlines() if line.strip()]
        if jobs:
            return max(jobs)
        time.sleep(0.05)
    raise AssertionError("no job reached the queue")


def test_the_daily_page_budget_holds_and_a_new_day_restores_it(
    cups: Cups, printout: Printout, tmp_path: Path
) -> None:
    svc = service(cups, tmp_path, daily=10)
    before = len(cups.pdfs())
    assert svc.print_pdf(printout.pdf, 4, "一").ok and svc.print_pdf(printout.pdf, 4, "二").ok
    refused = svc.print_pdf(printout.pdf, 4, "三")
    assert (refused.outcome, refused.job_id) == ("budget", None)
    assert refused.message == "今日本机打印页数已用完，请扫码在手机上查看，或到服务窗口咨询。"
    assert svc.budget.used_today() == 8 and svc.budget.remaining() == 2
    # the count survives a restart (a new service on the same file), and a new day starts afresh
    again = PageBudget(tmp_path / "pages.json", 10, today=lambda: date(2026, 11, 30))
    assert again.used_today() == 8
    svc.days[0] = date(2026, 12, 1)  # type: ignore[attr-defined]
    assert svc.print_pdf(printout.pdf, 4, "四").ok
    assert len(cups.wait_for_pdfs(before + 3)) == before + 3
    too_long = svc.print_pdf(printout.pdf, 21, "太长")
    assert too_long.outcome == "too_long" and too_long.job_id is None


def test_the_admin_screen_lines_name_the_queue_its_state_and_todays_pages(
    cups: Cups, printout: Printout, tmp_path: Path
) -> None:
    assert printer_rows(None) == [("打印机", "未配置（页面不显示打印按钮）")]
    svc = service(cups, tmp_path, daily=50)
    assert printer_rows(svc) == [("打印机", f"{cups.queue}：就绪"), ("今日打印页数", "0 / 50")]
    assert svc.print_pdf(printout.pdf, 4, "管理").ok
    try:
        cups.admin("cupsdisable", "-h", cups.socket, "-r", "换纸", cups.queue)
        cups.admin(
            "lpadmin", "-h", cups.socket, "-p", cups.queue, "-o", "printer-state-reasons=media-empty-error"
        )
        rows = printer_rows(svc)
        assert rows[0][1].startswith(f"{cups.queue}：已停止（") and "media-empty" in rows[0][1]
        assert rows[1] == ("今日打印页数", "4 / 50")
    finally:
        cups.admin("lpadmin", "-h", cups.socket, "-p", cups.queue, "-o", "printer-state-reasons=none")
        cups.admin("cupsenable", "-h", cups.socket, cups.queue)
    gone = PrintService(
        CupsPrinter("nowhere", str(tmp_path / "no.sock")),
        svc.budget,
        collect_at="",
        max_pages=5,
        job_timeout=5,
    )
    assert printer_rows(gone)[0][1].startswith("nowhere：无法读取状态：")
