"""What every screen shares: a page title, what it asks of the App (the chrome, the idle rule, live
updates), its host (the part of the App a screen may use, kiosk.ui.screens.host), the two hooks
screens fill in (`enter` a route, `forget` a citizen), and the ways a screen leads elsewhere."""

from __future__ import annotations

from typing import Any, ClassVar

from kivy.properties import StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.logic.idle import IdleRule
from kiosk.logic.navigation import Route
from kiosk.ui.screens.host import ScreenHost


class BaseScreen(Screen):
    page_title = StringProperty("")
    chrome: ClassVar[bool] = True  # header and footer shown (the attract loop hides them)
    idle_rule: ClassVar[IdleRule] = "citizen"  # how long without a touch until the session ends
    # True where no citizen reads content that could change under them (the attract loop, the staff
    # status screen): a new snapshot is shown at once, not at the next navigation.
    live_update: ClassVar[bool] = False

    def __init__(self, *, host: ScreenHost, **kwargs: Any) -> None:
        self.host = host  # before the kv rules, which may call into the screen
        super().__init__(**kwargs)
        self.route: Route | None = None

    def enter(self, route: Route) -> None:
        """Show `route`: read what the screen needs from the store."""
        self.route = route

    def forget(self) -> None:
        """The citizen's session ended: drop anything they entered or chose."""

    def end_session(self) -> None:
        """What the App calls when a session ends: the screen forgets, and what it showed no longer
        counts as shown (the next 返回 to it reads it again)."""
        self.route = None
        self.forget()

    def go(self, screen: str, **params: Any) -> None:
        self.host.navigate(Route(screen, params))

    def open_rating(self, subject: str, subject_id: str, title: str, department: str) -> None:
        """好差评 of a guide or an item, with the department that answers for it (a guide's 实施主体,
        an item's 公开主体), so the centre can count ratings by department."""
        self.go("feedback", kind="rating", subject=subject, id=subject_id, title=title, department=department)

    def open(self, route: Route) -> None:
        """A row or tile was touched: show where it leads (one step for 返回)."""
        self.host.navigate(route)

    def turn_page(self, page: int) -> None:
        """Show page `page` of this screen's list: the page is part of the route, so 返回 from a row
        on it comes back here, and turning pages adds no steps to 返回."""
        if self.route is not None:
            self.host.replace(self.route.with_params(page=page))
