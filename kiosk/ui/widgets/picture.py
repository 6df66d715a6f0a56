"""Feed images on the kiosk: decoded off the UI thread within bounds, drawn as GPU-sized bands.

`Picture` shows one stored image at a given width. Decoding runs in one worker thread at a time
(`feed.screen.images.decode_for_screen`: at most IMAGE_MAX_PIXELS, scaled down to what the widest zoom on
this window needs and to the GPU's texture limit, asked of the GL context), so a big image neither
freezes the touch screen nor makes two decodes hold memory at once; the bands become textures on
the UI thread. What cannot be shown says so in place (`problem`), in the same words everywhere.
`PicturePreview` is the inline form on an item page: at most `max_height` of the top of the image,
and a band inviting a touch to open the full-screen viewer (kiosk/ui/screens/image.py).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Color, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.scrollview import ScrollView
from kivy.uix.stencilview import StencilView
from kivy.uix.widget import Widget

from feed import ImageError, ScreenImage, decode_for_screen
from kiosk.ui.kv import load_kv_once
from kiosk.ui.widgets import text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)

MAX_ZOOM = 3.0  # the viewer's largest zoom, relative to the window's width
BAND_ROWS = 4096  # rows per texture, below every GPU's limit that Kivy runs on
TEXTURE_CACHE_BYTES = 192 * 1024 * 1024  # decoded images kept for a revisit (item → viewer → item)

_decoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="picture-decode")
_cache: OrderedDict[tuple[str, int], tuple[list[Texture], int, int, int]] = OrderedDict()
_cache_lock = threading.Lock()


@functools.cache
def max_texture_size() -> int:
    """GL_MAX_TEXTURE_SIZE of the window's GL context (ask on the UI thread, with a window)."""
    from kivy.graphics.opengl import GL_MAX_TEXTURE_SIZE, glGetIntegerv

    return int(glGetIntegerv(GL_MAX_TEXTURE_SIZE)[0])


def decode_width() -> int:
    """How wide an image is decoded at most: the window at the viewer's largest zoom, within the GPU."""
    return max(1, min(max_texture_size(), int(max(Window.width, Window.height) * MAX_ZOOM)))


def _cached(key: tuple[str, int]) -> tuple[list[Texture], int, int, int] | None:
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def _remember(key: tuple[str, int], entry: tuple[list[Texture], int, int, int]) -> None:
    with _cache_lock:
        _cache[key] = entry
        while sum(e[3] for e in _cache.values()) > TEXTURE_CACHE_BYTES and len(_cache) > 1:
            _cache.popitem(last=False)


