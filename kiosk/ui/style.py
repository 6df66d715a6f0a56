"""The current theme and layout as Kivy properties, so every kv rule re-evaluates on a switch.

Screens bind to `app.style.<name>`; switching 长辈模式 or the layout assigns new values here and
Kivy redraws what depends on them. Sizes are in pixels (dp already applied, layout scale included).
"""

from __future__ import annotations

from kivy.event import EventDispatcher
from kivy.metrics import dp
from kivy.properties import BooleanProperty, ColorProperty, NumericProperty, StringProperty

from kiosk.logic.layout import Layout
from kiosk.logic.theme import Theme, kivy_rgba
from kiosk.ui.fonts import FONT_NAME


class Style(EventDispatcher):
    font_name = StringProperty(FONT_NAME)
    layout_name = StringProperty("tablet")
    elderly = BooleanProperty(False)
    side_panel = BooleanProperty(False)

    small = NumericProperty(dp(16))
    body = NumericProperty(dp(20))
    button = NumericProperty(dp(20))
    heading = NumericProperty(dp(24))
    title = NumericProperty(dp(32))
    line_height = NumericProperty(1.4)
    touch = NumericProperty(dp(56))
    row = NumericProperty(dp(72))
    spacing = NumericProperty(dp(12))
    padding = NumericProperty(dp(16))
    radius = NumericProperty(dp(10))
    header = NumericProperty(dp(64))
    footer = NumericProperty(dp(76))
    qr = NumericProperty(dp(200))
    qr_min = NumericProperty(dp(150))  # the smallest code space of the layout: see Layout.qr_min_dp
    tile_columns = NumericProperty(4)
    tile_height = NumericProperty(dp(140))
    hot_row = NumericProperty(dp(64))
    hot_columns = NumericProperty(2)
    home_latest = NumericProperty(0)
    keyboard_columns = NumericProperty(10)
    page_size = NumericProperty(8)

    background = ColorProperty((0.96, 0.97, 0.98, 1))
    surface = ColorProperty((1, 1, 1, 1))
    text = ColorProperty((0.1, 0.1, 0.1, 1))
    text_muted = ColorProperty((0.3, 0.33, 0.38, 1))
    primary = ColorProperty((0.04, 0.29, 0.56, 1))
    text_on_primary = ColorProperty((1, 1, 1, 1))
    accent = ColorProperty((0.1, 0.5, 0.23, 1))
    text_on_accent = ColorProperty((1, 1, 1, 1))
    warning = ColorProperty((0.7, 0.33, 0.03, 1))
    danger = ColorProperty((0.72, 0.11, 0.11, 1))
    status_bar = ColorProperty((0.03, 0.23, 0.45, 1))
    text_on_status_bar = ColorProperty((1, 1, 1, 1))
    divider = ColorProperty((0.84, 0.86, 0.89, 1))
    pressed = ColorProperty((0.9, 0.93, 0.97, 1))

    def apply(self, theme: Theme, layout: Layout) -> None:
        """Take sizes from the theme (scaled for the layout) and colours from its palette."""
        scale = layout.font_scale
        fonts = theme.fonts
        self.layout_name = layout.name
        self.elderly = theme.elderly
        self.side_panel = layout.side_panel
        self.small = dp(fonts.small * scale)
        self.body = dp(fonts.body * scale)
        self.button = dp(fonts.button * scale)
        self.heading = dp(fonts.heading * scale)
        self.title = dp(fonts.title * scale)
        self.line_height = theme.line_height
        self.touch = dp(theme.touch_target_dp * scale)
        self.row = max(dp(layout.row_height_dp * (1.25 if theme.elderly else 1.0)), self.touch)
        self.spacing = dp(theme.spacing_dp * scale)
        self.padding = dp(theme.padding_dp * scale)
        self.header = max(dp(60 * scale), self.title * 1.7)
        self.footer = max(self.touch + 2 * self.spacing, dp(72 * scale))
        self.qr = dp(layout.qr_size_dp)
        self.qr_min = dp(layout.qr_min_dp)
        self.tile_columns = max(2, layout.tile_columns - 1) if theme.elderly else layout.tile_columns
        self.tile_height = max(
            self.touch * 1.8,
            self.heading * 1.15 * (2.6 if theme.elderly else 3.6),
            dp(layout.tile_height_dp),
        )
        self.hot_row = max(self.touch * 1.1, self.button * 1.3 * 2 + dp(12), dp(layout.hot_row_dp))
        self.hot_columns = layout.hot_columns
        self.home_latest = layout.home_latest
        self.keyboard_columns = layout.keyboard_columns
        self.page_size = max(3, layout.page_size - (2 if theme.elderly else 0))
        palette = theme.palette
        for name in (
            "background",
            "surface",
            "text",
            "text_muted",
            "primary",
            "text_on_primary",
            "accent",
            "text_on_accent",
            "warning",
            "danger",
            "status_bar",
            "text_on_status_bar",
        ):
            source = name.removeprefix("text_") if name.startswith("text_on_") else name
            setattr(self, name, kivy_rgba(getattr(palette, source)))
        self.divider = _mix(self.surface, self.text, 0.16)
        self.pressed = _mix(self.surface, self.primary, 0.12)


def _mix(
    base: tuple[float, ...] | list[float], other: tuple[float, ...] | list[float], amount: float
) -> tuple[float, float, float, float]:
    r, g, b = (base[i] * (1 - amount) + other[i] * amount for i in range(3))
    return (r, g, b, 1.0)


_fallback: Style | None = None


def current_style() -> Style:
    """The running app's style (a default one when widgets are used without the app)."""
    from kivy.app import App

    app = App.get_running_app()
    style = getattr(app, "style", None)
    if isinstance(style, Style):
        return style
    global _fallback  # noqa: PLW0603 - one shared default, created lazily
    if _fallback is None:
        _fallback = Style()
    return _fallback
