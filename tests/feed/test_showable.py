"""`hall-feed build` and `hall-feed verify` apply one check of what the screens can show: errors for
what cannot work, warnings for what will look wrong, each naming the record and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from feed.dev.demo import demo_key_paths
from feed.format.signing import load_public_key
from feed.publish.source import load_source
from feed.schema import Item
from tests.feed.publish_cli import hall_feed
from tests.screen_content import (
    CHINESE_PATH_URL,
    DENSE_URL,
    animated_gif,
    banded_png,
    guide_yaml,
    huge_png,
    image_item,
    item_yaml,
    publish,
    source_with,
)

KEY, PUBKEY = (str(path) for path in demo_key_paths())


def _build(capsys: pytest.CaptureFixture[str], src: Path, out: Path) -> tuple[int, str, str]:
    return hall_feed(capsys, "build", str(src), str(out), "--key", KEY)


def _verify(capsys: pytest.CaptureFixture[str], out: Path) -> tuple[int, str, str]:
    return hall_feed(capsys, "verify", str(out), "--pubkey", PUBKEY)


@pytest.mark.parametrize(
    ("media", "data", "said"),
    [
        ("huge.png", huge_png(), "is 256,000,000 pixels, over the 40,000,000-pixel limit"),
        ("big.png", huge_png(7000), "is 7000×7000 = 49,000,000 pixels, over the 40,000,000-pixel limit"),
        ("animated.gif", animated_gif(), "is an animated GIF: the kiosk shows still pictures only"),
        ("broken.png", b"\x89PNG\r\n\x1a\nnot really", "cannot be decoded as an image"),
        ("tiff.png", b"II*\x00" + b"\x00" * 64, "cannot be decoded as an image"),
    ],
)
def test_images_no_screen_can_show_stop_the_build_and_fail_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], media: str, data: bytes, said: str
) -> None:
    src = source_with(tmp_path, items=image_item("bad-image", media), media={media: data})
    code, out, err = _build(capsys, src, tmp_path / "out")
    assert code == 1 and not out
    assert f"item 'bad-image': images[0].blob: {said}" in err
    assert "screens.yaml:1:" in err  # the file and line of the record
    assert not (tmp_path / "out" / "manifest.json").exists()

    # The same content written by a CMS straight in the feed format: verify finds the same fault.
    publish(src, tmp_path / "cms", checked=False)
    code, _, err = _verify(capsys, tmp_path / "cms")
    assert code == 1
    assert f"item 'bad-image': images[0].blob: {said}" in err


def test_what_will_look_wrong_is_warned_and_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = item_yaml("dense-link", extra=f"  original_url: {DENSE_URL}\n") + item_yaml(
        "missing-glyphs", title="公示：张\U00031350同志"
    )
    guides = guide_yaml("long-step", title="长说明", step_description="很长的办理说明。" * 12500)
    src = source_with(tmp_path, items=items, guides=guides)
    code, out, err = _build(capsys, src, tmp_path / "out")
    assert code == 0 and "built" in out
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert any("item 'dense-link': original_url: its QR code" in w and "withhold" in w for w in warnings)
    assert any(
        "item 'missing-glyphs': title: no font of the kiosk has \U00031350 (U+31350)" in w for w in warnings
    )
    assert any("guide 'long-step': steps[0].description: 100,000 characters" in w for w in warnings)

    code, out, err = _verify(capsys, tmp_path / "out")
    assert code == 0 and "OK" in out
    assert sum(line.startswith("warning: ") for line in err.splitlines()) == len(warnings)


def test_a_clean_source_has_no_findings(tmp_path: Path) -> None:
    from feed.publish.showable import check_showable

    src = source_with(
        tmp_path, items=image_item("long", "long.png"), media={"long.png": banded_png(750, 6000)}
    )
    source = load_source(src)
    assert check_showable(source.records, source.blobs.get) == []


def test_rare_names_need_no_warning_the_fonts_have_them(tmp_path: Path) -> None:
    from feed.publish.showable import check_showable

    source = load_source(source_with(tmp_path, items=item_yaml("names", title="公示：王喆、李堃、陈赟、𬌗")))
    assert check_showable(source.records, source.blobs.get) == []


def test_a_link_with_chinese_in_its_path_is_published_percent_encoded(tmp_path: Path) -> None:
    src = source_with(
        tmp_path, items=item_yaml("chinese-path", extra=f"  original_url: {CHINESE_PATH_URL}\n")
    )
    item = next(r for r in load_source(src).records if r.id == "chinese-path")
    assert isinstance(item, Item)
    assert item.original_url == (
        "https://www.qinghe.example/%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97/"
        "%E4%B8%8D%E5%8A%A8%E4%BA%A7%E7%99%BB%E8%AE%B0?%E4%BA%8B%E9%A1%B9=%E8%BD%AC%E7%A7%BB"
    )


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("https://政务.中国/guide", "must be ASCII: write an internationalised name in punycode"),
        ("https://good.qinghe.example@evil.example/", "must not carry user information"),
        ("https://www.qinghe.example/a\\b", "must not contain spaces, backslashes"),
        ("https://bad_host.example/", "is not a valid host name"),
    ],
)
def test_links_no_phone_should_open_are_refused_by_the_builder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], url: str, said: str
) -> None:
    src = source_with(tmp_path, items=item_yaml("bad-link", extra=f"  original_url: {url!r}\n"))
    code, _, err = _build(capsys, src, tmp_path / "out")
    assert code == 1
    assert "item 'bad-link': original_url:" in err and said in err


def test_verify_reads_the_blob_it_checks_only_once_it_is_verified(tmp_path: Path) -> None:
    """A blob the feed lacks is reported by the hash checks, not by the screen check."""
    src = source_with(tmp_path, items=image_item("gone", "long.png"), media={"long.png": banded_png(10, 10)})
    publish(src, tmp_path / "out")
    source = load_source(src)
    from feed.publish.showable import check_showable

    assert check_showable(source.records, lambda _sha: None) == []
    from feed.publish.verify import verify_feed

    report = verify_feed(tmp_path / "out", load_public_key(Path(PUBKEY)))
    assert report.ok and report.warnings == []
