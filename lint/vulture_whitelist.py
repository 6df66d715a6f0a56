"""Names the dead-code check (`make lint`: vulture) cannot see being used, each with who uses it.

Frameworks call these by name or read them as data; a few are counters the tests read. Anything
else vulture reports is dead: delete it rather than list it here.
"""

# ruff: noqa: B018, F821 - a list of names for vulture to read, never run

# http.server and socketserver call or read these by name (feed/dev/serve.py, benchmarks).
_.do_GET
_.do_HEAD
_.log_message
_.version_string
_.close_connection
protocol_version
wbufsize
disable_nagle_algorithm
daemon_threads
address_family

# SQLAlchemy: a TypeDecorator's hooks and the DB-API connection setting (centre/db).
impl
cache_ok
_.process_bind_param
_.process_result_value
_.isolation_level

# Alembic reads a revision's module-level names and calls downgrade (centre/db/migrations).
down_revision
branch_labels
depends_on
downgrade

# uvicorn imports the app factory by its dotted name (centre/cli/serve.py).
app_from_environment

# pydantic serialises with this (feed/schema/headline.py); fields of the wire and feed formats are
# data that travels, whether or not code reads them back (feed/schema, feed/uplink/wire.py,
# centre/report.py).
_._whole_numbers_without_fraction
implementation_code
services
intro
reviewed_by
reviewed_on
level_label
content_as_of

# ruamel.yaml, Pillow, Kivy and fontTools read these attributes of their own objects.
_.Constructor
_.allow_duplicate_keys
_.fontmode
_.mag_filter
_.min_filter
_.clearcolor
_.recalcTimestamp
_.layout_features
_.name_IDs
_.notdef_outline
_.recalc_bounds
_.recalc_timestamp
_.glyphOrder
_.tableVersion
_.maxZones
_.glyphDataFormat
_.formatType
_.sfntVersion

# Read by the tests: how a loop, a cache or a driver behaved (counts, the last outcome).
_.calls
_.renders
_.skipped
_.frames_shown
_.closed_by_user
_.last_result
_.last_delay
animated_gif  # benchmarks/gen_images.py: the screen-content tests' sample image

# The read API's way to read a count and its page from one snapshot (tested across processes).
_.consistent

# feed/store/reader.py: never called, lets mypy check that StoreReader implements ContentReader.
_conforms

# Every rule of the feed as a whole, which docs/feed-protocol.md must state (its test reads it).
FEED_RULES

# openpyxl and ruamel.yaml read these settings when they write (centre/desk/export.py, publication.py).
_.data_type
_.allow_unicode
_.ignore_aliases
