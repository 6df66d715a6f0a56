"""The public surface of the core, for type checkers: `from feed import X`.

`feed/__init__.py` loads each name from its home module on first use (lazy_loader reads this file),
so `import feed` costs nothing and a kiosk's first frame pays only for what it reads.
"""

__version__: str

# The read API: what the apps may ask of the offline store (never the network)
from .api import (
    ContentReader as ContentReader,
)
from .api import (
    GuideSummary as GuideSummary,
)
from .api import (
    HallHeading as HallHeading,
)
from .api import (
    ItemSummary as ItemSummary,
)
from .api import (
    SearchHit as SearchHit,
)
from .api import (
    SyncStatus as SyncStatus,
)
from .assets import (
    assets_dir as assets_dir,
)
from .assets import (
    led_font as led_font,
)
from .assets import (
    ui_font as ui_font,
)

# Configuration and errors
from .config import (
    CentreLinkConfig as CentreLinkConfig,
)
from .config import (
    ConfigValueError as ConfigValueError,
)
from .config import (
    DeviceConfig as DeviceConfig,
)
from .config import (
    FeedConfig as FeedConfig,
)
from .config import (
    Section as Section,
)
from .config import (
    known_time_zone as known_time_zone,
)
from .config import (
    load_config as load_config,
)
from .config import (
    resolve_path as resolve_path,
)
from .config import (
    with_overrides as with_overrides,
)

# The bundled demo feed
from .dev.demo import (
    DEMO_DEVICES as DEMO_DEVICES,
)
from .dev.demo import (
    demo_centre_link as demo_centre_link,
)
from .dev.demo import (
    demo_config_file as demo_config_file,
)
from .dev.demo import (
    demo_key_paths as demo_key_paths,
)
from .dev.demo import (
    prepare_demo_cache as prepare_demo_cache,
)
from .disk.atomic import (
    write_atomic as write_atomic,
)
from .disk.files import (
    read_regular as read_regular,
)
from .due import (
    Weekly as Weekly,
)
from .due import (
    in_weekly as in_weekly,
)
from .due import (
    is_due as is_due,
)
from .errors import (
    ConfigError as ConfigError,
)
from .errors import (
    FeedError as FeedError,
)
from .errors import (
    StorageError as StorageError,
)
from .format.layout import (
    MANIFEST_NAME as MANIFEST_NAME,
)
from .format.patterns import (
    HEX_COLOUR_PATTERN as HEX_COLOUR_PATTERN,
)
from .format.patterns import (
    ID_PATTERN as ID_PATTERN,
)
from .format.signing import (
    load_public_key as load_public_key,
)

# What devices send back: the outbox, the uplink to the centre and the wire format both sides check
from .outbox import (
    Outbox as Outbox,
)
from .outbox import (
    OutboxStats as OutboxStats,
)
from .outbox import (
    Submission as Submission,
)

# Guides and items rendered: the views the kiosk's screens, the phone pages and printouts share
from .render.dates import (
    date_text as date_text,
)
from .render.guide_view import (
    GuideEntry as GuideEntry,
)
from .render.guide_view import (
    GuideSection as GuideSection,
)
from .render.guide_view import (
    GuideView as GuideView,
)
from .render.guide_view import (
    guide_badges as guide_badges,
)
from .render.guide_view import (
    guide_view as guide_view,
)
from .render.item_view import (
    ItemView as ItemView,
)
from .render.item_view import (
    item_row_text as item_row_text,
)
from .render.item_view import (
    item_view as item_view,
)
from .render.pdf import (
    Printout as Printout,
)
from .render.pdf import (
    render_pdf as render_pdf,
)
from .runtime.commands import (
    CommandLine as CommandLine,
)

# The life of a program
from .runtime.logs import (
    configure_logging as configure_logging,
)
from .runtime.logs import (
    hand_kivy_logging_to_python as hand_kivy_logging_to_python,
)
from .runtime.loop import (
    STOP_WAIT_SECONDS as STOP_WAIT_SECONDS,
)
from .runtime.service import (
    ServiceNotifier as ServiceNotifier,
)
from .runtime.service import (
    StopRequest as StopRequest,
)

