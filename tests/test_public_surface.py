"""The core's public surface: what the apps and the centre may use, pinned here so that a change to
it is a decision (add the name to `feed/__init__.pyi` and here), not an accident."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import feed

REPO = Path(__file__).resolve().parents[1]

SURFACE = [
    "AnyRecord",
    "CLOSING_PUNCTUATION",
    "CachedMeasure",
    "Catalog",
    "CatalogNode",
    "CentreLinkConfig",
    "CommandLine",
    "ConfigError",
    "ConfigValueError",
    "ContentReader",
    "Coverage",
    "DEMO_DEVICES",
    "DayPart",
    "DeviceConfig",
    "Domain",
    "FeedConfig",
    "FeedError",
    "Fees",
    "FormLinkError",
    "FormTicket",
    "Guide",
    "GuideEntry",
    "GuideSection",
    "GuideSummary",
    "GuideView",
    "HEX_COLOUR_PATTERN",
    "Hall",
    "HallHeading",
    "Headline",
    "HeadlineOnScreen",
    "Heartbeat",
    "HeartbeatAck",
    "ID_PATTERN",
    "Id",
    "ImageError",
    "Item",
    "ItemSummary",
    "ItemView",
    "MANIFEST_NAME",
    "MAX_BATCH_BYTES",
    "MAX_RECORD_BYTES",
    "MIN_MODULE_PX",
    "MISSING_MARK",
    "Material",
    "Measure",
    "NEGATIVE_MAX_LEVEL",
    "OPENING_PUNCTUATION",
    "Outbox",
    "OutboxRecord",
    "OutboxStats",
    "PlayCountRecord",
    "Poller",
    "Printout",
    "QUIET_ZONE_MODULES",
    "RATING_LABELS",
    "RatingRecord",
    "Rgb",
    "SMALLEST_QR_SPACE_PX",
    "STOP_WAIT_SECONDS",
    "ScreenImage",
    "SearchHit",
    "Section",
    "ServiceNotifier",
    "StopRequest",
    "StorageError",
    "StoreReader",
    "Submission",
    "SubmissionAck",
    "SubmissionBatch",
    "SyncResult",
    "SyncSettings",
    "SyncStatus",
    "TEXT_LIMIT_CHARS",
    "TimeLimit",
    "Uplink",
    "UrlError",
    "Weekly",
    "assets_dir",
    "check_form_link",
    "check_url",
    "clip_text",
    "configure_logging",
    "coverage_of",
    "date_text",
    "decode_for_screen",
    "demo_centre_link",
    "demo_config_file",
    "demo_key_paths",
    "font_runs",
    "guide_badges",
    "guide_view",
    "hand_kivy_logging_to_python",
    "in_weekly",
    "is_due",
    "is_host_label",
    "is_ip",
    "item_row_text",
    "item_view",
    "known_time_zone",
    "led_coverage",
    "led_font",
    "load_config",
    "load_public_key",
    "needs_fallback",
    "new_form_key",
    "paragraphs",
    "parse_hex",
    "payload_bytes",
    "phone_page_url",
    "prepare_demo_cache",
    "qr_fit",
    "read_regular",
    "render_pdf",
    "read_form_link",
    "resolve_path",
    "screen_text",
    "sign_form_link",
    "sync_once",
    "ui_font",
    "url_host",
    "with_overrides",
    "wrap_cjk",
    "wrap_paragraphs",
    "write_atomic",
]


def test_the_public_names_are_exactly_the_pinned_ones() -> None:
    assert sorted(feed.__all__) == sorted(SURFACE)


def test_every_public_name_is_the_object_of_its_home_module() -> None:
    homes = {
        alias.name: f"feed.{node.module}"
        for node in ast.walk(ast.parse((REPO / "feed" / "__init__.pyi").read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    assert sorted(homes) == sorted(SURFACE)
    for name, module in homes.items():
        assert getattr(feed, name) is getattr(importlib.import_module(module), name), name


def test_importing_the_namespace_loads_no_module_of_the_core() -> None:
    script = (
        "import sys, feed\n"
        "print(sorted(m for m in sys.modules if m.startswith('feed.')), 'pydantic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=120, check=True
    )
    assert done.stdout.split() == ["[]", "False"]
