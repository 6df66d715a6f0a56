"""`hall-centre report`: the fleet and the work at a glance (`--json`: one object with keys
`devices`, `ratings`, `bad_reviews`, `requests`, `applications`). Phone numbers are masked; an
applicant's identity is not shown."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from centre.cli import add_config_option, config_of
from centre.db.engine import open_engine
from centre.db.migrate import check_current
from centre.report import RecordLine, Report, build_report
from centre.rules.disclosure import OUTCOMES

WIDE = 160


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "report", help="fleet status, ratings, bad reviews, open requests", description=__doc__
    )
    add_config_option(parser)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = config_of(args).centre
    engine = open_engine(settings.database_url)
    try:
        check_current(engine)
        report = build_report(engine, settings, datetime.now(UTC))
    finally:
        engine.dispose()
    if args.json:
        json.dump(report.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print_text(report)
    return 0


def print_text(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    # A pipe or a file gets the full width, not 80 columns.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else WIDE)
    console.print(f"[b]设备[/b]（{report.generated_at}，{report.timezone}）")
    fleet = Table("设备", "类型", "大厅", "状态", "最近联系", "内容序号 / 最新", "待发送", "最近错误")
    for d in report.devices:
        status = f"{d.status_label}（{d.status}）" + ("，已吊销" if d.revoked else "")
        fleet.add_row(
            d.id,
            d.role,
            d.hall,
            status,
            _short(d.last_seen) or "从未",
            f"{_text(d.sequence)} / {_text(d.newest_sequence)}",
            _text(d.outbox_depth),
            d.last_error or d.last_delivery_error or "",
        )
    console.print(fleet)
    console.print("[b]好差评[/b]（按平均分从低到高）")
    ratings = Table("对象", "标题", "评价数", "平均", "5", "4", "3", "2", "1")
    for r in report.ratings:
        counts = [str(n) for n in r.by_level.values()]
        ratings.add_row(
            f"{r.subject_kind}:{r.subject_id}", r.subject_title, str(r.count), f"{r.average:.2f}", *counts
        )
    console.print(ratings)
    console.print(f"[b]差评[/b]：{len(report.bad_reviews)} 条，{_unfinished(report.bad_reviews)}")
    bad = Table("编号", "时间", "大厅", "等级", "对象", "原因", "电话", "期限")
    for line in report.bad_reviews:
        details = line.details
        bad.add_row(
            line.reference,
            _short(line.created),
            line.hall,
            details["level_label"],
            details["subject"]["title"] or details["subject"]["kind"],
            "、".join(details["reasons"]),
            line.phone or "",
            _due(line),
        )
    console.print(bad)
    console.print(f"[b]点题公开申请[/b]：{len(report.requests)} 条，{_unfinished(report.requests)}")
    requests = Table("编号", "时间", "大厅", "目录", "主题", "电话", "期限")
    for line in report.requests:
        node = line.details["node"] or {}
        requests.add_row(
            line.reference,
            line.created,
            line.hall,
            node.get("title", ""),
            "、".join(line.details["topics"]),
            line.phone or "",
            _due(line),
        )
    console.print(requests)
    console.print(f"[b]依申请公开[/b]：{len(report.applications)} 件，{_unfinished(report.applications)}")
    applications = Table("编号", "时间", "大厅", "目录", "延期", "答复形式", "期限")
    for line in report.applications:
        details = line.details
        applications.add_row(
            line.reference,
            _short(line.created),
            line.hall,
            details["subject"],
            "已延期" if details["extended"] else "",
            OUTCOMES.get(details["outcome"] or "", ""),
            _due(line),
        )
    console.print(applications)


DUE_WORDS = {"open": "", "overdue": " 已超期", "done": " 已办结"}


def _due(line: RecordLine) -> str:
    words = line.due.date + DUE_WORDS[line.due.status]
    return f"{words}（{line.due.note}）" if line.due.note else words


def _unfinished(lines: list[RecordLine]) -> str:
    todo = sum(line.due.status != "done" for line in lines)
    late = sum(line.due.status == "overdue" for line in lines)
    return f"未办结 {todo} 条，其中超期 {late} 条"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _short(stamp: str | None) -> str:
    """'2026-11-30T06:57:15+08:00' → '11-30 06:57' (the zone is in the heading)."""
    return "" if not stamp else f"{stamp[5:10]} {stamp[11:16]}"
