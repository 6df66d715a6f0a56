"""docs/feed-protocol.md shows real bytes: rebuild its worked example and find every block in the doc.

If this fails after a change to the format or the schema, regenerate the blocks with
`.venv/bin/python tests/feed/test_protocol_doc.py` and paste them into the doc.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from nacl.signing import SigningKey

from feed.format.canonical import canonical_bytes, sha256_hex
from feed.format.layout import MANIFEST_NAME, object_path
from feed.format.manifest import Manifest, shard_of
from feed.format.signing import PUBLIC_PREFIX, SECRET_PREFIX, key_id, verify_manifest
from feed.publish.writer import record_bytes, write_feed
from feed.schema import Hall, Headline

DOC = Path(__file__).resolve().parents[2] / "docs" / "feed-protocol.md"
SEED = bytes(range(32))  # 00 01 02 … 1f: a published, worthless example key
ISSUED = datetime(2026, 1, 1, tzinfo=UTC)
EXPIRES = datetime(2026, 1, 31, tzinfo=UTC)
SEQUENCE = int(ISSUED.timestamp())


def worked_example() -> dict[str, str]:
    """Named text blocks, each of which must appear verbatim in the protocol document."""
    key = SigningKey(SEED)
    public = bytes(key.verify_key)
    hall = Hall(
        kind="hall",
        id="example-hall",
        name="青禾市政务服务中心",
        address="民和路88号",
        hours=["周一至周五 9:00—17:00"],
    )
    headline = Headline(kind="headline", id="hl-welcome", text="欢迎光临")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        built = write_feed(
            root,
            feed_id="example",
            records=[hall, headline],
            blobs={},
            sequence=SEQUENCE,
            issued=ISSUED,
            expires=EXPIRES,
            key=key,
        )
        manifest_text = (root / MANIFEST_NAME).read_text(encoding="utf-8")
        shards = {
            ref.kind: (root / object_path(ref.sha256)).read_bytes() for ref in built.manifest.signed.shards
        }
    raw = json.loads(manifest_text)
    verify_manifest(Manifest.model_validate_json(manifest_text, strict=True), raw["signed"], key.verify_key)
    message = canonical_bytes(raw["signed"])
    blocks: dict[str, str] = {
        "keys": "\n".join(
            [
                SECRET_PREFIX + base64.b64encode(SEED).decode(),
                PUBLIC_PREFIX + base64.b64encode(public).decode(),
                f"key id: {key_id(public)}",
            ]
        ),
        "manifest": manifest_text.rstrip("\n"),
        "message": message.decode("utf-8"),
        "message-hash": f"{len(message)} bytes, SHA-256 {sha256_hex(message)}",
        "signature": f"{built.manifest.signatures[0].sig}",
    }
    for kind, record in (("hall", hall), ("headline", headline)):
        data = record_bytes(record)
        blocks[f"{kind}-record"] = (
            f"{object_path(sha256_hex(data))}  ({len(data)} bytes)\n{data.decode('utf-8')}"
        )
        shard = shards[kind]
        blocks[f"{kind}-shard"] = (
            f"{object_path(sha256_hex(shard))}  ({len(shard)} bytes)\n{shard.decode('utf-8')}"
        )
    lines = []
    for record_id in ("item-001", "item-002", "不动产登记"):
        digest = hashlib.sha256(record_id.encode("utf-8")).hexdigest()
        lines.append(
            f"shard_of({record_id!r}, 4): SHA-256 starts {digest[:8]}, "
            f"0x{digest[:8]} = {int(digest[:8], 16)}, mod 4 = {shard_of(record_id, 4)}"
        )
    blocks["shard-of"] = "\n".join(lines)
    return blocks


def test_every_worked_example_block_is_in_the_protocol_doc() -> None:
    doc = DOC.read_text(encoding="utf-8")
    missing = [name for name, text in worked_example().items() if text not in doc]
    assert missing == [], f"blocks not in {DOC.name} (regenerate with: python {__file__})"


if __name__ == "__main__":
    for name, text in worked_example().items():
        sys.stdout.write(f"---- {name}\n{text}\n")