# Content: the feed's record models
from .schema import (
    AnyRecord as AnyRecord,
)
from .schema import (
    Catalog as Catalog,
)
from .schema import (
    CatalogNode as CatalogNode,
)
from .schema import (
    DayPart as DayPart,
)
from .schema import (
    Guide as Guide,
)
from .schema import (
    Hall as Hall,
)
from .schema import (
    Headline as Headline,
)
from .schema import (
    Item as Item,
)
from .schema import (
    Material as Material,
)
from .schema import (
    TimeLimit as TimeLimit,
)
from .schema.catalog import (
    Domain as Domain,
)
from .schema.common import (
    Id as Id,
)
from .schema.guide import (
    Fees as Fees,
)
from .screen.colours import (
    Rgb as Rgb,
)
from .screen.colours import (
    parse_hex as parse_hex,
)
from .screen.glyphs import (
    MISSING_MARK as MISSING_MARK,
)
from .screen.glyphs import (
    Coverage as Coverage,
)
from .screen.glyphs import (
    coverage_of as coverage_of,
)
from .screen.glyphs import (
    font_runs as font_runs,
)
from .screen.glyphs import (
    led_coverage as led_coverage,
)
from .screen.glyphs import (
    needs_fallback as needs_fallback,
)
from .screen.images import (
    ImageError as ImageError,
)
from .screen.images import (
    ScreenImage as ScreenImage,
)
from .screen.images import (
    decode_for_screen as decode_for_screen,
)
from .screen.line_breaking import (
    CLOSING_PUNCTUATION as CLOSING_PUNCTUATION,
)
from .screen.line_breaking import (
    OPENING_PUNCTUATION as OPENING_PUNCTUATION,
)
from .screen.line_breaking import (
    CachedMeasure as CachedMeasure,
)
from .screen.line_breaking import (
    Measure as Measure,
)
from .screen.line_breaking import (
    paragraphs as paragraphs,
)
from .screen.line_breaking import (
    wrap_cjk as wrap_cjk,
)
from .screen.line_breaking import (
    wrap_paragraphs as wrap_paragraphs,
)
from .screen.links import (
    MIN_MODULE_PX as MIN_MODULE_PX,
)
from .screen.links import (
    QUIET_ZONE_MODULES as QUIET_ZONE_MODULES,
)
from .screen.links import (
    SMALLEST_QR_SPACE_PX as SMALLEST_QR_SPACE_PX,
)
from .screen.links import (
    UrlError as UrlError,
)
from .screen.links import (
    check_url as check_url,
)
from .screen.links import (
    is_host_label as is_host_label,
)
from .screen.links import (
    is_ip as is_ip,
)
from .screen.links import (
    phone_page_url as phone_page_url,
)
from .screen.links import (
    qr_fit as qr_fit,
)
from .screen.links import (
    url_host as url_host,
)

# What a screen can show: text, line breaking, colours, fonts, images, links and QR codes
from .screen.text import (
    TEXT_LIMIT_CHARS as TEXT_LIMIT_CHARS,
)
from .screen.text import (
    clip_text as clip_text,
)
from .screen.text import (
    screen_text as screen_text,
)
from .store.reader import (
    StoreReader as StoreReader,
)

# Sync: bringing a cache up to the feed
from .sync import (
    Poller as Poller,
)
from .sync import (
    SyncResult as SyncResult,
)
from .sync import (
    SyncSettings as SyncSettings,
)
from .sync import (
    sync_once as sync_once,
)
from .uplink.form_link import (
    FormLinkError as FormLinkError,
)
from .uplink.form_link import (
    FormTicket as FormTicket,
)
from .uplink.form_link import (
    check_form_link as check_form_link,
)
from .uplink.form_link import (
    new_form_key as new_form_key,
)
from .uplink.form_link import (
    read_form_link as read_form_link,
)
from .uplink.form_link import (
    sign_form_link as sign_form_link,
)
from .uplink.uplink import (
    Uplink as Uplink,
)
from .uplink.wire import (
    MAX_BATCH_BYTES as MAX_BATCH_BYTES,
)
from .uplink.wire import (
    MAX_RECORD_BYTES as MAX_RECORD_BYTES,
)
from .uplink.wire import (
    NEGATIVE_MAX_LEVEL as NEGATIVE_MAX_LEVEL,
)
from .uplink.wire import (
    RATING_LABELS as RATING_LABELS,
)
from .uplink.wire import (
    HeadlineOnScreen as HeadlineOnScreen,
)
from .uplink.wire import (
    Heartbeat as Heartbeat,
)
from .uplink.wire import (
    HeartbeatAck as HeartbeatAck,
)
from .uplink.wire import (
    OutboxRecord as OutboxRecord,
)
from .uplink.wire import (
    PlayCountRecord as PlayCountRecord,
)
from .uplink.wire import (
    RatingRecord as RatingRecord,
)
from .uplink.wire import (
    SubmissionAck as SubmissionAck,
)
from .uplink.wire import (
    SubmissionBatch as SubmissionBatch,
)
from .uplink.wire import (
    payload_bytes as payload_bytes,
)
