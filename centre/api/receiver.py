"""The device endpoints: submissions, heartbeats, health."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from centre.api.deps import DeviceDep, EngineDep, NowDep, same_device
from centre.db import heartbeats, records
from centre.db.records import ForeignRecordError
from feed import MAX_RECORD_BYTES, Heartbeat, HeartbeatAck, SubmissionAck, SubmissionBatch, payload_bytes

log = logging.getLogger(__name__)

router = APIRouter(prefix="/v1")

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing, unknown or revoked device token; nothing was stored."},
    403: {"description": "The token belongs to another device id; nothing was stored."},
    413: {"description": "The body or one record is over the size limit; nothing was stored."},
    422: {"description": "The body is not valid JSON of this shape; the reason says where."},
}


@router.post(
    "/submissions",
    summary="Deliver outbox records (idempotent by record id)",
    responses={
        **ERRORS,
        409: {"description": "A record id is already held for another device; nothing was stored."},
    },
)
def submit(batch: SubmissionBatch, device: DeviceDep, db: EngineDep, now: NowDep) -> SubmissionAck:
    """Store a batch of outbox records. The answer lists every id of the batch the centre now holds
    (new or known before); the device marks exactly those as sent. Either the whole batch is held
    afterwards, or (on any error) nothing new from it is."""
    same_device(batch.device_ids(), device)
    for record in batch.records:
        size = payload_bytes(record.payload.model_dump(mode="json"))
        if size > MAX_RECORD_BYTES:
            raise HTTPException(
                413,
                f"record {record.id}: payload of {size} bytes is over {MAX_RECORD_BYTES}: nothing was stored",
            )
    try:
        stored = records.store_batch(db, device, batch.records, now)
    except ForeignRecordError as exc:
        raise HTTPException(409, str(exc)) from exc
    log.info("device %s: %d record(s), %d new", device.id, len(batch.records), stored.new)
    return SubmissionAck(held=stored.held, stored=stored.new)


@router.post("/heartbeats", summary="Report how a device is doing", responses=ERRORS)
def heartbeat(beat: Heartbeat, device: DeviceDep, db: EngineDep, now: NowDep) -> HeartbeatAck:
    """Record a device's state: feed, outbox, disk, uptime and (LED) the headline on screen."""
    same_device({beat.device_id}, device)
    if beat.role != device.role:
        raise HTTPException(403, f"device {device.id!r} is registered as a {device.role}, not a {beat.role}")
    heartbeats.record(db, beat, now)
    return HeartbeatAck(received_at=now)


@router.get(
    "/health",
    summary="Liveness and database check for a load balancer",
    responses={503: {"description": "The database does not answer."}},
)
def health(db: EngineDep) -> dict[str, str]:  # a thread: the probe waits on the database
    try:
        with db.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        log.warning("health check: database unavailable: %s", exc)
        raise HTTPException(503, "database unavailable") from exc
    return {"status": "ok"}
