"""Content the screens find hard, on a real kiosk window: long and huge images, QR codes, rare
characters, control characters, long texts and titles. Each feed is built (or, where the builder
would refuse it, written as a CMS would), synced by the real engine and opened with real touches."""

from __future__ import annotations

import gc
import itertools
import resource
from collections.abc import Iterator
from pathlib import Path

import pytest
from kivy.core.text import Label as CoreLabel
from kivy.core.window import Window
from kivy.uix.label import Label
from PIL import Image

from feed.dev.demo import demo_key_paths
from feed.format.signing import load_public_key
from feed.sync import SyncSettings, sync_once
from kiosk.logic.navigation import Route
from kiosk.ui.fonts import FONT_NAME
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk, walk
from tests.screen_content import (
    BAND_COLOURS,
    BAND_PX,
    CHINESE_PATH_URL,
    DENSE_URL,
    LONG_HOT_TITLE,
    RARE_NAMES,
    REVOKED,
    animated_gif,
    banded_png,
    guide_yaml,
    huge_png,
    image_item,
    item_yaml,
    long_catalogue_chain,
    publish,
    source_with,
)

GPU_LIMIT = 16384


def _kiosk(tmp_path: Path, *, checked: bool = True, **content: object) -> Kiosk:
    src = source_with(tmp_path, **content)  # type: ignore[arg-type]
    publish(src, tmp_path / "feed", checked=checked)
    result = sync_once(
        SyncSettings(str(tmp_path / "feed"), tmp_path / "cache", pubkey=load_public_key(demo_key_paths()[1]))
    )
    assert result.ok, result.reason
    return make_kiosk(tmp_path / "cache")


@pytest.fixture
def images(tmp_path: Path) -> Iterator[Kiosk]:
    items = (
        image_item("long-6000", "long-6000.png")
        + image_item("long-20000", "long-20000.png")
        + image_item("animated", "animated.gif", "动图")
        + image_item("huge", "huge.png", "超大图片")
    )
    media = {
        "long-6000.png": banded_png(750, 6000),
        "long-20000.png": banded_png(750, 20000),
        "animated.gif": animated_gif(),
        "huge.png": huge_png(),
    }
    harness = _kiosk(tmp_path, checked=False, items=items, media=media)
    try:
        yield harness
    finally:
        harness.close()


def _open_item(kiosk: Kiosk, item_id: str) -> None:
    kiosk.app.start_session()
    kiosk.app.navigate(Route("item", {"id": item_id}))
    kiosk.settle(frames=6)


def _picture_loaded(kiosk: Kiosk, screen: str = "item") -> object:
    from kiosk.ui.widgets.picture import Picture

    pictures = [w for w in walk(kiosk.app.screen(screen)) if isinstance(w, Picture)]
    assert pictures, "no picture on the screen"
    assert kiosk.settle_until(lambda: not pictures[0].loading, timeout=30)
    return pictures[0]


def _pixel(x: float, y: float, tmp: Path) -> tuple[int, int, int]:
    """The colour on the glass at window coordinates (origin bottom left)."""
    Window.canvas.ask_update()
    shot = Window.screenshot(name=str(tmp / "shot.png"))
    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        return rgb.getpixel((int(x), rgb.height - 1 - int(y)))  # type: ignore[return-value]


def _close(colour: tuple[int, int, int], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))


