"""A careless publisher cannot brick the fleet: every number and date of the manifest, the shards and
the records is bounded at build, at verify and at sync, with a one-line reason; and a fleet recovers
from a sequence pushed too far (docs/feed-protocol.md, section 10)."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nacl.signing import SigningKey, VerifyKey

from feed.dev.schema_export import exported_models, schema_of
from feed.format.layout import MANIFEST_NAME
from feed.store import STORE_NAME
from tests.feed.authoring_kit import edit, problems_of, write_tiny_source
from tests.feed.publish_cli import hall_feed
from tests.feed.sync_kit import (
    FEED_ID,
    HeldFeed,
    Publisher,
    Snapshot,
    assert_intact,
    raw_records,
    sample_records,
    snapshot_of,
)

MAX_SEQUENCE = 2**53 - 1  # the largest integer every JSON implementation reads exactly


@dataclass
class Cli:
    """`hall-feed build SRC OUT --key K …` and `hall-feed verify OUT --pubkey P` on the tiny source."""

    capsys: pytest.CaptureFixture[str]
    src: Path
    out: Path
    keys: tuple[Path, Path]

    def build(self, *extra: str) -> tuple[int, str, str]:
        return hall_feed(
            self.capsys, "build", str(self.src), str(self.out), "--key", str(self.keys[0]), *extra
        )

    def verify(self) -> int:
        return hall_feed(self.capsys, "verify", str(self.out), "--pubkey", str(self.keys[1]))[0]

    def publish_over(self, sequence: int) -> None:
        """Build once, then leave the published manifest with `sequence`, as another tool did."""
        assert self.build()[0] == 0
        manifest = json.loads((self.out / MANIFEST_NAME).read_bytes())
        manifest["signed"]["sequence"] = sequence
        (self.out / MANIFEST_NAME).write_text(json.dumps(manifest))


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], keys: tuple[Path, Path]) -> Cli:
    return Cli(capsys, write_tiny_source(tmp_path / "src"), tmp_path / "out", keys)


# ------------------------------------------------------------------------------------ the sequence


def test_build_refuses_a_sequence_above_the_ceiling(cli: Cli) -> None:
    code, stdout, stderr = cli.build("--sequence", "9007199254740992")
    assert (code, stdout) == (2, "")  # a usage error: the bound is the model's (2^53 - 1)
    assert "argument --sequence: '9007199254740992' must be between 1 and 9007199254740991" in stderr
    assert not (cli.out / MANIFEST_NAME).exists()


def test_build_refuses_a_sequence_far_ahead_of_the_clock(cli: Cli) -> None:
    """A digit typed twice would make every later publication, on every device, stay above it."""
    typo = str(int(time.time()) * 10)
    code, _, stderr = cli.build("--sequence", typo)
    assert code == 1 and f"sequence {typo} is more than a year ahead of " in stderr
    assert stderr.count("\n") == 1 and not (cli.out / MANIFEST_NAME).exists()
    assert cli.build("--sequence", str(int(time.time()) + 3600))[0] == 0


def test_sync_and_verify_refuse_a_manifest_sequence_above_the_ceiling(held_feed: HeldFeed) -> None:
    records, blobs = sample_records(tag="B")
    held_feed.publisher.publish_raw(raw_records(records), blobs, sequence=9007199254740992)
    held_feed.refused("signed.sequence: Input should be less than or equal to 9007199254740991")


def test_sync_refuses_one_publication_raising_the_sequence_too_far(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot
) -> None:
    records, blobs = sample_records(tag="B")
    publisher.publish_raw(raw_records(records), blobs, sequence=held.sequence + 2**43 + 1)
    result = sync()
    assert result.outcome == "failed" and result.reason is not None
    assert f"is more than 2^43 above the {held.sequence} held" in result.reason
    assert_intact(cache, held)
    publisher.publish_raw(raw_records(records), blobs, sequence=held.sequence + 2**43)
    assert sync().outcome == "updated"


def set_held_sequence(cache: Path, sequence: int, manifest: bytes) -> None:
    """Leave the store as an older client left it after it accepted `manifest` (`sequence`)."""
    with sqlite3.connect(cache / STORE_NAME) as conn:
        conn.executemany(
            "UPDATE meta SET value = ? WHERE key = ?", [(sequence, "sequence"), (manifest, "manifest")]
        )
    conn.close()


def test_a_device_holding_a_sequence_above_the_ceiling_follows_the_next_normal_one(
    publisher: Publisher, sync: Any, cache: Path, held: Snapshot
) -> None:
    """Older clients accepted 2^53: nothing above it is publishable, so a held sequence above the
    ceiling binds nothing and the feed starts again from a normal sequence."""
    records, blobs = sample_records(tag="B")
    publisher.publish_raw(raw_records(records), blobs, sequence=2**53)
    set_held_sequence(cache, 2**53, publisher.manifest_bytes())
    publisher.publish(records, blobs, sequence=int(time.time()))
    result = sync()
    assert result.outcome == "updated", result
    assert snapshot_of(cache).sequence == publisher.sequence


def test_a_key_rotation_lets_a_fleet_leave_a_sequence_pushed_to_the_ceiling(
    publisher: Publisher, sync: Any, cache: Path
) -> None:
    """A careless CMS published the highest sequence, and a new device took it (one that held a
    normal sequence would refuse so high a step); no later one can be higher. The bureau makes a new
    key and devices are given its public half: they accept a normal sequence signed by it."""
    records, blobs = sample_records(tag="B")
    publisher.publish_raw(raw_records(records), blobs, sequence=MAX_SEQUENCE)
    assert sync().outcome == "updated"
    stuck = snapshot_of(cache)

    new_key = SigningKey(b"n" * 32)
    records, blobs = sample_records(tag="C")
    normal = int(time.time())
    publisher.publish_raw(raw_records(records), blobs, sequence=normal, key=new_key)
    old_config = sync()
    assert old_config.outcome == "failed" and "not signed by the configured key" in str(old_config.reason)
    assert_intact(cache, stuck)
    rotated = sync(pubkey=new_key.verify_key)
    assert rotated.outcome == "updated" and rotated.sequence == normal, rotated

    # The new key's sequences bind from now on: a lower one signed by it is a rollback again.
    publisher.publish_raw(raw_records(records), blobs, sequence=normal - 1, key=new_key)
    again = sync(pubkey=new_key.verify_key)
    assert again.outcome == "failed" and f"lower than {normal} held" in str(again.reason)


def test_build_continues_a_feed_pushed_above_the_ceiling_by_an_older_builder(cli: Cli) -> None:
    cli.publish_over(2**53)  # what `--sequence 9007199254740992` used to publish
    code, _, stderr = cli.build()
    assert (code, stderr) == (0, ""), stderr
    sequence = json.loads((cli.out / MANIFEST_NAME).read_bytes())["signed"]["sequence"]
    assert time.time() - 60 < sequence <= time.time()
    assert cli.verify() == 0


def test_build_at_the_ceiling_says_to_rotate_the_key(cli: Cli) -> None:
    cli.publish_over(MAX_SEQUENCE)
    code, _, stderr = cli.build()
    assert code == 1 and stderr.count("\n") == 1
    assert f"the published sequence {MAX_SEQUENCE} leaves no higher one" in stderr
    assert "rotate the signing key" in stderr


# ------------------------------------------------------------------------------------ dates


def test_build_refuses_an_expiry_beyond_ten_years(cli: Cli) -> None:
    """9999-12-31 is about 2,900,000 days away: a usage error, not an overflow."""
    code, stdout, stderr = cli.build("--expires-days", "2914000")
    assert (code, stdout) == (2, "")
    assert "argument --expires-days: '2914000' must be between 1 and 3650" in stderr
    assert not (cli.out / MANIFEST_NAME).exists()
    (cli.src / "feed.yaml").write_text("feed_id: tiny-feed\nexpires_days: 2914000\n", encoding="utf-8")
    code, _, stderr = cli.build()
    assert code == 1 and "feed.yaml:2: expires_days: Input should be less than or equal to 3650" in stderr


def test_sync_and_verify_refuse_a_manifest_expiring_in_9999(held_feed: HeldFeed) -> None:
    """Accepted, it made the kiosk exit when staff opened the admin screen (the expiry, moved into
    the hall's time zone, overflows)."""
    records, blobs = sample_records(tag="B")
    held_feed.publisher.publish_raw(
        raw_records(records), blobs, sequence=6, signed={"expires": "9999-12-31T23:59:59Z"}
    )
    held_feed.refused("signed.expires: year 9999 is outside 1900–2199")


def test_sync_and_verify_refuse_a_manifest_living_longer_than_ten_years(held_feed: HeldFeed) -> None:
    records, blobs = sample_records(tag="B")
    held_feed.publisher.publish_raw(
        raw_records(records),
        blobs,
        sequence=6,
        signed={"issued": "2026-01-01T00:00:00Z", "expires": "2036-01-01T00:00:00Z"},
    )
    held_feed.refused("signed: expires must be after issued, by at most 3650 days")


RECORD_DATES = [
    ("item", "valid_until", "9999-12-31", "valid_until: year 9999 is outside 1900–2199"),
    ("item", "published", "0001-01-01", "published: year 1 is outside 1900–2199"),
    ("guide", "updated", "2200-01-01", "updated: year 2200 is outside 1900–2199"),
    ("headline", "valid_until", "9999-12-31T23:59:59+08:00", "valid_until: year 9999 is outside 1900–2199"),
]


@pytest.mark.parametrize(("kind", "field", "value", "reason"), RECORD_DATES)
def test_sync_and_verify_refuse_record_dates_outside_the_years(
    held_feed: HeldFeed, kind: str, field: str, value: str, reason: str
) -> None:
    held_feed.refuses_record_member(kind, field, value, reason)


def test_build_refuses_record_dates_outside_the_years(tmp_path: Path) -> None:
    src = write_tiny_source(tmp_path / "src")
    edit(
        src / "items" / "notices.yaml",
        "  published: 2026-01-05\n",
        "  published: 2026-01-05\n  valid_until: 9999-12-31\n",
    )
    assert problems_of(src) == [
        f"{src / 'items' / 'notices.yaml'}:17: item 'item-b': valid_until: year 9999 is outside 1900–2199"
    ]


# ------------------------------------------------------------------------------------ the class


def _leaves(schema: Any, defs: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every number and every string of a JSON Schema, with where it is."""
    if not isinstance(schema, dict):
        return
    if "$ref" in schema:
        yield from _leaves(defs[schema["$ref"].rsplit("/", 1)[-1]], defs, path)
    for option in schema.get("anyOf", []):
        yield from _leaves(option, defs, path)
    if schema.get("type") in ("integer", "number", "string"):
        yield path, schema
    for name, inner in schema.get("properties", {}).items():
        yield from _leaves(inner, defs, f"{path}.{name}")
    if "items" in schema:
        yield from _leaves(schema["items"], defs, f"{path}[]")


@pytest.mark.parametrize("stem", sorted(exported_models()))
def test_every_number_and_date_in_the_schemas_is_bounded(stem: str) -> None:
    """One source for build, verify and sync: the models, whose exported schemas show every bound."""
    schema = schema_of(exported_models()[stem])
    for path, leaf in _leaves(schema, schema.get("$defs", {})):
        if leaf["type"] in ("integer", "number"):
            assert "minimum" in leaf or "exclusiveMinimum" in leaf, f"{stem}{path} has no lower bound"
            assert "maximum" in leaf or "exclusiveMaximum" in leaf, f"{stem}{path} has no upper bound"
        elif leaf.get("format") in ("date", "date-time"):
            assert leaf.get("pattern") == "^(19|20|21)[0-9]{2}-", f"{stem}{path}: years are not bounded"


@pytest.mark.parametrize(
    ("literal", "reason"), [("NaN", "NaN is not a JSON number"), ("1e999", "number 1e999 is too large")]
)
def test_a_headline_dwell_of_nan_or_infinity_is_refused(
    held_feed: HeldFeed, literal: str, reason: str
) -> None:
    held_feed.publish_with_record_bytes(
        "headline", lambda data: data.replace(b'"dwell_seconds":null', f'"dwell_seconds":{literal}'.encode())
    )
    held_feed.refused(reason)


def test_whole_number_floats_are_written_without_a_fraction(tmp_path: Path, pubkey: VerifyKey) -> None:
    """`8` and `8.0` are the same value; only one spelling keeps a record's object name stable."""
    from feed.publish.writer import record_bytes
    from feed.schema import Headline, parse_record

    headline = Headline(kind="headline", id="h", text="欢迎", dwell_seconds=8.0)
    assert b'"dwell_seconds":8,' in record_bytes(headline)
    assert parse_record(b'{"kind":"headline","id":"h","text":"x","dwell_seconds":8}').dwell_seconds == 8.0  # type: ignore[union-attr]
    half = Headline(kind="headline", id="h", text="欢迎", dwell_seconds=7.5)
    assert b'"dwell_seconds":7.5,' in record_bytes(half)


def test_fleet_feed_id_is_kept_when_recovering(publisher: Publisher, sync: Any, held: Snapshot) -> None:
    """Recovery is within one feed: another feed id is still refused."""
    records, blobs = sample_records(tag="B")
    publisher.publish_raw(raw_records(records), blobs, sequence=6, signed={"feed_id": FEED_ID + "-other"})
    result = sync()
    assert result.outcome == "failed" and "feed_id changed" in str(result.reason)
