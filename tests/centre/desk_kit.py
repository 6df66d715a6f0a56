"""The desk as staff use it, over real HTTP: accounts, signing in, forms with their CSRF token, and
citizens' records delivered through the receiver like a kiosk would."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import Engine

from centre.db import staff
from tests.centre.centre_kit import CentreProcess
from tests.centre.test_centre_receiver import batch, record

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_member(engine: Engine, name: str, role: str) -> None:
    staff.add(engine, name, role, PASSWORD, datetime.now().astimezone())


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {page.url}"
    return found.group(1)


def sign_in(client: httpx.Client, name: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/desk/sign-in")
    return client.post(
        "/desk/sign-in", data={"csrf": csrf_of(form), "name": name, "password": password, "next": "/desk/"}
    )


@contextmanager
def desk_client(centre: CentreProcess, name: str | None = None) -> Iterator[httpx.Client]:
    """A browser-like client (cookies kept, redirects not followed), signed in as `name` if given."""
    with httpx.Client(base_url=centre.url, timeout=20) as client:
        if name is not None:
            answer = sign_in(client, name)
            assert answer.status_code == 303, answer.text
        yield client


def deliver(centre: CentreProcess, token: str, device_id: str, *records: dict[str, Any]) -> None:
    answer = httpx.post(
        centre.url + "v1/submissions",
        json=batch(device_id, *records),
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    assert answer.status_code == 200, answer.text


def citizen_record(
    device_id: str, kind: str, created: datetime, reference: str, **payload: Any
) -> dict[str, Any]:
    made = record(device_id, kind, **payload)
    made.update(created=created.isoformat(), reference=reference)
    return made
