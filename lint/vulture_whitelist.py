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

# httpx calls its cookie jar's extract_cookies with every answer (feed/net/deadline.py).
_.extract_cookies

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

# Kivy reads these: the clock's pass limit (kiosk/base_app.py) and a label's own shortening flag,
# reset when a text block draws its own texture (kiosk/ui/widgets/text.py).
_.max_iteration
_.is_shortened

# The kiosk's palette contrast rule (kiosk/logic/theme.py), stated beside the palette and checked by
# tests/kiosk/test_kiosk_layout_theme.py for every text/background pair of both themes.
contrast_ratio
_.text_pairs

# Read by the GUI tests: what a screen or widget shows (titles of a page, sections, wrapped lines,
# the QR's box on the window), what a session holds and whether the lockdown would let the app close.
_.section_titles
_.visible_titles
_.window_box
_.wrapped_lines
_.has_drafts
_.requests_made
_.exit_allowed

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

# The Jinja2 templates of feed/render/templates read a page's fields by name (feed/render/html.py).
_.medium
_.stylesheet_href
_.inline_style
_.qr_data_uri
_.printed_on

# Widget classes only kv rules name (kiosk/ui/screens/guide.kv, item.kv).
PrintPanel
ReadButton

# Kivy dispatches these events to the methods of their names (kiosk/ui/screens, kiosk/ui/widgets).
_.on_leave
_.on_release

# A counter the tests read: how many parts of a page were read aloud (kiosk/logic/speech.py).
_.parts_played

# Screen classes kiosk/ui/screens/registry.py names as strings (imported on first use).
FormScreen

# openpyxl and ruamel.yaml read these settings when they write (centre/desk/export.py, publication.py).
_.data_type
_.allow_unicode
_.ignore_aliases
