"""The phone site `hall-feed build` writes beside the feed: a page for every guide and item, signed
over by its own index, and every way of tampering with it found by `verify`."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest
from nacl.signing import SigningKey, VerifyKey

from feed.assets import assets_dir
from feed.format.signing import SECRET_PREFIX
from feed.publish.build import BuildResult, build
from feed.publish.verify import verify_feed
from feed.schema import Guide, Item

SITE = "m"


@pytest.fixture(scope="module")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("key") / "feed.key"
    path.write_text(SECRET_PREFIX + base64.b64encode(bytes(SigningKey(b"k" * 32))).decode())
    path.chmod(0o600)
    return path


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory, key_file: Path) -> tuple[Path, BuildResult]:
    out = tmp_path_factory.mktemp("demo") / "feed"
    return out, build(assets_dir() / "demo", out, key_file)


@pytest.fixture
def demo(tmp_path: Path, demo_build: tuple[Path, BuildResult]) -> Path:
    """A private copy of the built demo feed, to tamper with."""
    copy = tmp_path / "feed"
    shutil.copytree(demo_build[0], copy)
    return copy


def pages_of(result: BuildResult) -> dict[str, Guide | Item]:
    return {
        f"{'g' if isinstance(r, Guide) else 'i'}/{r.id}.html": r
        for r in result.source.records
        if isinstance(r, (Guide, Item))
    }


def test_every_guide_and_item_has_a_page_and_the_feed_verifies(
    demo_build: tuple[Path, BuildResult], pubkey: VerifyKey
) -> None:
    out, result = demo_build
    pages = pages_of(result)
    assert len(pages) == 15 + 46
    index = json.loads((out / SITE / "index.json").read_bytes())
    listed = {f["path"] for f in index["signed"]["files"]}
    assert listed == set(pages) | {"site.css"}
    assert index["signed"]["sequence"] == result.manifest.signed.sequence
    for path, record in pages.items():
        page = (out / SITE / path).read_text(encoding="utf-8")
        title = re.search(r'<h1 id="title">([^<]*)</h1>', page)
        assert title is not None and html.unescape(title.group(1)) == record.title
    report = verify_feed(out, SigningKey(b"k" * 32).verify_key)
    assert report.ok, report.problems


def test_pages_carry_no_script_and_nothing_from_another_site(demo_build: tuple[Path, BuildResult]) -> None:
    out, _ = demo_build
    for page in (out / SITE).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text.lower() and not re.search(r"<[^>]*\son[a-z]+=", text)
        # What the page loads (stylesheet, images) is relative, inside the feed; only <a> may leave it
        loads = re.findall(r"<(link|img|source|iframe)\b[^>]*?\b(href|src)=\"([^\"]*)\"", text)
        for tag, attr, target in loads:
            assert not re.match(r"^[a-z]+:|^//", target), (page.name, tag, attr, target)
            assert (page.parent / target).resolve().is_file(), (page.name, target)


def test_a_page_shows_every_material_and_the_steps_in_order(demo_build: tuple[Path, BuildResult]) -> None:
    out, result = demo_build
    for path, record in pages_of(result).items():
        if not isinstance(record, Guide):
            continue
        page = (out / SITE / path).read_text(encoding="utf-8")
        materials, steps = (section_text(page, key) for key in ("materials", "steps"))
        for material in record.materials:
            assert material.name in materials, (path, material.name)
        positions = [steps.index(step.name) for step in record.steps]
        assert positions == sorted(positions), path


def section_text(page: str, key: str) -> str:
    found = re.search(rf'<section id="{key}".*?</section>', page, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(0))) if found else ""


def problems_after(root: Path) -> list[str]:
    return verify_feed(root, SigningKey(b"k" * 32).verify_key).problems


def test_a_changed_page_is_found(demo: Path) -> None:
    page = demo / SITE / "g" / "birth-one-thing.html"
    page.write_bytes(page.read_bytes().replace("卫健委".encode(), "卫生委".encode()))  # same size
    assert problems_after(demo) == [
        "m/g/birth-one-thing.html: content does not match its SHA-256 in the site index"
    ]


def test_a_missing_page_an_added_page_and_a_lost_index_are_found(demo: Path) -> None:
    (demo / SITE / "i").joinpath("fake.html").write_text("<p>假冒</p>", encoding="utf-8")
    (demo / SITE / "x").mkdir()
    (demo / SITE / "x" / "login.html").write_text("<form></form>", encoding="utf-8")
    (demo / SITE / "g" / "birth-one-thing.html").unlink()
    assert problems_after(demo) == [
        "m/g/birth-one-thing.html: missing",
        "m/i/fake.html: a file m/index.json does not list",
        "m/x/login.html: a file m/index.json does not list",
    ]
    (demo / SITE / "index.json").unlink()
    assert problems_after(demo) == ["m/index.json: missing, so the pages under m/ are not signed over"]
    # A feed without any phone site (a CMS that writes none) is sound, with a warning
    shutil.rmtree(demo / SITE)
    report = verify_feed(demo, SigningKey(b"k" * 32).verify_key)
    assert report.ok and report.warnings == [
        "m/: no phone site, so codes to the records' phone pages open nothing"
    ]


def test_an_edited_index_fails_its_signature_and_an_old_index_its_sequence(
    demo: Path, key_file: Path
) -> None:
    index_path = demo / SITE / "index.json"
    good = index_path.read_bytes()
    page = demo / SITE / "g" / "birth-one-thing.html"
    page.write_text("<p>假冒的指南</p>", encoding="utf-8")
    index = json.loads(good)
    entry = next(f for f in index["signed"]["files"] if f["path"] == "g/birth-one-thing.html")
    entry["sha256"] = hashlib.sha256(page.read_bytes()).hexdigest()
    entry["size"] = page.stat().st_size
    index_path.write_text(json.dumps(index), encoding="utf-8")
    assert problems_after(demo) == ["m/index.json signature does not verify"]

    # An index from another publication, correctly signed, does not pass for this one
    index_path.write_bytes(good)
    page.unlink()
    build(assets_dir() / "demo", demo, key_file)
    (demo / SITE / "index.json").write_bytes(good)
    problems = problems_after(demo)
    assert len(problems) == 1 and re.fullmatch(
        r"m/index.json: built for feed qinghe-demo sequence \d+, "
        r"but the manifest is feed qinghe-demo sequence \d+",
        problems[0],
    ), problems


def test_the_page_of_a_withdrawn_record_goes_with_it(tmp_path: Path, key_file: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(assets_dir() / "demo", src)
    out = tmp_path / "feed"
    build(src, out, key_file)
    assert (out / SITE / "g" / "school-enrolment.html").is_file()
    (src / "guides" / "school-enrolment.yaml").unlink()
    build(src, out, key_file)
    assert not (out / SITE / "g" / "school-enrolment.html").exists()
    assert verify_feed(out, SigningKey(b"k" * 32).verify_key).ok
