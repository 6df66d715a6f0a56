"""What the routes need from the app: the database engine, the config, the clock, and the device
behind the request's bearer token.

The small dependencies are `async def` on purpose: FastAPI runs a plain `def` dependency in its thread
pool, and a hop there costs more than reading `app.state`. Only the token lookup, which waits on the
database, goes to a thread, and the route's own work to another.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from centre.config import CentreSection
from centre.db import devices
from centre.db.devices import Device

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="DeviceToken",
    description="The device's token, printed once by `hall-centre devices add`.",
)


async def engine(request: Request) -> Engine:
    found: Engine = request.app.state.engine
    return found


async def settings(request: Request) -> CentreSection:
    found: CentreSection = request.app.state.settings
    return found


async def clock(request: Request) -> datetime:
    now: Callable[[], datetime] = request.app.state.clock
    return now()


def default_clock() -> datetime:
    return datetime.now(UTC)


async def device(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)], request: Request
) -> Device:
    """The registered, unrevoked device presenting the token; 401 otherwise, before the body is
    looked at, and nothing is stored. The lookup waits on the database, so it runs in a thread."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(401, "missing Authorization: Bearer <device token>", headers=challenge)
    db: Engine = request.app.state.engine
    found = await anyio.to_thread.run_sync(devices.by_token, db, credentials.credentials)
    if found is None:
        raise HTTPException(401, "unknown or revoked device token", headers=challenge)
    return found


def same_device(claimed: set[str], authenticated: Device) -> None:
    """403 when a device speaks for another device id."""
    others = sorted(claimed - {authenticated.id})
    if others:
        raise HTTPException(
            403,
            f"this token belongs to device {authenticated.id!r}, not {', '.join(others)!s}: "
            "nothing was stored",
        )


EngineDep = Annotated[Engine, Depends(engine)]
NowDep = Annotated[datetime, Depends(clock)]
DeviceDep = Annotated[Device, Depends(device)]
