"""The desk's pages: sign-in, the three queues, one record with its follow-up form, the fleet.

Every route is thin: it checks who asks (`guard`), asks `centre.db` and renders a template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from centre import report
from centre.config import CentreSection
from centre.db import heartbeats, ratings, staff, work
from centre.db.staff import Limits
from centre.desk import admin, guard, pages, ratings_view
from centre.desk.chart import Series, Stack, hourly_chart, stacked_chart
from centre.desk.export import MEDIA_TYPE, Sheet, Value, workbook, workbook_of
from centre.desk.guard import MemberDep, RefusedError, SignInRequiredError
from centre.desk.publication import disclosure_items
from centre.desk.rows import local_time, row_of, sheet_of
from centre.desk.secret import session_secret
from centre.rules.disclosure import GROUNDS, OUTCOMES
from centre.rules.roles import may
from centre.rules.work import QUEUES, Queue, QueueName, StepError, queue_of_kind, record_due
from centre.rules.working_days import HolidayFileError, WorkingCalendar, calendar_from
from feed import RATING_LABELS, ConfigError

HERE = Path(__file__).parent
PREFIX = "/desk"
SESSION_COOKIE = "hall_desk"
EXPORT_ROWS = 100_000
GUIDE_ROWS = 50

router = APIRouter(prefix=PREFIX, dependencies=[Depends(guard.check_csrf)], include_in_schema=False)


def install(app: FastAPI, settings: CentreSection) -> None:
    """Add the desk to the centre's app: sessions, static files, the calendar, the routes."""
    try:
        app.state.calendar = calendar_from(settings.holiday_file)
    except HolidayFileError as exc:
        raise ConfigError(f"[centre] holiday_file: {exc}") from None
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings.session_secret_file),
        session_cookie=SESSION_COOKIE,
        max_age=round(settings.session_hours * 3600),
        path="/",
        same_site="strict",
        https_only=settings.cookie_secure,
    )
    app.mount(PREFIX + "/static", StaticFiles(directory=HERE / "static"), name="desk-static")
    app.include_router(router)
    app.include_router(admin.router)
    app.add_exception_handler(SignInRequiredError, _to_sign_in)
    app.add_exception_handler(RefusedError, _refused)

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/", status_code=303)


_page = pages.render


async def _to_sign_in(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SignInRequiredError)
    return RedirectResponse(f"{PREFIX}/sign-in?next={exc.next_path}", status_code=303)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RefusedError)
    return _page(request, "message.html", exc.status, title="无法完成", message=exc.message)


def _settings(request: Request) -> CentreSection:
    found: CentreSection = request.app.state.settings
    return found


def _safe_next(value: str) -> str:
    """Only a path of the desk itself (no other site, no scheme-relative //host)."""
    return value if value.startswith(PREFIX + "/") and not value.startswith("//") else PREFIX + "/"


# ------------------------------------------------------------------------------------------- sign-in


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = PREFIX + "/") -> HTMLResponse:
    return _page(request, "sign_in.html", next=_safe_next(next), error=None)


@router.post("/sign-in")
def sign_in(
    request: Request,
    name: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=500)] = PREFIX + "/",
) -> Response:
    settings = _settings(request)
    limits = Limits(settings.sign_in_attempts, timedelta(minutes=settings.sign_in_window_minutes))
    address = request.client.host if request.client else "unknown"
    result, member = staff.sign_in(
        request.app.state.engine,
        name.strip(),
        password,
        address=address,
        now=request.app.state.clock(),
        limits=limits,
    )
    if result == "limited":
        minutes = round(settings.sign_in_window_minutes)
        error = f"登录失败次数过多，请 {minutes} 分钟后再试。"
        return _page(request, "sign_in.html", 429, next=_safe_next(next), error=error, name=name)
    if member is None:
        error = "用户名或密码不正确。"
        return _page(request, "sign_in.html", 401, next=_safe_next(next), error=error, name=name)
    guard.start_session(request, member)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/sign-out")
async def sign_out(request: Request) -> RedirectResponse:
    request.session.clear()
    return RedirectResponse(f"{PREFIX}/sign-in", status_code=303)


# -------------------------------------------------------------------------------------------- queues


@router.get("/")
async def desk_home(member: MemberDep) -> RedirectResponse:
    return RedirectResponse(f"{PREFIX}/reviews", status_code=303)


