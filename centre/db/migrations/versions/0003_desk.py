"""The desk: staff accounts, failed sign-ins, the follow-up of citizens' records, each record's queue
and completion (records held before this revision join their queue here), and the phone forms
(each device's form key, the links already used).

Revision ID: 0003
Revises: 0002
Created: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from centre.db.types import RowId, UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions") as table:
        table.add_column(sa.Column("queue", sa.String(16)))
        table.add_column(sa.Column("done_at", UtcDateTime))
    with op.batch_alter_table("devices") as table:
        table.add_column(sa.Column("form_key", sa.String(64)))
    op.create_table(
        "form_links_used",
        sa.Column("nonce", sa.String(16), nullable=False),
        sa.Column("device_id", sa.String(128), nullable=False),
        sa.Column("expires_at", UtcDateTime, nullable=False),
        sa.Column("used_at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("nonce", name="pk_form_links_used"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_form_links_used_device_id_devices"),
    )
    # The rule of centre.rules.work.queue_for, as it stood when this revision was written.
    op.execute(
        "UPDATE submissions SET queue = CASE"
        " WHEN kind = 'rating' AND level <= 2 THEN 'reviews'"
        " WHEN kind = 'suggestion' THEN 'suggestions'"
        " WHEN kind = 'disclosure_request' THEN 'requests' END"
    )
    op.create_index(
        "ix_submissions_queue_done_at_created_at", "submissions", ["queue", "done_at", "created_at"]
    )
    op.create_table(
        "staff",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("disabled_at", UtcDateTime),
        sa.PrimaryKeyConstraint("name", name="pk_staff"),
    )
    op.create_table(
        "sign_in_failures",
        sa.Column("id", RowId, nullable=False, autoincrement=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sign_in_failures"),
    )
    op.create_index("ix_sign_in_failures_name_at", "sign_in_failures", ["name", "at"])
    op.create_index("ix_sign_in_failures_address_at", "sign_in_failures", ["address", "at"])
    op.create_table(
        "follow_ups",
        sa.Column("submission_id", sa.Uuid, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reply", sa.Text),
        sa.Column("publish", sa.Boolean, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("submission_id", name="pk_follow_ups"),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name="fk_follow_ups_submission_id_submissions"
        ),
    )
    op.create_table(
        "follow_up_notes",
        sa.Column("id", RowId, nullable=False, autoincrement=True),
        sa.Column("submission_id", sa.Uuid, nullable=False),
        sa.Column("at", UtcDateTime, nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_follow_up_notes"),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name="fk_follow_up_notes_submission_id_submissions"
        ),
    )
    op.create_index("ix_follow_up_notes_submission_id_at", "follow_up_notes", ["submission_id", "at"])


def downgrade() -> None:
    op.drop_table("form_links_used")
    with op.batch_alter_table("devices") as table:
        table.drop_column("form_key")
    op.drop_table("follow_up_notes")
    op.drop_table("follow_ups")
    op.drop_table("sign_in_failures")
    op.drop_table("staff")
    op.drop_index("ix_submissions_queue_done_at_created_at", "submissions")
    with op.batch_alter_table("submissions") as table:
        table.drop_column("done_at")
        table.drop_column("queue")
