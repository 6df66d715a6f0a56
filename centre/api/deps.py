"""What the routes need from the app: the database engine, the config, the clock, and the device
behind the request's bearer token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

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


def engine(request: Request) -> Engine:
    found: Engine = request.app.state.engine
    return found


def settings(request: Request) -> CentreSection:
    found: CentreSection = request.app.state.settings
    return found


def clock(request: Request) -> datetime:
    now: Callable[[], datetime] = request.app.state.clock
    return now()


def default_clock() -> datetime:
    return datetime.now(UTC)


def device(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    db: Annotated[Engine, Depends(engine)],
) -> Device:
    """The registered, unrevoked device presenting the token; 401 otherwise (nothing is stored)."""
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(401, "missing Authorization: Bearer <device token>", headers=challenge)
    found = devices.by_token(db, credentials.credentials)
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
