"""Devices, citizens' records and proof-of-play counts.

Revision ID: 0001
Revises:
Created: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from centre.db.types import Document, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "devices",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("hall", sa.String(128), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime),
        sa.Column("last_seen_at", UtcDateTime),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.UniqueConstraint("token_hash", name="uq_devices_token_hash"),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("device_id", sa.String(128), nullable=False),
        sa.Column("hall", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.Column("level", sa.SmallInteger),
        sa.Column("subject_kind", sa.String(8)),
        sa.Column("subject_id", sa.String(128)),
        sa.Column("subject_title", sa.String(200)),
        sa.Column("phone", sa.String(20)),
        sa.Column("payload", Document, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submissions"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_submissions_device_id_devices"),
    )
    op.create_index("ix_submissions_kind_created_at", "submissions", ["kind", "created_at"])
    op.create_index("ix_submissions_subject_kind_subject_id", "submissions", ["subject_kind", "subject_id"])
    op.create_index("ix_submissions_reference", "submissions", ["reference"])
    op.create_table(
        "play_counts",
        sa.Column("id", sa.Uuid, nullable=False),
        sa.Column("device_id", sa.String(128), nullable=False),
        sa.Column("headline_id", sa.String(128), nullable=False),
        sa.Column("hour_start", UtcDateTime, nullable=False),
        sa.Column("plays", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("received_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_play_counts"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_play_counts_device_id_devices"),
    )
    op.create_index("ix_play_counts_headline_id_hour_start", "play_counts", ["headline_id", "hour_start"])


def downgrade() -> None:
    op.drop_table("play_counts")
    op.drop_table("submissions")
    op.drop_table("devices")
