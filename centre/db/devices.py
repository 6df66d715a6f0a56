"""Registered devices: adding one (with a new token), listing, revoking, rotating, and finding the
device behind a request's bearer token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine, RowMapping, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from centre.db import engine as db
from centre.db.schema import devices
from centre.rules.tokens import new_token, plausible, token_hash
from feed import FeedError, Id

ROLES = ("kiosk", "display")


DeviceProblem = Literal["id", "role", "exists", "unknown"]


class DeviceError(FeedError):
    """A device cannot be added, found or changed as asked; `reason` says which rule refused it."""

    def __init__(self, message: str, reason: DeviceProblem) -> None:
        super().__init__(message)
        self.reason = reason


def id_problem(value: str) -> str | None:
    """Why `value` cannot be a device or hall id (`feed.Id`: lower-case letters, digits, . _ -), or None."""
    try:
        TypeAdapter(Id).validate_python(value)
    except ValidationError:
        return f"{value!r} is not an id (1 to 128 lower-case letters, digits, . _ -, not starting with . _ -)"
    return None


@dataclass(frozen=True)
class Device:
    id: str
    role: str
    hall: str
    created_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None

    @classmethod
    def from_row(cls, row: RowMapping) -> Device:
        return cls(
            id=row["id"],
            role=row["role"],
            hall=row["hall"],
            created_at=row["created_at"],
            revoked_at=row["revoked_at"],
            last_seen_at=row["last_seen_at"],
        )


_COLUMNS = (
    devices.c.id,
    devices.c.role,
    devices.c.hall,
    devices.c.created_at,
    devices.c.revoked_at,
    devices.c.last_seen_at,
)


def add(engine: Engine, device_id: str, role: str, hall: str, now: datetime) -> tuple[Device, str]:
    """Register a device; returns it and its token (the only time the token exists in clear)."""
    problem = id_problem(device_id) or id_problem(hall)
    if problem:
        raise DeviceError(problem, "id")
    if role not in ROLES:
        raise DeviceError(f"role must be one of {', '.join(ROLES)}, not {role!r}", "role")
    token = new_token()
    try:
        with db.write(engine) as conn:
            conn.execute(
                devices.insert().values(
                    id=device_id, role=role, hall=hall, token_hash=token_hash(token), created_at=now
                )
            )
    except IntegrityError:
        raise DeviceError(
            f"device {device_id!r} is already registered (use `devices rotate` for a new token)", "exists"
        ) from None
    return Device(device_id, role, hall, now, None, None), token


def rotate(engine: Engine, device_id: str) -> str:
    """Issue a new token for a device (the old one stops working at once; a revoked device returns)."""
    token = new_token()
    with db.write(engine) as conn:
        done = conn.execute(
            update(devices)
            .where(devices.c.id == device_id)
            .values(token_hash=token_hash(token), revoked_at=None)
        ).rowcount
    if not done:
        raise DeviceError(f"no device {device_id!r}", "unknown")
    return token


def revoke(engine: Engine, device_id: str, now: datetime) -> bool:
    """Revoke a device's token; False when it was revoked already. DeviceError when unknown."""
    with db.write(engine) as conn:
        known = conn.execute(select(devices.c.revoked_at).where(devices.c.id == device_id)).first()
        if known is None:
            raise DeviceError(f"no device {device_id!r}", "unknown")
        if known.revoked_at is not None:
            return False
        conn.execute(update(devices).where(devices.c.id == device_id).values(revoked_at=now))
    return True


def all_devices(engine: Engine) -> list[Device]:
    with db.read(engine) as conn:
        rows = conn.execute(select(*_COLUMNS).order_by(devices.c.hall, devices.c.id)).mappings()
        return [Device.from_row(row) for row in rows]


_BY_TOKEN = select(*_COLUMNS).where(
    devices.c.token_hash == bindparam("token_hash"), devices.c.revoked_at.is_(None)
)


def by_token(engine: Engine, token: str) -> Device | None:
    """The active (not revoked) device holding `token`, or None (asked on every request)."""
    if not plausible(token):
        return None
    with engine.connect() as conn:
        row = conn.execute(_BY_TOKEN, {"token_hash": token_hash(token)}).mappings().first()
    return None if row is None else Device.from_row(row)
