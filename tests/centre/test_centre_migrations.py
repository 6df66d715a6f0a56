"""Alembic migrations on SQLite and PostgreSQL: from an empty database and from the previous revision
(keeping what it held), idempotent, in agreement with the table definitions, and refusing a database
from a newer release."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select, text

from centre.db.engine import open_engine
from centre.db.migrate import MigrationError, current_revision, head_revision, upgrade
from centre.db.schema import device_state, devices, follow_ups, metadata, submissions
from tests.centre.centre_kit import hall_centre, write_config

TABLES = {
    "devices",
    "submissions",
    "play_counts",
    "device_state",
    "heartbeats",
    "feed_sequences",
    "staff",
    "sign_in_failures",
    "follow_ups",
    "follow_up_notes",
}


def test_an_empty_database_is_created_at_the_newest_revision(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        assert current_revision(engine) is None
        assert upgrade(engine) == (None, head_revision())
        assert set(inspect(engine).get_table_names()) >= TABLES
        with engine.connect() as conn:  # what the migrations made is what the code defines
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        assert upgrade(engine) == (head_revision(), head_revision())
    finally:
        engine.dispose()


def _a_bad_review_held(engine: Engine, now: datetime) -> uuid.UUID:
    """A device and one 差评 from it, written with only the columns every revision has."""
    record_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            devices.insert().values(id="kiosk-1", role="kiosk", hall="h", token_hash="0" * 64, created_at=now)
        )
        conn.execute(
            submissions.insert().values(
                id=record_id,
                device_id="kiosk-1",
                hall="h",
                kind="rating",
                reference=f"QH-{now:%Y%m%d}-0001",
                created_at=now,
                received_at=now,
                level=1,
                payload={"level": 1},
            )
        )
    return record_id


def test_an_upgrade_from_the_previous_revision_keeps_what_was_there(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        upgrade(engine, "0001")
        assert "heartbeats" not in inspect(engine).get_table_names()
        now = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
        record_id = _a_bad_review_held(engine, now)
        assert upgrade(engine) == ("0001", head_revision())
        with engine.begin() as conn:
            assert conn.execute(select(submissions.c.id, submissions.c.created_at)).one() == (record_id, now)
            conn.execute(
                device_state.insert().values(
                    device_id="kiosk-1",
                    received_at=now,
                    sent_at=now,
                    interval_seconds=60,
                    software_version="0.1.0",
                    uptime_seconds=1,
                    stale=False,
                    outbox_depth=0,
                )
            )
    finally:
        engine.dispose()


def test_the_desk_tables_come_on_top_of_a_database_with_records(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        upgrade(engine, "0002")
        assert "follow_ups" not in inspect(engine).get_table_names()
        now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
        record_id = _a_bad_review_held(engine, now)
        assert upgrade(engine) == ("0002", head_revision())
        with engine.begin() as conn:
            # a 差评 held before the desk existed joins the desk's queue, still to do
            assert conn.execute(
                select(submissions.c.id, submissions.c.queue, submissions.c.done_at)
            ).one() == (
                record_id,
                "reviews",
                None,
            )
            conn.execute(
                follow_ups.insert().values(
                    submission_id=record_id,
                    status="contacted",
                    publish=False,
                    updated_at=now,
                    updated_by="clerk",
                )
            )
    finally:
        engine.dispose()


@pytest.mark.slow
def test_init_is_idempotent_and_refuses_a_database_from_a_newer_release(
    tmp_path: Path, database_url: str
) -> None:
    config = write_config(tmp_path, database_url)
    first = hall_centre("init", "--config", str(config))
    assert first.returncode == 0 and f"to revision {head_revision()}" in first.stdout
    again = hall_centre("init", "--config", str(config))
    assert again.returncode == 0 and "up to date" in again.stdout

    engine = open_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(MigrationError, match=r"9999.*does not know"):
            upgrade(engine)
    finally:
        engine.dispose()
    refused = hall_centre("init", "--config", str(config))
    assert refused.returncode == 1 and "refusing to touch it" in refused.stderr
    serve = hall_centre("serve", "--config", str(config), "--port", "1")
    assert serve.returncode == 1 and "run `hall-centre init" in serve.stderr
