"""The current citizen: everything they entered, and the one place that forgets it all.

`tick()` is called by the app once a second (or more): on idle expiry it resets the session, which
clears elderly mode, the search, every form draft and the history, and goes back to the attract loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.logic.idle import IdlePhase, IdleState, IdleTimer
from kiosk.logic.navigation import Navigator, Route
from kiosk.logic.search import SearchState

if TYPE_CHECKING:
    # The forms are imported when a citizen first opens one, not at the kiosk's cold start.
    from kiosk.logic.feedback import (
        DisclosureRequestForm,
        FormKind,
        RatingForm,
        SubjectKind,
        SuggestionForm,
    )

ATTRACT = Route("attract")
HOME = Route("home")

Listener = Callable[["CitizenSession"], None]


class CitizenSession:
    """Owns the per-citizen state the screens bind to.

    Listeners added with `on_reset` run after a reset; `on_elderly` after the elderly mode changes.
    It starts in the attract loop with the idle timer suspended; `start()` begins a citizen's turn
    (the navigator's home route is the home screen).
    """

    def __init__(
        self,
        navigator: Navigator,
        search: SearchState,
        idle: IdleTimer,
        *,
        elderly_default: bool = False,
        attract: Route = ATTRACT,
    ) -> None:
        self.navigator = navigator
        self.search = search
        self.idle = idle
        self._elderly_default = elderly_default
        self._elderly = elderly_default
        self._attract = attract
        self._generation = 0
        self._drafts: dict[FormKind, RatingForm | SuggestionForm | DisclosureRequestForm] = {}
        self._reset_listeners: list[Listener] = []
        self._elderly_listeners: list[Listener] = []
        self._active = False
        idle.suspend()
        navigator.reset_to(attract)

    navigator: Navigator
    search: SearchState
    idle: IdleTimer

    @property
    def elderly(self) -> bool:
        return self._elderly

    def set_elderly(self, on: bool) -> None:
        if on != self._elderly:
            self._elderly = on
            for listener in list(self._elderly_listeners):
                listener(self)

    def toggle_elderly(self) -> bool:
        self.set_elderly(not self._elderly)
        return self._elderly

    @property
    def generation(self) -> int:
        """Increases at every reset, so a screen can tell its cached state belongs to someone else."""
        return self._generation

    @property
    def active(self) -> bool:
        """True between start() and the next reset (i.e. not in the attract loop)."""
        return self._active

    def start(self) -> None:
        """A touch on the attract loop: go home and start the idle countdown."""
        self._active = True
        self.idle.resume()
        self.navigator.home()

    def touch(self) -> None:
        """Any touch while active restarts the idle countdown."""
        if self._active:
            self.idle.touch()

    def tick(self) -> IdleState:
        """Check the idle timer; on expiry, reset. Returns the state seen (for the countdown)."""
        state = self.idle.state()
        if state.phase is IdlePhase.EXPIRED:
            self.reset()
        return state

    def reset(self) -> None:
        """Forget the citizen: elderly mode, search, drafts, history; show the attract loop."""
        self._active = False
        self.idle.suspend()
        self._drafts.clear()
        self.search.forget()
        self.set_elderly(self._elderly_default)
        self._generation += 1
        self.navigator.reset_to(self._attract)
        for listener in list(self._reset_listeners):
            listener(self)

    def rating_form(self) -> RatingForm:
        """The rating draft, created on first use and kept until submitted or reset."""
        from kiosk.logic.feedback import RatingForm

        form = self._drafts.get("rating")
        if not isinstance(form, RatingForm):
            form = self._drafts["rating"] = RatingForm()
        return form

    def suggestion_form(self) -> SuggestionForm:
        from kiosk.logic.feedback import SuggestionForm

        form = self._drafts.get("suggestion")
        if not isinstance(form, SuggestionForm):
            form = self._drafts["suggestion"] = SuggestionForm()
        return form

    def disclosure_form(self) -> DisclosureRequestForm:
        from kiosk.logic.feedback import DisclosureRequestForm

        form = self._drafts.get("disclosure_request")
        if not isinstance(form, DisclosureRequestForm):
            form = self._drafts["disclosure_request"] = DisclosureRequestForm()
        return form

    def start_rating(
        self, subject_kind: SubjectKind, subject_id: str, subject_title: str, subject_department: str = ""
    ) -> RatingForm:
        """A fresh rating draft about a given subject (e.g. from a guide's 评价 button), with the
        department that answers for it."""
        from kiosk.logic.feedback import RatingForm

        form = self._drafts["rating"] = RatingForm(
            subject_kind, subject_id, subject_title, subject_department
        )
        return form

    def start_disclosure_request(self, node_id: str, node_title: str) -> DisclosureRequestForm:
        """A fresh 点题公开 draft about a catalogue node (from the catalogue's 建议多公开（点题公开）)."""
        from kiosk.logic.feedback import DisclosureRequestForm

        form = self._drafts["disclosure_request"] = DisclosureRequestForm()
        form.choose_node(node_id, node_title)
        return form

    def discard_form(self, kind: FormKind) -> None:
        """Drop a draft (after it was submitted, or the citizen cancelled)."""
        self._drafts.pop(kind, None)

    def has_drafts(self) -> bool:
        return bool(self._drafts)

    def on_reset(self, listener: Listener) -> None:
        self._reset_listeners.append(listener)

    def on_elderly(self, listener: Listener) -> None:
        self._elderly_listeners.append(listener)
