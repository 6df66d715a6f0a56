"""A borderless window at a fixed desktop position and size: what a sending card mirrors to a wall.

Kivy is imported only when the driver opens, after its environment is set, so nothing else in the
display process pays for (or depends on) a GUI. The player keeps the pacing: each `send` uploads the
frame into a texture and pumps one turn of Kivy's event loop, like `runTouchApp` would.
"""

from __future__ import annotations

import os
from typing import Any

from PIL import Image

from display.config import DisplaySection, WindowOutput
from display.drivers.base import DriverSetupError
from feed import hand_kivy_logging_to_python


def prepare_kivy_environment() -> None:
    """Kivy reads these at import: no argv parsing, its log through the program's handler, no
    ~/.kivy config writes."""
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONFIG", "1")
    hand_kivy_logging_to_python()


FORM = "window"


def from_spec(spec: str, section: DisplaySection) -> WindowDriver:
    return WindowDriver(section.window)


class WindowDriver:
    name = "window"
    every_frame = True

    def __init__(self, placement: WindowOutput) -> None:
        self.placement = placement
        self.frames_shown = 0
        self.closed_by_user = False
        self._window: Any = None
        self._loop: Any = None
        self._texture: Any = None

    def open(self, width: int, height: int, fps: float) -> None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            raise DriverSetupError("window: no screen (DISPLAY is not set); use --output terminal or png:DIR")
        prepare_kivy_environment()
        from kivy.config import Config

        win_w = self.placement.width or width
        win_h = self.placement.height or height
        for key, value in {
            "borderless": "1",
            "resizable": "0",
            "position": "custom",
            "left": str(self.placement.x),
            "top": str(self.placement.y),
            "width": str(win_w),
            "height": str(win_h),
            "maxfps": "0",  # the player paces; Kivy must not sleep on its own
            "vsync": "0",
            "show_cursor": "0",
        }.items():
            Config.set("graphics", key, value)
        Config.set("kivy", "exit_on_escape", "0")

        from kivy.base import EventLoop
        from kivy.core.window import Window
        from kivy.graphics import Color, Rectangle
        from kivy.graphics.texture import Texture

        if Window is None:
            raise DriverSetupError("window: Kivy could not open a window on this display")
        texture = Texture.create(size=(width, height), colorfmt="rgb")
        texture.mag_filter = "nearest"  # a scaled-up panel keeps its square pixels
        texture.min_filter = "nearest"
        texture.flip_vertical()  # Pillow rows run top-down, GL textures bottom-up
        Window.clearcolor = (0, 0, 0, 1)
        with Window.canvas:
            Color(1, 1, 1, 1)
            Rectangle(texture=texture, pos=(0, 0), size=Window.size)
        Window.bind(on_request_close=self._on_request_close)
        EventLoop.ensure_window()
        EventLoop.start()
        self._window, self._loop, self._texture = Window, EventLoop, texture

    def _on_request_close(self, *_args: object) -> bool:
        # A wall controller's window is closed by stopping the process, not by a stray click.
        self.closed_by_user = True
        return True

    def send(self, frame: Image.Image) -> None:
        if self._texture is None:
            raise RuntimeError("window driver used before open()")
        self._texture.blit_buffer(frame.tobytes(), colorfmt="rgb", bufferfmt="ubyte")
        self._window.canvas.ask_update()
        self._loop.idle()
        self._window.mainloop()
        self.frames_shown += 1

    def screenshot(self) -> Image.Image:
        """What the window shows now, read back from the GL framebuffer (for tests)."""
        from kivy.graphics.opengl import GL_RGB, GL_UNSIGNED_BYTE, glReadPixels

        width, height = self._window.size
        data = glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE)
        return Image.frombytes("RGB", (width, height), data).transpose(Image.Transpose.FLIP_TOP_BOTTOM)

    def close(self) -> None:
        if self._loop is not None:
            self._loop.close()
            self._window.close()
            self._loop = self._window = self._texture = None
