"""The centre's ASGI application: `create_app(settings)`, or `app_from_environment()` for uvicorn
workers (`HALL_CENTRE_CONFIG` names the config file)."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import anyio
import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from centre import __version__
from centre.api import deps, receiver
from centre.api.body_limit import BodyLimit
from centre.api.service_manager import notify_service_manager
from centre.catalogue import NodeTitles
from centre.config import CentreSection, load_centre_config
from centre.db import heartbeats
from centre.db.engine import open_engine
from centre.desk import routes as desk_routes
from centre.phone import routes as phone_routes
from feed import MAX_BATCH_BYTES

log = logging.getLogger(__name__)

CONFIG_ENV = "HALL_CENTRE_CONFIG"
LISTEN_ENV = "HALL_CENTRE_LISTEN"  # host:port the workers' server listens on (for the READY probe)
HOUSEKEEPING_SECONDS = 3600.0
# Heartbeats and anything else are small; only batches of records may be large.
DEFAULT_BODY_LIMIT = 64 * 1024

DESCRIPTION = """\
The bureau's centre for the service hall's devices. Kiosks and LED displays deliver what citizens
gave back (好差评 ratings, 意见建议 suggestions, 点题公开 requests) and proof of play, and report their
health. Devices authenticate with `Authorization: Bearer <device token>`. Every record is stored
exactly once, by its id: sending a batch again is harmless, and the answer lists every id held.
"""


def create_app(
    settings: CentreSection,
    engine: Engine | None = None,
    *,
    clock: Callable[[], datetime] = deps.default_clock,
    listen: tuple[str, int] | None = None,
    desk: bool = True,
) -> FastAPI:
    """The app over `engine` (opened from `settings.database_url` when not given), with the staff's
    desk unless `desk` is False (the OpenAPI export: the desk is no part of the devices' contract);
    `listen` is the (host, port) its server binds, which it probes before telling systemd it is ready."""
    app = FastAPI(
        lifespan=_housekeeping,
        title="hall-centre",
        version=__version__,
        description=DESCRIPTION,
        openapi_url="/v1/openapi.json",
        docs_url=None,  # the interactive pages load scripts from the internet; a hall network has none
        redoc_url=None,
    )
    app.state.engine = engine if engine is not None else open_engine(settings.database_url)
    app.state.settings = settings
    app.state.clock = clock
    app.state.listen = listen
    app.state.node_titles = NodeTitles(settings.feed_cache)
    app.include_router(receiver.router)
    if desk:
        desk_routes.install(app, settings)
        phone_routes.install(app)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_middleware(BodyLimit, limits={"/v1/submissions": MAX_BATCH_BYTES}, default=DEFAULT_BODY_LIMIT)
    return app


@asynccontextmanager
async def _housekeeping(app: FastAPI) -> AsyncIterator[None]:
    """While the app serves: delete heartbeat history past its retention, once an hour, and keep
    systemd told that it is ready and alive."""

    async def prune_forever() -> None:
        while True:
            settings: CentreSection = app.state.settings
            try:
                gone = await anyio.to_thread.run_sync(
                    heartbeats.prune, app.state.engine, app.state.clock(), settings.heartbeat_retention_days
                )
                if gone:
                    log.info(
                        "deleted %d heartbeats older than %d days", gone, settings.heartbeat_retention_days
                    )
            except Exception:  # a busy or unreachable database: try again at the next round
                log.exception("heartbeat retention failed")
            await anyio.sleep(HOUSEKEEPING_SECONDS)

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(prune_forever)
        tasks.start_soon(notify_service_manager, app.state.listen)
        yield
        tasks.cancel_scope.cancel()


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    """422 with where and why, but never the offending value: it may be what a citizen typed."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]} for error in exc.errors()
    ]
    return JSONResponse({"detail": errors}, status_code=422)


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory` with several workers: each worker loads the config itself."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        raise RuntimeError(f"{CONFIG_ENV} is not set")
    host, _, port = os.environ.get(LISTEN_ENV, "").rpartition(":")
    listen = (host.strip("[]"), int(port)) if host and port.isdigit() else None
    return create_app(load_centre_config(Path(path)).centre, listen=listen)
