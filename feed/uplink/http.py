"""POSTing JSON to the centre with a bound on time and on the answer's size.

The centre is the bureau's own server, but the network between may be anything: the whole exchange
(connect, send, headers, answer) has one deadline (`feed.net.deadline`), and the answer is read raw (no
content coding is asked for) and only up to `max_bytes`.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from feed.net.backoff import parse_retry_after
from feed.net.deadline import bounded_client, deadline


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    retry_after: float | None

    def detail(self) -> str:
        """The centre's `detail` reason, else the start of the body, on one line."""
        import json

        try:
            data = json.loads(self.body)
            text = data.get("detail") if isinstance(data, dict) else None
            if text is not None and not isinstance(text, str):
                text = json.dumps(text, ensure_ascii=False)
        except ValueError:
            text = None
        text = text or self.body[:200].decode("utf-8", "replace")
        return " ".join(text.split())[:300]


class AnswerTooLargeError(Exception):
    pass


def centre_client(url: str, timeout: float) -> httpx.Client:
    """The client a device talks to its centre with (the environment's proxies apply)."""
    return bounded_client(httpx.URL(url).host, max_connections=2, timeout=timeout)


def post_json(
    client: httpx.Client, url: str, body: bytes, *, token: str, timeout: float, max_bytes: int
) -> Answer:
    """POST `body` and read the answer, all within `timeout` seconds; raises httpx.HTTPError when the
    exchange fails or takes longer, AnswerTooLargeError past `max_bytes`. `client` must come from
    `centre_client` (its transport enforces the deadline)."""
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    with deadline(timeout), client.stream("POST", url, content=body, headers=headers) as response:
        received = bytearray()
        for chunk in response.iter_raw():
            received += chunk
            if len(received) > max_bytes:
                raise AnswerTooLargeError(f"the answer is larger than {max_bytes} bytes")
        return Answer(
            status=response.status_code,
            body=bytes(received),
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )
