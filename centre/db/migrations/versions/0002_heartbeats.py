"""Heartbeats: each device's newest state, its history, and when each feed sequence was first seen.

Revision ID: 0002
Revises: 0001
Created: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from centre.db.types import RowId, UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "device_state",
        sa.Column("device_id", sa.String(128), nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("sent_at", UtcDateTime, nullable=False),
        sa.Column("interval_seconds", sa.Float, nullable=False),
        sa.Column("software_version", sa.String(64), nullable=False),
        sa.Column("uptime_seconds", sa.Float, nullable=False),
        sa.Column("free_disk_bytes", sa.BigInteger),
        sa.Column("feed_id", sa.String(128)),
        sa.Column("sequence", sa.BigInteger),
        sa.Column("feed_expires", UtcDateTime),
        sa.Column("last_success", UtcDateTime),
        sa.Column("last_attempt", UtcDateTime),
        sa.Column("last_error", sa.String(500)),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.Column("outbox_depth", sa.Integer, nullable=False),
        sa.Column("oldest_unsent_seconds", sa.Float),
        sa.Column("last_delivery", UtcDateTime),
        sa.Column("last_delivery_error", sa.String(500)),
        sa.Column("headline_id", sa.String(128)),
        sa.Column("headline_text", sa.String(500)),
        sa.PrimaryKeyConstraint("device_id", name="pk_device_state"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_device_state_device_id_devices"),
    )
    op.create_table(
        "heartbeats",
        sa.Column("id", RowId, nullable=False, autoincrement=True),
        sa.Column("device_id", sa.String(128), nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("sequence", sa.BigInteger),
        sa.Column("stale", sa.Boolean, nullable=False),
        sa.Column("last_error", sa.String(500)),
        sa.Column("outbox_depth", sa.Integer, nullable=False),
        sa.Column("oldest_unsent_seconds", sa.Float),
        sa.Column("free_disk_bytes", sa.BigInteger),
        sa.PrimaryKeyConstraint("id", name="pk_heartbeats"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_heartbeats_device_id_devices"),
    )
    op.create_index("ix_heartbeats_device_id_received_at", "heartbeats", ["device_id", "received_at"])
    op.create_table(
        "feed_sequences",
        sa.Column("feed_id", sa.String(128), nullable=False),
        sa.Column("sequence", sa.BigInteger, nullable=False),
        sa.Column("first_seen_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("feed_id", "sequence", name="pk_feed_sequences"),
    )


def downgrade() -> None:
    op.drop_table("feed_sequences")
    op.drop_table("heartbeats")
    op.drop_table("device_state")