def _rows(request: Request, member: staff.Member, queue: Queue, items: list[work.Item]) -> list[Any]:
    settings = _settings(request)
    calendar: WorkingCalendar = request.app.state.calendar
    now = request.app.state.clock()
    return [
        row_of(
            item,
            queue,
            calendar=calendar,
            working_days=settings.working_days(queue.name),
            zone=settings.zone(),
            now=now,
            see_identity=may(member.role, "see_identity"),
            node_title=request.app.state.node_titles.title,
        )
        for item in items
    ]


def _xlsx(name: str, content: bytes) -> Response:
    filename = f"{name}-{date.today().isoformat()}.xlsx"
    return Response(
        content, media_type=MEDIA_TYPE, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _queue_export(request: Request, member: staff.Member, name: QueueName, done: bool) -> Response:
    guard.require(member, "read")
    queue = QUEUES[name]
    items = work.list_queue(request.app.state.engine, queue, done=done, limit=EXPORT_ROWS)
    header, lines = sheet_of(queue, _rows(request, member, queue, items), RATING_LABELS)
    return _xlsx(name, workbook(queue.title, header, lines))


def _queue_page(request: Request, member: staff.Member, name: QueueName, done: bool) -> HTMLResponse:
    guard.require(member, "read")
    queue = QUEUES[name]
    items = work.list_queue(request.app.state.engine, queue, done=done)
    rows = _rows(request, member, queue, items)
    return _page(
        request,
        "queue.html",
        member=member,
        queue=queue,
        rows=rows,
        done=done,
        overdue=sum(row.overdue for row in rows),
        working_days=_settings(request).working_days(queue.name),
        limit=work.PAGE_ROWS,
    )


def _queue_endpoints(name: QueueName) -> tuple[Callable[..., Response], Callable[..., Response]]:
    """The page of one queue and its Excel export (`?done=true`: what is done)."""

    def page(request: Request, member: MemberDep, done: bool = False) -> HTMLResponse:
        return _queue_page(request, member, name, done)

    def export(request: Request, member: MemberDep, done: bool = False) -> Response:
        return _queue_export(request, member, name, done)

    return page, export


for _name in QUEUES:
    _page_route, _export_route = _queue_endpoints(_name)
    router.add_api_route(f"/{_name}.xlsx", _export_route, methods=["GET"])
    router.add_api_route(f"/{_name}", _page_route, methods=["GET"])


# -------------------------------------------------------------------------------------- one record


def _record_page(
    request: Request, member: staff.Member, record_id: UUID, status: int = 200, error: str | None = None
) -> HTMLResponse:
    engine = request.app.state.engine
    for queue in QUEUES.values():
        found = work.find(engine, queue, record_id)
        if found is not None:
            item, notes = found
            zone = _settings(request).zone()
            return _page(
                request,
                "record.html",
                status,
                member=member,
                queue=queue,
                row=_rows(request, member, queue, [item])[0],
                notes=[(local_time(note.at, zone), note) for note in notes],
                next_status=queue.next_status(item.status),
                may_work=may(member.role, "work"),
                may_extend=bool(queue.extension_days)
                and item.status == queue.first
                and item.extended_at is None,
                outcomes=OUTCOMES,
                grounds=GROUNDS,
                error=error,
            )
    raise RefusedError(404, "没有这条记录。")


@router.get("/records/{record_id}")
def record(request: Request, member: MemberDep, record_id: UUID) -> HTMLResponse:
    guard.require(member, "read")
    return _record_page(request, member, record_id)


@router.post("/records/{record_id}")
def record_step(  # noqa: PLR0917 - FastAPI passes form fields by name
    request: Request,
    member: MemberDep,
    record_id: UUID,
    kind: Annotated[str, Form(max_length=32)],
    status: Annotated[str, Form(max_length=16)],
    text: Annotated[str, Form(max_length=4000)] = "",
    publish: Annotated[bool, Form()] = False,
    outcome: Annotated[str, Form(max_length=16)] = "",
    ground: Annotated[str, Form(max_length=32)] = "",
) -> Response:
    def step(queue: Queue) -> None:
        work.record_step(
            request.app.state.engine,
            queue,
            record_id,
            status,
            text,
            author=member.name,
            now=request.app.state.clock(),
            publish=publish,
            outcome=outcome,
            ground=ground,
        )

    return _work(request, member, record_id, kind, step)


@router.post("/records/{record_id}/extend")
def extend(
    request: Request,
    member: MemberDep,
    record_id: UUID,
    kind: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Extend a record's deadline once (依申请公开: by 20 working days, with the reason)."""
    settings = _settings(request)

    def extension(queue: Queue) -> None:
        work.extend_deadline(
            request.app.state.engine,
            queue,
            record_id,
            reason,
            due=lambda item: record_due(
                queue,
                item.created_at,
                settings.working_days(queue.name),
                extended=item.extended_at is not None,
                calendar=request.app.state.calendar,
                zone=settings.zone(),
            ),
            author=member.name,
            now=request.app.state.clock(),
            zone=settings.zone(),
        )

    return _work(request, member, record_id, kind, extension)


def _work(
    request: Request, member: staff.Member, record_id: UUID, kind: str, act: Callable[[Queue], None]
) -> Response:
    """Do `act` on a record of the queue of `kind` for a member who may work: back to the record's page,
    or that page again with why the step was refused (409)."""
    guard.require(member, "work")
    queue = queue_of_kind(kind)
    if queue is None:
        raise RefusedError(400, "未知的记录类型。")
    try:
        act(queue)
    except StepError as exc:
        return _record_page(request, member, record_id, 409, str(exc))
    except LookupError:
        raise RefusedError(404, "没有这条记录。") from None
    return RedirectResponse(f"{PREFIX}/records/{record_id}", status_code=303)


# --------------------------------------------------------------------------------------------- fleet


@router.get("/fleet")
async def fleet(request: Request, member: MemberDep) -> HTMLResponse:
    guard.require(member, "read")
    settings = _settings(request)
    lines = await anyio.to_thread.run_sync(
        report.fleet, request.app.state.engine, settings, request.app.state.clock()
    )
    return _page(request, "fleet.html", member=member, devices=lines)


@router.get("/devices/{device_id}")
def device_page(
    request: Request, member: MemberDep, device_id: str, days: Annotated[int, Query(ge=1, le=30)] = 7
) -> HTMLResponse:
    guard.require(member, "read")
    settings = _settings(request)
    now = request.app.state.clock()
    line = next((d for d in report.fleet(request.app.state.engine, settings, now) if d.id == device_id), None)
    if line is None:
        raise RefusedError(404, "没有这台设备。")
    start = now - timedelta(days=days)
    hours = heartbeats.history(request.app.state.engine, device_id, start)
    gigabyte = 1024**3
    charts = [
        Series("同步出错次数（每小时）", "次", [(h.hour, float(h.sync_errors)) for h in hours], bars=True),
        Series("待发送记录（每小时最多）", "条", [(h.hour, float(h.outbox_depth)) for h in hours]),
        Series(
            "剩余磁盘空间（每小时最少）",
            "GB",
            [(h.hour, h.free_disk_bytes / gigabyte) for h in hours if h.free_disk_bytes is not None],
        ),
    ]
    zone = settings.zone()
    summary = {
        "beats": sum(h.beats for h in hours),
        "hours": len(hours),
        "errors": sum(h.sync_errors for h in hours),
        "deepest": max((h.outbox_depth for h in hours), default=0),
        "least_disk": min((h.free_disk_bytes for h in hours if h.free_disk_bytes is not None), default=None),
    }
    return _page(
        request,
        "device.html",
        member=member,
        device=line,
        days=days,
        charts=[(series, hourly_chart(series, start, now, zone)) for series in charts],
        summary=summary,
        gigabyte=gigabyte,
    )


@router.get("/publication.yaml")
def publication(request: Request, member: MemberDep) -> Response:
    """Every reply marked for publication, as draft disclosure items for the feed's editors."""
    guard.require(member, "read")
    replies = []
    for queue in QUEUES.values():
        if not queue.replies:
            continue
        items = work.list_queue(request.app.state.engine, queue, done=True, limit=EXPORT_ROWS)
        rows = _rows(request, member, queue, [item for item in items if item.publish])
        replies += [(queue, row.item, row.topics) for row in rows]
    settings = _settings(request)
    text = disclosure_items(
        replies,
        publisher=settings.publisher,
        default_node=settings.reply_node,
        zone=settings.zone(),
        now=request.app.state.clock(),
    )
    filename = f"replies-{date.today().isoformat()}.yaml"
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@dataclass(frozen=True)
class RatingFigures:
    """What the ratings page and its export show for the last `weeks` local weeks."""

    first_week: date
    weeks: list[ratings_view.Tally]
    halls: list[ratings_view.Tally]
    departments: list[ratings_view.Tally]
    guides: list[ratings_view.Tally]  # all of them: the page shows the worst GUIDE_ROWS


def _rating_figures(request: Request, weeks: int) -> RatingFigures:
    zone = _settings(request).zone()
    today = request.app.state.clock().astimezone(zone).date()
    first_week = ratings_view.week_start(today) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first_week, time(0), tzinfo=zone)
    engine = request.app.state.engine
    subjects = ratings.by_subject(engine, since)
    return RatingFigures(
        first_week=first_week,
        weeks=ratings_view.weekly(ratings.by_hour(engine, since), zone, first_week, weeks),
        halls=ratings_view.grouped(ratings.halls(subjects)),
        departments=ratings_view.grouped(ratings.departments(subjects)),
        guides=ratings_view.grouped(ratings.guides(subjects)),
    )


@router.get("/ratings.xlsx")
def ratings_export(
    request: Request, member: MemberDep, weeks: Annotated[int, Query(ge=1, le=52)] = 12
) -> Response:
    """The ratings page's tables as one workbook: a sheet per week, hall, department and guide."""
    guard.require(member, "read")
    figures = _rating_figures(request, weeks)
    header = [RATING_LABELS[level] for level in ratings_view.LEVELS] + ["合计", "差评", "平均"]

    def lines(tallies: list[ratings_view.Tally], key: bool) -> list[list[Value]]:
        return [
            [
                tally.key if key else (tally.title or tally.key),
                *(tally.levels[level] for level in ratings_view.LEVELS),
                tally.total,
                tally.negative,
                round(tally.average, 2) if tally.total else None,
            ]
            for tally in tallies
        ]

    sheets: list[Sheet] = [
        ("每周", ["周（周一起）", *header], lines(figures.weeks, key=True)),
        ("按大厅", ["大厅", *header], lines(figures.halls, key=False)),
        ("按部门", ["部门", *header], lines(figures.departments, key=False)),
        ("按事项", ["办事指南或公开事项", *header], lines(figures.guides, key=False)),
    ]
    return _xlsx(f"ratings-{weeks}w", workbook_of(sheets))


@router.get("/ratings")
def ratings_page(
    request: Request, member: MemberDep, weeks: Annotated[int, Query(ge=1, le=52)] = 12
) -> HTMLResponse:
    guard.require(member, "read")
    figures = _rating_figures(request, weeks)
    tallies = figures.weeks
    first_week = figures.first_week
    stacks = [
        Stack(
            tally.title,
            [(RATING_LABELS[level], float(tally.levels[level])) for level in ratings_view.LEVELS[::-1]],
        )
        for tally in tallies
    ]
    classes = [f"level-{level}" for level in ratings_view.LEVELS[::-1]]
    return _page(
        request,
        "ratings.html",
        member=member,
        weeks=weeks,
        first_week=first_week,
        levels=ratings_view.LEVELS,
        chart=stacked_chart(f"最近 {weeks} 周每周评价数（按等级）", "条", stacks, classes),
        tallies=tallies,
        halls=figures.halls,
        departments=figures.departments,
        guides=figures.guides[:GUIDE_ROWS],
        guide_rows=GUIDE_ROWS,
    )


FLEET_HEADER = [
    "设备",
    "类型",
    "大厅",
    "状态",
    "内容更新于",
    "内容序号",
    "最新序号",
    "最后联系",
    "待发送",
    "软件版本",
]


@router.get("/fleet.xlsx")
def fleet_export(request: Request, member: MemberDep) -> Response:
    guard.require(member, "read")
    lines = report.fleet(request.app.state.engine, _settings(request), request.app.state.clock())
    rows: list[list[Value]] = [
        [
            d.id,
            "信息查询机" if d.role == "kiosk" else "LED 屏",
            d.hall,
            d.status_label,
            d.content_as_of,
            d.sequence,
            d.newest_sequence,
            d.last_seen,
            d.outbox_depth,
            d.software_version,
        ]
        for d in lines
    ]
    return _xlsx("fleet", workbook("设备", FLEET_HEADER, rows))
