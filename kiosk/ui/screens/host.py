"""What a screen may use of the app that shows it: the one surface between the screens and the App.

`kiosk.app.KioskApp` implements it and hands itself to each screen it builds; screens import this
protocol, never the App, so the App can import the screens without a cycle, and a screen that needs
something new says so here. kv rules still bind to `app.style` (the theme and layout as Kivy
properties), which is part of this surface.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from feed import ContentReader, Outbox
    from kiosk.config import KioskAppConfig
    from kiosk.logic.admin import PinGate
    from kiosk.logic.catalog_view import CatalogTree
    from kiosk.logic.navigation import Route
    from kiosk.logic.printing import PrintResult, PrintService
    from kiosk.logic.qr import WithheldLinks
    from kiosk.logic.search import SearchState
    from kiosk.logic.session import CitizenSession
    from kiosk.logic.staff_actions import StaffActions
    from kiosk.ui.style import Style
    from kiosk.ui.widgets.qr_code import QrCode


@runtime_checkable
class ScreenHost(Protocol):
    # --------------------------------------------------------- what screens read
    @property
    def kiosk_config(self) -> KioskAppConfig: ...

    @property
    def reader(self) -> ContentReader:
        """The offline store (never the network)."""

    @property
    def style(self) -> Style:
        """Sizes and colours of the current theme and layout."""

    @property
    def session(self) -> CitizenSession:
        """The current citizen: form drafts, 长辈模式, reset."""

    @property
    def search(self) -> SearchState: ...

    @property
    def catalog_tree(self) -> CatalogTree:
        """The 公开目录 index of the snapshot shown."""

    # ------------------------------------------------------- what screens do
    def navigate(self, route: Route) -> None:
        """Show `route` as a new step (返回 comes back)."""

    def replace(self, route: Route) -> None:
        """Show `route` in place of the current one (another page, another tab)."""

    def start_session(self) -> None:
        """A touch on the attract loop: a citizen's turn begins on the home screen."""

    @property
    def printing(self) -> PrintService | None:
        """The print path ([printer]); None without a printer."""

    @property
    def can_print(self) -> bool:
        """A printer is configured ([printer]): guide and item pages offer 打印."""

    def print_record(self, kind: str, record_id: str, on_result: Callable[[PrintResult], None]) -> bool:
        """Print the guide or item off the UI thread; `on_result` is called on the UI thread with how
        it ended. False (and no call) when there is no printer or no such record."""

    def print_document(
        self, pdf: bytes, pages: int, title: str, on_result: Callable[[PrintResult], None]
    ) -> bool:
        """Print an attached form's PDF as it is, like `print_record`."""

    @property
    def can_read_aloud(self) -> bool:
        """A voice is configured ([speech]): guide and item pages offer 朗读."""

    def read_aloud(self, parts: list[str], on_state: Callable[[bool], None]) -> None:
        """Read `parts` aloud, stopping any other reading first; `on_state` (on the UI thread) says when
        this reading starts and ends."""

    def stop_reading(self) -> None:
        """End any reading now."""

    def show_qr(
        self, widget: QrCode, url: str | None, caption: str, page: tuple[str, str] | None = None
    ) -> bool:
        """Draw `url` as a code in `widget` if the QR policy allows it (else hide it and note why); for
        a record (`page` = (kind, id)) its phone page when its own link is refused; True when a code
        is shown."""

    # ------------------------------------------------------- feedback
    @property
    def outbox(self) -> Outbox | None:
        """Where submissions go; None when this kiosk cannot store them (see `outbox_problem`)."""

    @property
    def outbox_problem(self) -> str | None: ...

    def deliver_now(self) -> None:
        """A submission was stored: wake the delivery to the centre."""

    # ------------------------------------------------------- staff screens
    @property
    def pin_gate(self) -> PinGate: ...

    @property
    def staff(self) -> StaffActions:
        """立即同步 and 从U盘更新, and what the last one said."""

    @property
    def qr_withheld(self) -> WithheldLinks: ...

    @property
    def font_file(self) -> Path | None: ...

    @property
    def version(self) -> str: ...

    def exit_kiosk(self) -> None:
        """退出程序: the only way out of the app."""
