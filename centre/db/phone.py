"""The phone forms in the database: each device's form key, and a citizen's record from a form link
(with an applicant's identity for a 依申请公开), stored together with the link's nonce so the link is
taken once."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError

from centre.db import engine as db
from centre.db.devices import DeviceError
from centre.db.schema import applicants, devices, form_links_used, submissions
from centre.rules.disclosure import Applicant
from centre.rules.work import queue_for
from feed import FormTicket, new_form_key

REFERENCE_PREFIX = "SJ"  # 手机: what the citizen is shown, like the kiosk's QH-… numbers


@dataclass(frozen=True)
class FormDevice:
    hall: str
    form_key: str | None


def issue_form_key(engine: Engine, device_id: str) -> str:
    """A new form key for the device (the old one stops signing valid links)."""
    key = new_form_key()
    with db.write(engine) as conn:
        done = conn.execute(update(devices).where(devices.c.id == device_id).values(form_key=key)).rowcount
    if not done:
        raise DeviceError(f"no device {device_id!r}", "unknown")
    return key


def form_device(engine: Engine, device_id: str) -> FormDevice | None:
    """The active device's hall and form key; None for an unknown or revoked device."""
    with engine.connect() as conn:
        row = conn.execute(
            select(devices.c.hall, devices.c.form_key).where(
                devices.c.id == device_id, devices.c.revoked_at.is_(None)
            )
        ).first()
    return None if row is None else FormDevice(row.hall, row.form_key)


def used(engine: Engine, nonce: str) -> bool:
    with engine.connect() as conn:
        return (
            conn.execute(select(form_links_used.c.nonce).where(form_links_used.c.nonce == nonce)).first()
            is not None
        )


def store_form(
    engine: Engine,
    ticket: FormTicket,
    hall: str,
    *,
    text: str,
    phone: str | None,
    now: datetime,
    zone: tzinfo,
    applicant: Applicant | None = None,
) -> str | None:
    """Store what the citizen wrote (and who applies, for a 依申请公开); returns the reference shown to
    them, or None when the link was used meanwhile (nothing stored). The reference carries the
    bureau's local date (`zone`)."""
    reference = f"{REFERENCE_PREFIX}-{now.astimezone(zone):%Y%m%d}-{secrets.randbelow(10**9):09d}"
    record_id = uuid.uuid4()
    payload = {"channel": "phone", "text": text, "subject": ticket.subject}
    try:
        with db.write(engine) as conn:
            conn.execute(
                form_links_used.insert().values(
                    nonce=ticket.nonce,
                    device_id=ticket.device_id,
                    expires_at=datetime.fromtimestamp(ticket.expires, UTC),
                    used_at=now,
                )
            )
            conn.execute(
                submissions.insert().values(
                    id=record_id,
                    device_id=ticket.device_id,
                    hall=hall,
                    kind=ticket.kind,
                    reference=reference,
                    created_at=now,
                    received_at=now,
                    phone=phone,
                    payload=payload,
                    queue=queue_for(ticket.kind, None),
                )
            )
            if applicant is not None:
                conn.execute(
                    applicants.insert().values(
                        submission_id=record_id,
                        kind=applicant.kind,
                        name=applicant.name,
                        id_kind=applicant.id_kind,
                        id_number=applicant.id_number,
                        email=applicant.email,
                        address=applicant.address,
                        delivery=applicant.delivery,
                    )
                )
            conn.execute(delete(form_links_used).where(form_links_used.c.expires_at < now))
    except IntegrityError:
        return None
    return reference
