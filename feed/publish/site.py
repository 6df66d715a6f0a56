"""The phone site a feed carries: one page per guide and item, the shared stylesheet, and the signed
index that lists them with their hashes (docs/feed-protocol.md, section 17).

The pages live at stable paths under `m/` (`feed.screen.links.phone_page`), so the QR code a kiosk
drew last month still opens the current page. They are not content-addressed objects, so the
manifest, which devices download on every poll, does not grow with them; instead `m/index.json`
lists every file of the site with its size and SHA-256, carries the feed id and sequence of the
manifest it was built with, and is signed with the feed's key. `verify` checks all of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from nacl.signing import SigningKey, VerifyKey
from pydantic import Field, StringConstraints, ValidationError

from feed.disk.atomic import write_atomic
from feed.disk.files import read_regular
from feed.errors import FeedRejectedError
from feed.format.canonical import canonical_bytes, sha256_hex
from feed.format.layout import object_path
from feed.format.manifest import Signature, SignedManifest
from feed.format.patterns import ID_PATTERN
from feed.format.signing import sign_message, verify_signed
from feed.format.validation import first_problem
from feed.render.html import PHONE_STYLESHEET, Page, phone_stylesheet, render_record
from feed.schema import Guide, Hall, Item, Record
from feed.schema.common import Id, Model, Sha256
from feed.screen.links import PHONE_SITE_DIR, phone_page

SITE_FORMAT: Literal["hall-site/1"] = "hall-site/1"
SITE_INDEX = "index.json"  # in PHONE_SITE_DIR
MAX_SITE_FILES = 100_000
MAX_SITE_FILE_BYTES = 4 * 1024 * 1024
MAX_SITE_INDEX_BYTES = 16 * 1024 * 1024
UNNAMED_HALL = "政务服务中心"  # a feed without a hall record

_ID = ID_PATTERN.strip("^$")
SitePath = Annotated[str, StringConstraints(pattern=rf"^(?:site\.css|[gi]/{_ID}\.html)$")]


class SiteFile(Model):
    path: SitePath = Field(description="relative to m/: site.css, g/<guide id>.html or i/<item id>.html")
    sha256: Sha256
    size: int = Field(ge=0, le=MAX_SITE_FILE_BYTES)


class SignedSiteIndex(Model):
    """The part of m/index.json covered by the signature."""

    format: Literal["hall-site/1"]
    feed_id: Id
    sequence: int = Field(ge=1, description="the sequence of the manifest published with these pages")
    files: list[SiteFile] = Field(max_length=MAX_SITE_FILES)


class SiteIndex(Model):
    signed: SignedSiteIndex
    signatures: list[Signature] = Field(default_factory=list, max_length=8)


def has_page(record: Record) -> bool:
    return isinstance(record, (Guide, Item))


def hall_name(records: Sequence[Record]) -> str:
    """The name the pages carry: the feed's hall, or of several the first by id (as on a device
    without a configured hall)."""
    halls = sorted((r for r in records if isinstance(r, Hall)), key=lambda h: h.id)
    return halls[0].name if halls else UNNAMED_HALL


def phone_page_html(record: Guide | Item, hall: str) -> str:
    """The published page of `record`: relative links only (the stylesheet, images and forms within
    the feed), so the site works wherever the feed is hosted."""

    def object_href(sha256: str) -> str:
        return "../../" + object_path(sha256)

    page = Page(
        medium="phone", hall_name=hall, stylesheet_href="../" + PHONE_STYLESHEET, object_href=object_href
    )
    return render_record(record, page)


def write_site(
    out_dir: Path, records: Sequence[Record], *, feed_id: str, sequence: int, key: SigningKey | None
) -> int:
    """Write the phone site of `records` into `out_dir/m/` with its index (signed when `key` is
    given), remove the pages of records no longer published; returns the bytes written."""
    site = out_dir / PHONE_SITE_DIR
    hall = hall_name(records)
    files: dict[str, bytes] = {PHONE_STYLESHEET: phone_stylesheet().encode("utf-8")}
    for record in records:
        if isinstance(record, (Guide, Item)):
            files[phone_page(record.kind, record.id)] = phone_page_html(record, hall).encode("utf-8")
    written = 0
    for relative, data in sorted(files.items()):
        target = site / relative
        if not target.is_file() or target.read_bytes() != data:
            write_atomic(target, data, durable=False)
            written += len(data)
    for stale in _page_files(site):
        if stale.relative_to(site).as_posix() not in files:
            stale.unlink()
    signed = SignedSiteIndex(
        format=SITE_FORMAT,
        feed_id=feed_id,
        sequence=sequence,
        files=[SiteFile(path=p, sha256=sha256_hex(d), size=len(d)) for p, d in sorted(files.items())],
    )
    message = canonical_bytes(signed.model_dump(mode="json"))
    index = SiteIndex(signed=signed, signatures=[sign_message(message, key)] if key is not None else [])
    body = canonical_bytes(index.model_dump(mode="json")) + b"\n"
    write_atomic(site / SITE_INDEX, body, durable=False)
    return written + len(body)


def _page_files(site: Path) -> list[Path]:
    return [p for folder in ("g", "i") if (site / folder).is_dir() for p in (site / folder).iterdir()]


@dataclass(frozen=True)
class SiteCheck:
    problems: list[str]
    warnings: list[str]


def check_site(
    root: Path, manifest: SignedManifest, records: Sequence[Record], pubkey: VerifyKey | None
) -> SiteCheck:
    """The phone site in `root`: its problems (the index parsed, signed by `pubkey` when given, built
    with this manifest; every listed file present with its size and hash; a page for every guide and
    item; nothing under m/ that the index does not list) and warnings (no site at all: a feed a CMS
    wrote without one, whose records' QR codes then open nothing on the phone site)."""
    site = root / PHONE_SITE_DIR
    name = f"{PHONE_SITE_DIR}/{SITE_INDEX}"
    if not (site / SITE_INDEX).exists() and not site.exists():
        if any(has_page(r) for r in records):
            return SiteCheck(
                [], [f"{PHONE_SITE_DIR}/: no phone site, so codes to the records' phone pages open nothing"]
            )
        return SiteCheck([], [])
    return SiteCheck(_site_problems(site, name, manifest, records, pubkey), [])


def _site_problems(
    site: Path, name: str, manifest: SignedManifest, records: Sequence[Record], pubkey: VerifyKey | None
) -> list[str]:
    try:
        body = read_regular(site / SITE_INDEX, MAX_SITE_INDEX_BYTES)
    except FileNotFoundError:
        return [f"{name}: missing, so the pages under {PHONE_SITE_DIR}/ are not signed over"]
    except OSError as exc:
        return [f"{name}: cannot read: {exc.strerror or exc}"]
    try:
        raw = json.loads(body)
        index = SiteIndex.model_validate(raw, strict=False)
    except (ValueError, RecursionError) as exc:
        detail = first_problem(exc) if isinstance(exc, ValidationError) else exc.__class__.__name__
        return [f"{name}: not a valid site index: {detail}"]
    problems: list[str] = []
    if pubkey is not None:
        try:
            verify_signed(index.signatures, raw["signed"], pubkey, name)
        except FeedRejectedError as exc:
            problems.append(str(exc))
    signed = index.signed
    if (signed.feed_id, signed.sequence) != (manifest.feed_id, manifest.sequence):
        problems.append(
            f"{name}: built for feed {signed.feed_id} sequence {signed.sequence}, but the manifest is "
            f"feed {manifest.feed_id} sequence {manifest.sequence}"
        )
    listed = {f.path for f in signed.files}
    for entry in signed.files:
        problems += _check_file(site, entry)
    wanted = [PHONE_STYLESHEET] + [phone_page(r.kind, r.id) for r in records if isinstance(r, (Guide, Item))]
    problems += [f"{PHONE_SITE_DIR}/{path}: not listed in {name}" for path in wanted if path not in listed]
    present = {p.relative_to(site).as_posix() for p in site.rglob("*") if not p.is_dir()} - {SITE_INDEX}
    problems += [f"{PHONE_SITE_DIR}/{path}: a file {name} does not list" for path in sorted(present - listed)]
    return problems


def _check_file(site: Path, entry: SiteFile) -> list[str]:
    label = f"{PHONE_SITE_DIR}/{entry.path}"
    try:
        data = read_regular(site / entry.path, MAX_SITE_FILE_BYTES)
    except FileNotFoundError:
        return [f"{label}: missing"]
    except OSError as exc:
        return [f"{label}: unreadable: {exc.strerror or exc}"]
    if len(data) != entry.size:
        return [f"{label}: size is {len(data)} bytes, the site index says {entry.size}"]
    if sha256_hex(data) != entry.sha256:
        return [f"{label}: content does not match its SHA-256 in the site index"]
    return []