class Picture(Widget):
    """One image from the offline store, `width` wide (never more than twice its decoded size) and
    as tall as its aspect ratio says. `problem` is "" while all is well, else the reason in Chinese."""

    source = StringProperty("")  # path of the blob in the store
    loading = BooleanProperty(False)
    problem = StringProperty("")
    image_size = ListProperty([0, 0])  # decoded size in px
    textures = ListProperty([])  # one per band, top band first
    max_upscale = NumericProperty(2.0)  # a small image is drawn at most this many times its size

    def __init__(self, **kwargs: Any) -> None:
        self._generation = 0
        self._clipper: Widget | None = None
        self._replace = Clock.create_trigger(self._place, 0)
        super().__init__(**kwargs)
        self.size_hint_y = None
        self.height = 0.0
        self.bind(source=self._load, width=self._place, pos=self._place, textures=self._place)
        self.bind(max_upscale=self._place)

    def _load(self, *_: object) -> None:
        self._generation += 1
        generation = self._generation
        self.textures, self.image_size, self.problem = [], [0, 0], ""
        if not self.source:
            return
        width, rows = decode_width(), min(max_texture_size(), BAND_ROWS)
        key = (self.source, width)
        hit = _cached(key)
        if hit is not None:
            self._show(hit)
            return
        self.loading = True
        path = Path(self.source)

        def work() -> None:
            try:
                decoded: ScreenImage | str = decode_for_screen(path, width, rows)
            except ImageError as exc:
                decoded = exc.chinese
            except OSError:
                decoded = "图片暂不可用"
            Clock.schedule_once(lambda _dt: self._decoded(generation, key, decoded), 0)

        _decoder.submit(work)

    def _decoded(self, generation: int, key: tuple[str, int], decoded: ScreenImage | str) -> None:
        if generation != self._generation:
            return  # the widget shows another image by now
        self.loading = False
        if isinstance(decoded, str):
            self.problem = decoded
            return
        self._upload(generation, key, decoded, [])

    def _upload(
        self, generation: int, key: tuple[str, int], decoded: ScreenImage, done: list[Texture]
    ) -> None:
        """One band per frame: a 4,096-row band takes tens of ms to upload, a whole long image hundreds."""
        if generation != self._generation:
            return
        rows, data = decoded.bands[len(done)]
        texture = Texture.create(size=(decoded.width, rows), colorfmt="rgba")
        texture.blit_buffer(data, colorfmt="rgba", bufferfmt="ubyte")
        texture.flip_vertical()  # bands are top row first; GL textures start at the bottom
        done.append(texture)
        if len(done) < len(decoded.bands):
            self.loading = True
            Clock.schedule_once(lambda _dt: self._upload(generation, key, decoded, done), 0)
            return
        entry = (done, decoded.width, decoded.height, decoded.nbytes)
        _remember(key, entry)
        self._show(entry)

    def _show(self, entry: tuple[list[Texture], int, int, int]) -> None:
        self.loading = False
        textures, width, height, _ = entry
        self.image_size = [width, height]
        self.textures = list(textures)

    @property
    def drawn_size(self) -> tuple[float, float]:
        width, height = self.image_size
        if not width:
            return 0.0, 0.0
        shown = min(self.width, width * self.max_upscale)
        return shown, height * shown / width

    def _clip(self) -> tuple[float, float] | None:
        """(bottom, top) in window pixels of the nearest clipping ancestor (a ScrollView or another
        StencilView), which this picture follows as it scrolls; None when nothing clips it."""
        node = self.parent
        while node is not None and not isinstance(node, StencilView):
            node = node.parent
        if node is None:
            return None
        if node is not self._clipper:
            # A ScrollView moves its content on the frame after scroll_y changes: follow it then.
            if isinstance(self._clipper, ScrollView):
                self._clipper.unbind(scroll_y=self._replace, scroll_x=self._replace)
            if isinstance(node, ScrollView):
                node.bind(scroll_y=self._replace, scroll_x=self._replace)
            self._clipper = node
        _, bottom = node.to_window(node.x, node.y)
        _, top = node.to_window(node.x, node.top)
        margin = top - bottom  # a view's height either side: no band comes in late while scrolling
        return bottom - margin, top + margin

    def _place(self, *_: object) -> None:
        """Draw the bands that are in view: a software renderer pays for every pixel of every quad,
        even where a stencil hides it (all bands of a 20,000-px image took ~400 ms a frame)."""
        shown_width, shown_height = self.drawn_size
        self.height = shown_height
        self.canvas.clear()
        if not self.textures:
            return
        scale = shown_width / self.image_size[0]
        left = round(self.x + (self.width - shown_width) / 2)
        top = self.y + shown_height
        clip = self._clip()
        offset = self.to_window(0, 0)[1] if clip else 0.0  # window y of this picture's y = 0
        with self.canvas:
            Color(1, 1, 1, 1)
            for texture in self.textures:
                band = texture.height * scale
                top -= band
                if clip and (top + offset > clip[1] or top + band + offset < clip[0]):
                    continue
                Rectangle(texture=texture, pos=(left, top), size=(shown_width, band))


class PicturePreview(ButtonBehavior, BoxLayout):
    """An image on an item page: at most `max_height` of its top, a caption, and a touch to open it
    full screen. Shows "［图片无法显示］…" in place of an image that cannot be shown."""

    source = StringProperty("")
    caption = StringProperty("")
    max_height = NumericProperty(400)
    cropped = BooleanProperty(False)  # the image is taller than max_height: only its top shows
