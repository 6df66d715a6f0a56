"""Refusing request bodies over a size limit before they are buffered: 413 with a reason.

FastAPI reads a whole body before validating it, so the bound has to sit in front of it. This ASGI
middleware answers 413 at once when Content-Length is over the limit for the path, and otherwise
counts the bytes as they arrive (a chunked body has no length), answering 413 as soon as they pass
the limit, without reading the rest.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, limits: Mapping[str, int], default: int) -> None:
        """`limits` maps a path to its byte limit; other paths get `default`."""
        self.app = app
        self.limits = dict(limits)
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse(send, limit)
            return
        # Read the body here, bounded (the framework would turn an error while reading into a 400),
        # then hand it on in one piece.
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await _refuse(send, limit)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay([{"type": "http.request", "body": bytes(body)}], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    async def receive() -> Message:
        if messages:
            return messages.pop(0)
        if then is not None:
            return await then()  # e.g. http.disconnect while the app streams its answer
        return {"type": "http.disconnect"}

    return receive


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send: Send, limit: int) -> None:
    body = json.dumps({"detail": f"request body is larger than {limit} bytes"}).encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
