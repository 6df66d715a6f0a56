"""Property: whatever manifest or object bytes are served, sync_once returns (never raises), and the
store holds either the previous snapshot whole or — only when the input happened to be valid — the
published one whole. Never a partial state. And a value of another JSON type, out of its bounds or
a date out of range, anywhere in the signed manifest or a record, is always refused, in the words
`hall-feed verify` uses."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.signing import VerifyKey

from feed.format.canonical import sha256_hex
from feed.format.layout import object_path
from feed.publish.verify import verify_feed
from feed.publish.writer import record_bytes
from feed.schema import Image, Item
from feed.store.objects import ObjectCache
from feed.sync import SyncSettings, sync_once
from tests.feed.feedserver import FeedServer, Rule
from tests.feed.sync_kit import (
    Publisher,
    Snapshot,
    blob,
    raw_records,
    sample_records,
    signed_manifest_bytes,
    snapshot_of,
)

pytestmark = pytest.mark.slow  # hundreds of generated cases against a real server

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
        return sync_once(SyncSettings(self.server.url, self.cache, pubkey=self.pubkey, timeout=3.0))

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


DATE_LIKE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _typed(value: Any) -> bool:
    return isinstance(value, bool | int | float) or (isinstance(value, str) and bool(DATE_LIKE.match(value)))


def _retype(draw: st.DrawFn, old: Any) -> Any:
    """Another JSON type for `old`, or a value outside every bound the protocol sets for its kind."""
    if isinstance(old, bool):
        return draw(st.sampled_from([0, 1, "true", str(old).lower(), [old]]))
    if isinstance(old, int):
        return draw(st.sampled_from([str(old), float(old), -1, 2**53, 10**20, [old]]))
    if isinstance(old, float):
        return draw(st.sampled_from([str(old), -1.0, 1e300]))
    day = old[:10]
    return draw(
        st.sampled_from(
            ["9999" + old[4:], "1899" + old[4:], f"{day}T00:00:00", day.replace("-", ""), 1767225600]
        )
    )


@st.composite
def retyped(draw: st.DrawFn, original: Any) -> Any:
    """`original` with one number, boolean or date replaced by something no client may accept."""
    data = json.loads(json.dumps(original))
    leaves = [p for p in paths_in(data) if p and _typed(_at(data, p))]
    path = draw(st.sampled_from(leaves))
    parent = _at(data, path[:-1])
    parent[path[-1]] = _retype(draw, parent[path[-1]])
    return data


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def _refused_by_both(env: Env, result: Any) -> None:
    assert result.outcome == "failed", result
    reason = str(result.reason)
    assert "\n" not in reason and not re.search(r"\b[A-Z][A-Za-z]*Error\b", reason), reason
    assert reason in verify_feed(env.publisher.root, env.pubkey).problems
    env.check_whole(None, result)


@SETTINGS
@given(data=st.data())
def test_a_manifest_value_of_another_type_or_out_of_bounds_is_refused(data: st.DataObject, env: Env) -> None:
    env.restore()
    records, blobs = sample_records(tag="B")
    signed = env.publisher.publish_raw(raw_records(records), blobs, sequence=6)
    env.publisher.write_manifest(signed_manifest_bytes(data.draw(retyped(signed)), env.publisher.key))
    _refused_by_both(env, env.sync())


@SETTINGS
@given(data=st.data())
def test_a_record_value_of_another_type_or_out_of_bounds_is_refused(data: st.DataObject, env: Env) -> None:
    env.restore()
    records, blobs = sample_records(tag="B")
    objects = raw_records(records)
    typed = [
        i
        for i, (_, _, raw) in enumerate(objects)
        if any(p and _typed(_at(json.loads(raw), p)) for p in paths_in(json.loads(raw)))
    ]
    index = data.draw(st.sampled_from(typed))
    kind, record_id, raw = objects[index]
    changed = data.draw(retyped(json.loads(raw)))
    objects[index] = (kind, record_id, json.dumps(changed, ensure_ascii=False).encode())
    env.publisher.publish_raw(objects, blobs, sequence=6)
    _refused_by_both(env, env.sync())
