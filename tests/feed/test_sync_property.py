"""Property: whatever manifest or object bytes are served, sync_once returns (never raises), and the
store holds either the previous snapshot whole or — only when the input happened to be valid — the
published one whole. Never a partial state."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from feedserver import FeedServer, Rule
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.signing import VerifyKey
from sync_kit import Publisher, Snapshot, blob, raw_records, sample_records, snapshot_of

from feed.format.canonical import sha256_hex
from feed.format.layout import object_path
from feed.publish.writer import record_bytes
from feed.schema import Image, Item
from feed.store.objects import ObjectCache
from feed.sync import sync_once

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "hall-feed/1", "2026-01-01T00:00:00Z", "0" * 64, "item", "test-feed"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5),
    max_leaves=25,
)


def paths_in(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths_in(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths_in(inner, (*prefix, index))


@st.composite
def mutated(draw: st.DrawFn, original: Any) -> Any:
    """`original` with one to three places replaced by random JSON, deleted, or given a huge number."""
    data = json.loads(json.dumps(original))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in paths_in(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "delete", "huge", "negative", "stringify"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "huge":
            parent[path[-1]] = 10**400
        elif action == "negative":
            parent[path[-1]] = -1
        elif action == "stringify":
            parent[path[-1]] = str(parent[path[-1]])
        else:
            parent[path[-1]] = draw(json_values)
    return data


def to_bytes(value: Any) -> bytes:
    import sys

    sys.set_int_max_str_digits(0)  # let huge numbers reach the client as text
    return json.dumps(value, ensure_ascii=False).encode()


@dataclass
class Env:
    publisher: Publisher
    server: FeedServer
    cache: Path
    pubkey: VerifyKey
    held: Snapshot
    pristine: Path
    valid_manifest: Any = None

    def restore(self) -> None:
        """Put back the store holding snapshot A, before each example."""
        shutil.rmtree(self.cache)
        shutil.copytree(self.pristine, self.cache)
        self.server.clear()

    def sync(self) -> Any:
        return sync_once(self.server.url, self.cache, pubkey=self.pubkey, timeout=3.0)

    def held_objects(self) -> list[str]:
        objects = ObjectCache(self.pristine)
        try:
            return list(objects.names())
        finally:
            objects.close()

    def check_whole(self, published: dict[tuple[str, str], str] | None, result: Any) -> None:
        after = snapshot_of(self.cache)
        if result.outcome == "updated":
            assert published is not None and after.hashes == published
        else:
            assert after == self.held, result


@pytest.fixture
def env(request: pytest.FixtureRequest, held: Snapshot, cache: Path, tmp_path: Path) -> Env:
    pristine = tmp_path / "pristine"
    shutil.copytree(cache, pristine)
    fixture = request.getfixturevalue
    return Env(fixture("publisher"), fixture("server"), cache, fixture("pubkey"), held, pristine)


@SETTINGS
@given(data=st.data())
def test_malformed_manifests(data: st.DataObject, env: Env) -> None:
    env.restore()
    records, blobs = sample_records(tag="B")
    if env.publisher.sequence != 6:
        env.publisher.publish(records, blobs, sequence=6)
        env.valid_manifest = json.loads(env.publisher.manifest_bytes())
    valid = env.valid_manifest
    body = data.draw(
        st.one_of(
            st.binary(max_size=300),
            json_values.map(to_bytes),
            mutated(valid).map(to_bytes),
            mutated(valid["signed"]).map(
                lambda s: to_bytes({"signed": s, "signatures": valid["signatures"]})
            ),
        )
    )
    env.publisher.write_manifest(body)
    result = env.sync()
    assert result.outcome in ("failed", "unchanged", "updated")
    if result.outcome == "failed":
        assert result.reason
    env.check_whole({(r.kind, r.id): sha256_hex(record_bytes(r)) for r in records}, result)


@SETTINGS
@given(data=st.data())
def test_malformed_record_objects(data: st.DataObject, env: Env) -> None:
    env.restore()
    records, blobs = sample_records()  # snapshot A again, plus one new item whose bytes are drawn
    objects = raw_records(records)
    valid_item = json.loads(objects[2][2])
    body = data.draw(
        st.one_of(st.binary(max_size=300), json_values.map(to_bytes), mutated(valid_item).map(to_bytes))
    )
    objects.append(("item", "item-zzz", body))
    env.publisher.publish_raw(objects, blobs, sequence=6)
    result = env.sync()
    env.check_whole({(kind, rid): sha256_hex(raw) for kind, rid, raw in objects}, result)


@SETTINGS
@given(data=st.data())
def test_corrupted_objects_in_transit(data: st.DataObject, env: Env) -> None:
    env.restore()
    records, blobs = sample_records()
    item = records[3]
    assert isinstance(item, Item)
    records[3] = item.model_copy(update={"title": "更正：" + item.title})
    extra, ref = blob(99)
    blobs[ref.sha256] = extra
    records[4] = records[4].model_copy(update={"images": [Image(blob=ref)]})
    built = env.publisher.publish(records, blobs, sequence=6)
    new_objects = sorted(built.referenced - set(env.held_objects()))
    victim = data.draw(st.sampled_from(new_objects))
    original = (env.publisher.root / object_path(victim)).read_bytes()
    body = data.draw(st.one_of(st.binary(max_size=400), st.just(original[:-1]), st.just(original + b"\n")))
    env.server.add(Rule(object_path(victim), body=body))
    result = env.sync()
    assert result.outcome == "failed" and result.reason
    env.check_whole(None, result)
