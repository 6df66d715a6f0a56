"""Draining a device's outbox to the centre, exactly once per record.

`Sender.deliver()` takes the oldest unsent rows of this device, POSTs them as one batch to
`/v1/submissions` and marks sent exactly the ids the centre's answer lists as held. If the process
dies after the centre stored a batch but before the rows were marked, the next delivery sends them
again and the centre, which stores by id, answers that it holds them: nothing is lost, nothing is
counted twice.

A batch the centre refuses as malformed or too large (400/409/413/422) is halved until the one
record at fault is found; that record is set aside in the outbox (kept and counted, never sent
again), so it cannot block everything behind it. Anything else — the network, 5xx, 429, a refused
token — ends the round with an error and a Retry-After, if the centre gave one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from pydantic import ValidationError

from feed.config import CentreLinkConfig
from feed.errors import FeedError
from feed.outbox import Outbox, Pending
from feed.uplink.http import AnswerTooLargeError, centre_client, post_json
from feed.uplink.token import read_token
from feed.uplink.wire import MAX_BATCH_BYTES, DeviceRole, SubmissionAck

log = logging.getLogger(__name__)

SUBMISSIONS_PATH = "v1/submissions"
MAX_ANSWER_BYTES = 256 * 1024
# JSON around the records of a batch, and the comma between two.
BATCH_OVERHEAD_BYTES = 256
REFUSED_RECORD = frozenset({400, 409, 413, 422})


@dataclass(frozen=True)
class Delivery:
    """How one round went: rows marked sent, rows set aside, and why it stopped early."""

    sent: int = 0
    rejected: int = 0
    error: str | None = None
    retry_after: float | None = None
    more: bool = False  # stopped at `max_batches` with rows left

    @property
    def ok(self) -> bool:
        return self.error is None


def record_json(row: Pending, device_id: str) -> dict[str, Any]:
    """One outbox row as the wire's record (rows from before rows had an owner get this device)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "reference": row.reference,
        "created": row.created.isoformat(),
        "device_id": device_id,
        "payload": row.payload,
    }


class Sender:
    def __init__(
        self,
        outbox: Outbox,
        link: CentreLinkConfig,
        *,
        device_id: str,
        role: DeviceRole,
        client: httpx.Client | None = None,
    ) -> None:
        self.outbox = outbox
        self.link = link
        self.device_id = device_id
        self.role = role
        self.url = link.url + SUBMISSIONS_PATH
        self._client = client or centre_client(link.url, link.timeout_seconds)
        self._own_client = client is None

    def close(self) -> None:
        if self._own_client:
            self._client.close()

    def deliver(self, max_batches: int | None = None) -> Delivery:
        """Send batches until nothing of this device is left, a batch fails, or `max_batches`."""
        try:
            token = read_token(self.link.token_file)
        except FeedError as exc:
            return self._finish(Delivery(error=str(exc)))
        sent = rejected = batches = 0
        limit = self.link.batch_records
        while max_batches is None or batches < max_batches:
            rows = self._batch(limit)
            if not rows:
                return self._finish(Delivery(sent=sent, rejected=rejected))
            batches += 1
            outcome = self._post(rows, token)
            if isinstance(outcome, set):
                sent += self.outbox.mark_sent(outcome)
                if len(outcome) < len(rows):
                    missing = len(rows) - len(outcome)
                    error = f"the centre did not acknowledge {missing} of {len(rows)} records"
                    return self._finish(Delivery(sent=sent, rejected=rejected, error=error))
                continue
            status, reason, retry_after = outcome
            if status in REFUSED_RECORD:
                if len(rows) > 1:
                    limit = max(1, len(rows) // 2)  # find the record at fault
                    continue
                self.outbox.mark_rejected(rows[0].id, f"{status}: {reason}")
                log.warning(
                    "record %s refused by the centre for good (%s): %s", rows[0].reference, status, reason
                )
                rejected += 1
                limit = self.link.batch_records
                continue
            return self._finish(Delivery(sent=sent, rejected=rejected, error=reason, retry_after=retry_after))
        return self._finish(Delivery(sent=sent, rejected=rejected, more=True))

    def _batch(self, limit: int) -> list[Pending]:
        rows = self.outbox.outgoing(self.device_id, claim_unowned=self.role == "kiosk", limit=limit)
        size = BATCH_OVERHEAD_BYTES
        for count, row in enumerate(rows):
            size += len(json.dumps(record_json(row, self.device_id), ensure_ascii=False).encode()) + 1
            if size > MAX_BATCH_BYTES and count > 0:
                return rows[:count]
        return rows

    def _post(self, rows: list[Pending], token: str) -> set[str] | tuple[int, str, float | None]:
        """The ids the centre holds now, or (status, reason, retry_after) when it did not take them."""
        body = json.dumps(
            {"device_id": self.device_id, "records": [record_json(r, self.device_id) for r in rows]},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode()
        try:
            answer = post_json(
                self._client,
                self.url,
                body,
                token=token,
                timeout=self.link.timeout_seconds,
                max_bytes=MAX_ANSWER_BYTES,
            )
        except httpx.TimeoutException as exc:
            return (
                0,
                f"the centre did not answer within {self.link.timeout_seconds:g} s ({type(exc).__name__})",
                None,
            )
        except httpx.HTTPError as exc:
            return 0, f"cannot reach the centre at {self.link.url}: {exc or type(exc).__name__}", None
        except AnswerTooLargeError as exc:
            return 0, f"the centre's answer was refused: {exc}", None
        if answer.status == 200:
            try:
                ack = SubmissionAck.model_validate_json(answer.body)
            except ValidationError:
                return 0, "the centre's answer is not an acknowledgement (a proxy in between?)", None
            asked = {row.id for row in rows}
            return {str(held) for held in ack.held} & asked
        return answer.status, _explain(answer.status, answer.detail()), answer.retry_after

    def _finish(self, delivery: Delivery) -> Delivery:
        try:
            self.outbox.note_delivery(self.device_id, error=delivery.error)
        except FeedError as exc:  # a full disk must not hide the delivery's own outcome
            log.warning("cannot record the delivery state: %s", exc)
        return delivery


def _explain(status: int, detail: str) -> str:
    if status == 401:
        return f"the centre refused this device's token (401: {detail}); check [centre] token_file"
    if status == 403:
        return f"the centre refused this device (403: {detail}); check [device] id and the token"
    if status in (429, 503):
        return f"the centre asks to come back later ({status}: {detail})"
    return f"the centre answered {status}: {detail}"
