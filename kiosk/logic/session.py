"""The current citizen: everything they entered, and the one place that forgets it all.

`tick()` is called by the app once a second (or more): on idle expiry it resets the session, which
clears elderly mode, the search, every form draft and the history, and goes back to the attract loop.
"""

from __future__ import annotations

from collections.abc import Callable

from kiosk.logic.feedback import DisclosureRequestForm, FormKind, RatingForm, SuggestionForm
from kiosk.logic.idle import IdleState, IdleTimer
from kiosk.logic.navigation import Navigator, Route
from kiosk.logic.search import SearchState

ATTRACT = Route("attract")
HOME = Route("home")

Listener = Callable[["CitizenSession"], None]


class CitizenSession:
    """Owns the per-citizen state the screens bind to.

    Listeners added with `on_reset` run after a reset; `on_elderly` after the elderly mode changes.
    """

    def __init__(
        self,
        navigator: Navigator,
        search: SearchState,
        idle: IdleTimer,
        *,
        elderly_default: bool = False,
        attract: Route = ATTRACT,
        home: Route = HOME,
    ) -> None:
        raise NotImplementedError

    navigator: Navigator
    search: SearchState
    idle: IdleTimer

    @property
    def elderly(self) -> bool:
        raise NotImplementedError

    def set_elderly(self, on: bool) -> None:
        raise NotImplementedError

    def toggle_elderly(self) -> bool:
        raise NotImplementedError

    @property
    def generation(self) -> int:
        """Increases at every reset, so a screen can tell its cached state belongs to someone else."""
        raise NotImplementedError

    @property
    def active(self) -> bool:
        """True between start() and the next reset (i.e. not in the attract loop)."""
        raise NotImplementedError

    def start(self) -> None:
        """A touch on the attract loop: go home and start the idle countdown."""
        raise NotImplementedError

    def touch(self) -> None:
        """Any touch while active restarts the idle countdown."""
        raise NotImplementedError

    def tick(self) -> IdleState:
        """Check the idle timer; on expiry, reset. Returns the state seen (for the countdown)."""
        raise NotImplementedError

    def reset(self) -> None:
        """Forget the citizen: elderly mode, search, drafts, history; show the attract loop."""
        raise NotImplementedError

    def rating_form(self) -> RatingForm:
        """The rating draft, created on first use and kept until submitted or reset."""
        raise NotImplementedError

    def suggestion_form(self) -> SuggestionForm:
        raise NotImplementedError

    def disclosure_form(self) -> DisclosureRequestForm:
        raise NotImplementedError

    def discard_form(self, kind: FormKind) -> None:
        """Drop a draft (after it was submitted, or the citizen cancelled)."""
        raise NotImplementedError

    def has_drafts(self) -> bool:
        raise NotImplementedError

    def on_reset(self, listener: Listener) -> None:
        raise NotImplementedError

    def on_elderly(self, listener: Listener) -> None:
        raise NotImplementedError
