"""The centre's tables, in SQLAlchemy Core. Alembic migrations (`centre/db/migrations/`) create them;
a test checks that the migrations and these definitions agree.

Times are UTC (`UtcDateTime`); the bureau's time zone is configuration and applies only on output.
A phone number is kept only in `submissions.phone`, where the citizen gave one, never in the payload.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    Uuid,
)

from centre.db.types import Document, RowId, UtcDateTime

# Stable constraint names, so migrations can refer to them on every engine.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID_LENGTH = 128

devices = Table(
    "devices",
    metadata,
    Column("id", String(ID_LENGTH), primary_key=True),
    Column("role", String(16), nullable=False),  # kiosk | display
    Column("hall", String(ID_LENGTH), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # SHA-256 hex of the bearer token
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("last_seen_at", UtcDateTime),  # last authenticated request of any kind
    Column("form_key", String(64)),  # signs the device's phone-form links (feed.sign_form_link)
)

# Citizens' records: 好差评 ratings, 意见建议 suggestions, 点题公开 requests.
submissions = Table(
    "submissions",
    metadata,
    Column("id", Uuid, primary_key=True),  # the device outbox row's id: idempotency key
    Column("device_id", String(ID_LENGTH), ForeignKey("devices.id"), nullable=False),
    Column("hall", String(ID_LENGTH), nullable=False),  # the device's hall when received
    Column("kind", String(32), nullable=False),
    Column("reference", String(32), nullable=False),  # what the citizen was shown
    Column("created_at", UtcDateTime, nullable=False),  # on the device
    Column("received_at", UtcDateTime, nullable=False),
    Column("level", SmallInteger),  # ratings: 1..5
    Column("subject_kind", String(8)),  # ratings: hall | guide | item
    Column("subject_id", String(ID_LENGTH)),
    Column("subject_title", String(200)),
    Column("subject_department", String(200)),  # ratings: the guide's 实施主体 or the item's 公开主体
    Column("phone", String(20)),  # digits, only where the citizen gave one
    Column("payload", Document, nullable=False),  # the record's payload without the phone
    # The desk: the queue the record joined on arrival (centre.rules.work.queue_for; NULL: none), and
    # when its work was done (NULL: still to do). Indexed together so a queue's page reads only its rows.
    Column("queue", String(16)),
    Column("done_at", UtcDateTime),
    # Covers the ratings page's sums (by hour, hall, department, guide): read from the index alone.
    Index(
        "ix_submissions_rating_facts",
        "kind",
        "created_at",
        "level",
        "hall",
        "subject_kind",
        "subject_id",
        "subject_department",
        "subject_title",
    ),
    Index(None, "queue", "done_at", "created_at"),
    Index(None, "subject_kind", "subject_id"),
    Index(None, "reference"),
)

# Proof of play, rolled up on the device per headline and hour.
play_counts = Table(
    "play_counts",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("device_id", String(ID_LENGTH), ForeignKey("devices.id"), nullable=False),
    Column("headline_id", String(ID_LENGTH), nullable=False),
    Column("hour_start", UtcDateTime, nullable=False),
    Column("plays", Integer, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Index(None, "headline_id", "hour_start"),
)

# The newest heartbeat of each device: what the fleet report reads.
device_state = Table(
    "device_state",
    metadata,
    Column("device_id", String(ID_LENGTH), ForeignKey("devices.id"), primary_key=True),
    Column("received_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
    Column("interval_seconds", Float, nullable=False),
    Column("software_version", String(64), nullable=False),
    Column("uptime_seconds", Float, nullable=False),
    Column("free_disk_bytes", BigInteger),
    Column("feed_id", String(ID_LENGTH)),
    Column("sequence", BigInteger),
    Column("feed_expires", UtcDateTime),
    Column("last_success", UtcDateTime),
    Column("last_attempt", UtcDateTime),
    Column("last_error", String(500)),
    Column("stale", Boolean, nullable=False),
    Column("outbox_depth", Integer, nullable=False),
    Column("oldest_unsent_seconds", Float),
    Column("last_delivery", UtcDateTime),
    Column("last_delivery_error", String(500)),
    Column("headline_id", String(ID_LENGTH)),
    Column("headline_text", String(500)),
)

# Every heartbeat, kept for `heartbeat_retention_days`: the history behind a device's charts.
heartbeats = Table(
    "heartbeats",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("device_id", String(ID_LENGTH), ForeignKey("devices.id"), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("sequence", BigInteger),
    Column("stale", Boolean, nullable=False),
    Column("last_error", String(500)),
    Column("outbox_depth", Integer, nullable=False),
    Column("oldest_unsent_seconds", Float),
    Column("free_disk_bytes", BigInteger),
    Index(None, "device_id", "received_at"),
)

# When each feed sequence was first reported by any device: a device on an older one is `behind`
# once the newer one has been out for a while.
feed_sequences = Table(
    "feed_sequences",
    metadata,
    Column("feed_id", String(ID_LENGTH), primary_key=True),
    Column("sequence", BigInteger, primary_key=True),
    Column("first_seen_at", UtcDateTime, nullable=False),
)

# Staff accounts of the desk. The password is kept only as its Argon2id hash.
staff = Table(
    "staff",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("role", String(16), nullable=False),  # viewer | handler | admin (centre.rules.roles)
    Column("password_hash", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("disabled_at", UtcDateTime),
)

# Failed sign-ins, counted per account name and per address to refuse guessing.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("name", String(64), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Index(None, "name", "at"),
    Index(None, "address", "at"),
)

# Where the desk's work on a citizen's record stands (no row: not started).
follow_ups = Table(
    "follow_ups",
    metadata,
    Column("submission_id", Uuid, ForeignKey("submissions.id"), primary_key=True),
    Column("status", String(16), nullable=False),  # centre.rules.work
    Column("reply", Text),  # the answer given to the citizen (意见建议, 点题公开)
    Column("publish", Boolean, nullable=False),  # the reply may be published as a disclosure item
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(64), nullable=False),
    # 依申请公开 (centre.rules.disclosure): the answer's form and ground, and the one extension.
    Column("outcome", String(16)),
    Column("ground", String(32)),
    Column("extended_at", UtcDateTime),
    Column("extended_by", String(64)),
    Column("extension_reason", Text),
)

# The applicant of a 依申请公开, as the phone form took it: the identity the regulation requires, kept
# apart from the record's payload (the phone number stays in `submissions.phone`). Masked for viewers.
applicants = Table(
    "applicants",
    metadata,
    Column("submission_id", Uuid, ForeignKey("submissions.id"), primary_key=True),
    Column("kind", String(16), nullable=False),  # citizen | organisation
    Column("name", String(100), nullable=False),
    Column("id_kind", String(16), nullable=False),  # resident_id | uscc | other
    Column("id_number", String(40), nullable=False),
    Column("email", String(200), nullable=False),
    Column("address", String(300), nullable=False),
    Column("delivery", String(16), nullable=False),  # collect | post | email
)

# Every step of that work, with the handler's note: the record's history.
follow_up_notes = Table(
    "follow_up_notes",
    metadata,
    Column("id", RowId, primary_key=True, autoincrement=True),
    Column("submission_id", Uuid, ForeignKey("submissions.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("author", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("note", Text, nullable=False),
    Index(None, "submission_id", "at"),
)

# Phone-form links already used: each link's nonce is taken once.
form_links_used = Table(
    "form_links_used",
    metadata,
    Column("nonce", String(16), primary_key=True),
    Column("device_id", String(ID_LENGTH), ForeignKey("devices.id"), nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),  # after this the row may go: the link is dead anyway
    Column("used_at", UtcDateTime, nullable=False),
)