def test_long_infographic_previews_readably_and_opens_full_screen(images: Kiosk, tmp_path: Path) -> None:
    _open_item(images, "long-6000")
    picture = _picture_loaded(images)
    preview = picture.parent.parent  # type: ignore[attr-defined]
    column = images.app.screen("item").ids.images.width
    assert picture.width >= column * 0.9  # type: ignore[attr-defined]
    assert picture.height > 6000 * picture.width / 750 - 2  # type: ignore[attr-defined]
    assert preview.cropped and preview.height < Window.height  # the top of it, not a 40-px strip

    images.tap(preview)
    assert images.screen == "image"
    viewer = images.app.screen("image")
    full = _picture_loaded(images, "image")
    scroller = viewer.ids.scroller
    assert full.width == pytest.approx(scroller.width)  # type: ignore[attr-defined]
    assert full.height == pytest.approx(6000 * scroller.width / 750, rel=0.01)  # type: ignore[attr-defined]
    images.settle(frames=4)
    Window.screenshot(name=str(tmp_path / "viewer-top.png"))

    scroller.scroll_y = 0  # the bottom of the image: its last band
    images.settle(frames=4)
    x, y = scroller.to_window(scroller.center_x, scroller.y + 10)
    assert _close(_pixel(x, y, tmp_path), BAND_COLOURS[(6000 // BAND_PX - 1) % len(BAND_COLOURS)])

    images.tap(viewer.ids.zoom_in)
    assert viewer.zoom > 1 and full.width > scroller.width  # type: ignore[attr-defined]
    images.tap(images.app.chrome.footer.ids.back)
    assert images.screen == "item"


def test_very_long_image_is_drawn_in_bands_the_gpu_holds(images: Kiosk, tmp_path: Path) -> None:
    _open_item(images, "long-20000")
    images.tap(_picture_loaded(images).parent.parent)  # type: ignore[attr-defined]
    full = _picture_loaded(images, "image")
    textures = full.textures  # type: ignore[attr-defined]
    assert len(textures) >= 2
    assert all(t.width <= GPU_LIMIT and t.height <= GPU_LIMIT for t in textures)
    scroller = images.app.screen("image").ids.scroller
    # A band in the middle of the image, drawn in its colour (a texture over the limit drew black).
    middle_band = 20000 // 2 // BAND_PX
    band_top = middle_band * BAND_PX + BAND_PX // 2
    scale = full.height / 20000  # type: ignore[attr-defined]
    content_y = full.height - band_top * scale  # type: ignore[attr-defined]
    scroller.scroll_y = max(
        0.0, min(1.0, (content_y - scroller.height / 2) / (full.height - scroller.height))
    )  # type: ignore[attr-defined]
    images.settle(frames=4)
    Window.screenshot(name=str(tmp_path / "viewer-middle.png"))
    x, y = scroller.to_window(scroller.center_x, scroller.center_y)
    assert _close(_pixel(x, y, tmp_path), BAND_COLOURS[middle_band % len(BAND_COLOURS)])


def _rss_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def test_huge_png_is_refused_in_place_without_decoding_it(images: Kiosk) -> None:
    gc.collect()
    before = _rss_mib()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    _open_item(images, "huge")
    images.settle(seconds=1.0, frames=8)
    assert _rss_mib() - before < 150
    # The peak too: decoding would have needed 256 MB (greyscale) to 1 GB (RGBA).
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - max(peak_before, before) < 150
    picture = _picture_loaded(images)
    assert picture.problem == "图片像素过多，无法显示"  # type: ignore[attr-defined]
    assert any(text.startswith("［图片无法显示］图片像素过多") for text in images.texts())


def test_animated_gif_shows_its_first_frame(images: Kiosk, tmp_path: Path) -> None:
    _open_item(images, "animated")
    picture = _picture_loaded(images)
    assert not picture.problem and picture.textures  # type: ignore[attr-defined]
    images.settle(frames=4)
    x, y = picture.to_window(picture.center_x, picture.center_y)  # type: ignore[attr-defined]
    assert _close(_pixel(x, y, tmp_path), (220, 20, 20))


# ----------------------------------------------------------------------------- QR codes


@pytest.fixture
def links(tmp_path: Path) -> Iterator[Kiosk]:
    items = item_yaml("chinese-path", extra=f"  original_url: {CHINESE_PATH_URL}\n") + item_yaml(
        "dense", extra=f"  original_url: {DENSE_URL}\n"
    )
    harness = _kiosk(tmp_path, items=items)
    try:
        yield harness
    finally:
        harness.close()


def _runs(row: list[bool]) -> list[int]:
    runs, count = [], 1
    for before, after in itertools.pairwise(row):
        if after == before:
            count += 1
        else:
            runs.append(count)
            count = 1
    runs.append(count)
    return runs


def test_chinese_path_gets_a_code_with_equal_whole_pixel_modules(links: Kiosk, tmp_path: Path) -> None:
    from pyzbar.pyzbar import decode

    from feed.screen.links import MIN_MODULE_PX

    _open_item(links, "chinese-path")
    qr = links.app.screen("item").ids.qr
    assert qr.shown
    encoded = "https://www.qinghe.example/%E5%8A%9E%E4%BA%8B%E6%8C%87%E5%8D%97/"
    assert qr.url.startswith(encoded)
    symbol = qr.ids.image
    module = symbol.module_px
    assert module >= MIN_MODULE_PX and module == int(module)

    links.settle(frames=4)
    shot = Window.screenshot(name=str(tmp_path / "qr.png"))
    with Image.open(shot) as image:
        grey = image.convert("L")
        assert {s.data.decode() for s in decode(grey)} == {qr.url}
        # Every row through the code: dark and light runs are whole multiples of one module size.
        left, bottom, side = symbol.window_box()
        assert side == module * symbol.texture.width
        top = grey.height - bottom - side
        for y in range(top + side // 3, top + side * 2 // 3, module):
            row = [grey.getpixel((x, y)) < 128 for x in range(left, left + side)]  # type: ignore[operator]
            assert all(run % module == 0 for run in _runs(row)), (y, _runs(row))


def test_too_dense_code_is_withheld_and_listed(links: Kiosk) -> None:
    _open_item(links, "dense")
    qr = links.app.screen("item").ids.qr
    assert qr.url == "https://zwfw.qinghe.example/feed/m/i/dense.html"  # the phone page instead
    assert "二维码过密" in (links.app.qr_withheld.reason(DENSE_URL) or "")
    links.app.navigate(Route("admin"))
    links.settle(frames=6)
    assert any(text.startswith(DENSE_URL) and "二维码过密" in text for text in links.texts())


# ----------------------------------------------------------------------------- text


def _pixels(label: Label) -> bytes:
    label.texture_update()
    texture = label.texture
    assert texture is not None
    return bytes(texture.pixels)


def _tofu() -> bytes:
    core = CoreLabel(text="\U000f0000", font_name=FONT_NAME, font_size=40)
    core.refresh()
    return bytes(core.texture.pixels)


def test_rare_and_missing_characters_are_drawn_not_boxed(kiosk: Kiosk) -> None:
    from kiosk.ui.widgets.text import KLabel

    tofu = _tofu()
    for text in ("喆", "堃", "赟", "\u9ff0"):  # the last only in the fallback font
        label = KLabel(text=text, font_size=40, width=200)
        assert _pixels(label) != tofu, text
    nowhere = KLabel(text="\U00031350", font_size=40, width=200)  # in no bundled font
    marked = KLabel(text="〓", font_size=40, width=200)
    assert _pixels(nowhere) == _pixels(marked)


@pytest.fixture
def texts(tmp_path: Path) -> Iterator[Kiosk]:
    items = item_yaml("names", title=f"公示：{RARE_NAMES}", body=f"拟任人选：{RARE_NAMES}。")
    guides = guide_yaml("long-step", title="超长说明的事项", step_description="很长的办理说明。" * 12500) + ""
    harness = _kiosk(tmp_path, checked=False, items=items, guides=guides)
    try:
        yield harness
    finally:
        harness.close()


def test_nul_in_a_body_hides_nothing_after_it(texts: Kiosk) -> None:
    """What a store could hold whatever the builder refuses: a NUL ended the text it was in."""
    _open_item(texts, "names")
    body = texts.app.screen("item").ids.body
    body.source = f"拟任人选：{RARE_NAMES}。\x00{REVOKED}"
    texts.settle(frames=4)
    assert any(REVOKED in line for line in body.wrapped_lines)
    label = next(child for child in body.children if REVOKED in child.text)
    line = next(line for line in label.text.split("\n") if REVOKED in line)
    from kiosk.ui.widgets.text import measurer

    # The ink reaches as far right as the whole line, NUL removed (SDL_ttf stops drawing at a NUL).
    full = measurer(label.font_name, label.font_size)(line.replace("\x00", ""))
    assert _ink_right(label) >= full - label.font_size


def _ink_right(label: Label) -> int:
    """The rightmost column of the label's texture with any ink in it."""
    texture = label.texture
    width, pixels = texture.width, bytes(texture.pixels)
    alphas = pixels[3::4]
    right = 0
    for row in range(texture.height):
        line = alphas[row * width : (row + 1) * width].rstrip(b"\x00")
        right = max(right, len(line))
    return right


def test_hundred_thousand_character_step_is_laid_out_in_pieces(texts: Kiosk) -> None:
    gc.collect()
    before = _rss_mib()
    texts.app.start_session()
    texts.app.navigate(Route("guide", {"id": "long-step"}))
    screen = texts.app.screen("guide")
    screen.finish_building()
    texts.settle(seconds=0.5, frames=8)
    labels = [w for w in walk(screen) if isinstance(w, Label) and w.texture is not None]
    assert max(w.texture.height for w in labels) < 4096
    assert any("内容较长，此处仅显示开头部分" in text for text in texts.texts())
    assert _rss_mib() - before < 300


# ----------------------------------------------------------------------------- titles


@pytest.fixture
def titles(tmp_path: Path) -> Iterator[Kiosk]:
    guides = guide_yaml("long-hot", title=LONG_HOT_TITLE, hot=True)
    harness = _kiosk(tmp_path, guides=guides)
    try:
        yield harness
    finally:
        harness.close()


def test_long_hot_service_title_stays_inside_its_button(titles: Kiosk, tmp_path: Path) -> None:
    titles.app.start_session()
    titles.settle(frames=6)
    hot = titles.app.screen("home").ids.hot
    button = next(b for b in hot.children if b.key == "long-hot")
    assert button.texture_size[1] <= button.height
    drawn = button._label.text
    assert drawn.endswith("…") and drawn.count("\n") == 1
    Window.screenshot(name=str(tmp_path / "home-long-title.png"))


def test_long_catalogue_path_keeps_to_one_line(tmp_path: Path) -> None:
    harness = _kiosk(tmp_path, catalog_nodes=long_catalogue_chain())
    try:
        harness.app.start_session()
        harness.app.navigate(Route("catalogue", {"domain": "government", "node": "gov.long.2"}))
        harness.settle(frames=8)
        screen = harness.app.screen("catalogue")
        label = screen.ids.breadcrumb_label
        line = CoreLabel(text="政", font_name=label.font_name, font_size=label.font_size, bold=True)
        line.refresh()
        assert label.texture_size[1] < line.texture.height * 1.6  # one line
        assert "…" in screen.breadcrumb and screen.breadcrumb.startswith("政务公开")
        listing = screen.ids.listing
        assert listing.top <= label.y + 1 and listing.y >= 0
        assert "本栏目暂无公开信息" in harness.texts()  # the (empty) list is still on screen
        Window.screenshot(name=str(tmp_path / "breadcrumb.png"))
    finally:
        harness.close()
