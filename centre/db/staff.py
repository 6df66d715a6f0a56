"""Staff accounts of the desk and their failed sign-ins.

`sign_in` checks a name and password and refuses while too many recent failures stand against the
name or the address (`Limits`); every failure is recorded, in the database, so all workers of the
centre count the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.exc import IntegrityError

from centre.db import engine as db
from centre.db.schema import sign_in_failures, staff
from centre.rules.passwords import DECOY_HASH, hash_password, password_problem, verify_password
from centre.rules.roles import ROLES
from feed import FeedError

NAME_LENGTH = 64
ADDRESS_LENGTH = 64
# Several clerks may share one office address (NAT): an address gets this many times a name's allowance.
ADDRESS_FACTOR = 4


StaffProblem = Literal["name", "password", "role", "exists", "unknown"]


class StaffError(FeedError):
    """An account cannot be added or changed as asked; `reason` says which rule refused it (the desk
    words it in Chinese, the command line prints the message)."""

    def __init__(self, message: str, reason: StaffProblem) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Member:
    name: str
    role: str


@dataclass(frozen=True)
class Limits:
    attempts: int  # failures allowed per name (ADDRESS_FACTOR times that per address) within `window`
    window: timedelta


SignInResult = Literal["ok", "wrong", "limited"]


def name_problem(name: str) -> str | None:
    if not name or len(name) > NAME_LENGTH or not name.isprintable() or name != name.strip():
        return f"a name is 1 to {NAME_LENGTH} printable characters without surrounding spaces"
    return None


def add(engine: Engine, name: str, role: str, password: str, now: datetime) -> Member:
    """Create an account; StaffError when the name, role or password is not acceptable or taken."""
    problem = name_problem(name)
    if problem:
        raise StaffError(problem, "name")
    problem = password_problem(password)
    if problem:
        raise StaffError(problem, "password")
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}, not {role!r}", "role")
    try:
        with db.write(engine) as conn:
            conn.execute(
                staff.insert().values(
                    name=name, role=role, password_hash=hash_password(password), created_at=now
                )
            )
    except IntegrityError:
        raise StaffError(f"an account named {name!r} exists already", "exists") from None
    return Member(name, role)


def disable(engine: Engine, name: str, now: datetime) -> bool:
    """Disable an account (its sessions end at their next request); False when it was disabled
    already. StaffError when there is no such account."""
    with db.write(engine) as conn:
        found = conn.execute(select(staff.c.disabled_at).where(staff.c.name == name)).first()
        if found is None:
            raise StaffError(f"no account named {name!r}", "unknown")
        if found.disabled_at is not None:
            return False
        conn.execute(staff.update().where(staff.c.name == name).values(disabled_at=now))
    return True


def all_members(engine: Engine) -> list[tuple[Member, bool]]:
    """Every account and whether it is active, by name."""
    with db.read(engine) as conn:
        rows = conn.execute(select(staff.c.name, staff.c.role, staff.c.disabled_at).order_by(staff.c.name))
        return [(Member(name, role), disabled is None) for name, role, disabled in rows]


def active_member(engine: Engine, name: str) -> Member | None:
    """The account of a signed-in session, unless it was disabled meanwhile."""
    with engine.connect() as conn:
        row = conn.execute(
            select(staff.c.name, staff.c.role).where(staff.c.name == name, staff.c.disabled_at.is_(None))
        ).first()
    return None if row is None else Member(row.name, row.role)


def sign_in(
    engine: Engine, name: str, password: str, *, address: str, now: datetime, limits: Limits
) -> tuple[SignInResult, Member | None]:
    """Check a sign-in. While the name or the address has `limits.attempts` failures within the
    window, the answer is `limited` without looking at the password (so guessing gains nothing)."""
    name = name[:NAME_LENGTH]
    address = address[:ADDRESS_LENGTH]
    since = now - limits.window
    with engine.connect() as conn:
        by_name, by_address = conn.execute(
            select(
                func.count().filter(sign_in_failures.c.name == name),
                func.count().filter(sign_in_failures.c.address == address),
            ).where(
                sign_in_failures.c.at > since,
                or_(sign_in_failures.c.name == name, sign_in_failures.c.address == address),
            )
        ).one()
        row = conn.execute(
            select(staff.c.name, staff.c.role, staff.c.password_hash).where(
                staff.c.name == name, staff.c.disabled_at.is_(None)
            )
        ).first()
    if by_name >= limits.attempts or by_address >= limits.attempts * ADDRESS_FACTOR:
        return "limited", None
    # A wrong name costs an Argon2 check too, so timing does not tell which names exist.
    matches = verify_password(row.password_hash if row else DECOY_HASH, password)
    if row is not None and matches:
        return "ok", Member(row.name, row.role)
    with db.write(engine) as conn:
        conn.execute(sign_in_failures.insert().values(name=name, address=address, at=now))
        conn.execute(delete(sign_in_failures).where(sign_in_failures.c.at <= since))
    return "wrong", None
