"""The desk as staff use it, over real HTTP: accounts, signing in, forms with their CSRF token, and
citizens' records delivered through the receiver like a kiosk would."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import Engine

from centre.api.app import create_app
from centre.config import load_centre_config
from centre.db import staff
from centre.db.schema import heartbeats
from tests.centre.centre_kit import CentreProcess, free_port, hall_centre
from tests.centre.test_centre_receiver import batch, record

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def add_member(engine: Engine, name: str, role: str) -> None:
    staff.add(engine, name, role, PASSWORD, datetime.now().astimezone())


def form_key(config: Path, device_id: str) -> str:
    """A new phone-form key for the device, issued by `hall-centre devices form-key` as staff would."""
    issued = hall_centre("devices", "form-key", device_id, "--config", str(config))
    assert issued.returncode == 0, issued.stderr
    return issued.stdout.splitlines()[-1]


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
def desk_client(centre: CentreProcess | ServedCentre, name: str | None = None) -> Iterator[httpx.Client]:
    """A browser-like client (cookies kept, redirects not followed), signed in as `name` if given."""
    with httpx.Client(base_url=centre.url, timeout=20) as client:
        if name is not None:
            answer = sign_in(client, name)
            assert answer.status_code == 303, answer.text
        yield client


def deliver(
    centre: CentreProcess | ServedCentre, token: str, device_id: str, *records: dict[str, Any]
) -> None:
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


def heartbeat_history(engine: Engine, device_id: str, now: datetime, hours: int = 48) -> int:
    """A device's hourly heartbeats over the last `hours`, straight into the history table: a sync
    error every sixth hour, the outbox filling up, the disk emptying, and a silent six hours.
    Returns how many sync errors it holds."""
    rows = []
    for back in range(hours, 0, -1):
        if 20 <= back < 26:
            continue  # the device was off
        rows.append(
            {
                "device_id": device_id,
                "received_at": now - timedelta(hours=back, minutes=-5),
                "sequence": 42,
                "stale": False,
                "last_error": "连接超时" if back % 6 == 0 else None,
                "outbox_depth": hours - back,
                "oldest_unsent_seconds": None,
                "free_disk_bytes": (20 + back) * 1024**3,
            }
        )
    with engine.begin() as conn:
        conn.execute(heartbeats.insert(), rows)
    return sum(row["last_error"] is not None for row in rows)


@dataclass
class ServedCentre:
    """The centre's app served by uvicorn on a loopback port in a thread of the test process (so
    coverage sees the desk's code), started and stopped by the test: real HTTP, real cookies."""

    config: Path
    port: int = field(default_factory=free_port)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, timeout: float = 30.0) -> None:
        settings = load_centre_config(self.config).centre
        app = create_app(settings)
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, name="centre", daemon=True)
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the centre did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=15)
            app_engine: Engine = self.server.config.app.state.engine
            app_engine.dispose()
        self.server = self.thread = None
