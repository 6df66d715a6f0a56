"""依申请公开 and ratings by department: the applicants' identity, the answer's form and ground and the
one extension of its deadline on the follow-up, each rating's department, and an index that covers
the ratings page's sums (replacing the one on kind and time, which it extends).

Revision ID: 0004
Revises: 0003
Created: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from centre.db.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

RATING_FACTS = [
    "kind",
    "created_at",
    "level",
    "hall",
    "subject_kind",
    "subject_id",
    "subject_department",
    "subject_title",
]


def upgrade() -> None:
    with op.batch_alter_table("submissions") as table:
        table.add_column(sa.Column("subject_department", sa.String(200)))
    op.drop_index("ix_submissions_kind_created_at", "submissions")
    op.create_index("ix_submissions_rating_facts", "submissions", RATING_FACTS)
    with op.batch_alter_table("follow_ups") as table:
        table.add_column(sa.Column("outcome", sa.String(16)))
        table.add_column(sa.Column("ground", sa.String(32)))
        table.add_column(sa.Column("extended_at", UtcDateTime))
        table.add_column(sa.Column("extended_by", sa.String(64)))
        table.add_column(sa.Column("extension_reason", sa.Text))
    op.create_table(
        "applicants",
        sa.Column("submission_id", sa.Uuid, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("id_kind", sa.String(16), nullable=False),
        sa.Column("id_number", sa.String(40), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("submission_id", name="pk_applicants"),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submissions.id"], name="fk_applicants_submission_id_submissions"
        ),
    )


def downgrade() -> None:
    op.drop_table("applicants")
    with op.batch_alter_table("follow_ups") as table:
        for name in ("extension_reason", "extended_by", "extended_at", "ground", "outcome"):
            table.drop_column(name)
    op.drop_index("ix_submissions_rating_facts", "submissions")
    op.create_index("ix_submissions_kind_created_at", "submissions", ["kind", "created_at"])
    with op.batch_alter_table("submissions") as table:
        table.drop_column("subject_department")
