"""The citizen session: start, idle expiry, and a reset that forgets everything."""

from __future__ import annotations

from collections.abc import Sequence

from feed.api import SearchHit
from kiosk.logic.idle import IdlePhase, IdleTimer
from kiosk.logic.navigation import Navigator, Route
from kiosk.logic.search import SearchState
from kiosk.logic.session import ATTRACT, HOME, CitizenSession


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def _search(query: str, limit: int) -> Sequence[SearchHit]:
    return [SearchHit("guide", "bdc", "不动产登记", 1.0, "initials")] if query.startswith("b") else []


def _session(clock: Clock, elderly_default: bool = False) -> CitizenSession:
    return CitizenSession(
        Navigator(HOME),
        SearchState(_search),
        IdleTimer(60, 10, now=clock),
        elderly_default=elderly_default,
    )


def test_starts_in_the_attract_loop_with_the_timer_stopped() -> None:
    clock = Clock()
    session = _session(clock)
    assert session.navigator.current == ATTRACT and not session.active
    clock.t += 10_000
    assert session.tick().phase is IdlePhase.SUSPENDED


def test_a_full_visit_then_idle_expiry_clears_every_trace() -> None:
    clock = Clock()
    session = _session(clock)
    resets: list[int] = []
    session.on_reset(lambda s: resets.append(s.generation))
    session.start()
    assert session.navigator.current == HOME and session.active

    # The citizen does everything there is to do.
    session.toggle_elderly()
    session.navigator.push(Route("guide", {"id": "bdc"}))
    session.navigator.push(Route("search"))
    session.search.type_key("b")
    rating = session.start_rating("guide", "bdc", "不动产登记")
    rating.select_level(1)
    rating.toggle_reason("rude")
    rating.phone.type_digit("1")
    session.suggestion_form().toggle_topic("queue")
    session.disclosure_form().choose_node("gov.fees", "收费项目")
    assert session.elderly and session.has_drafts() and session.search.results

    clock.t += 49
    session.touch()
    clock.t += 55
    assert session.tick().phase is IdlePhase.WARNING
    clock.t += 5
    assert session.tick().phase is IdlePhase.EXPIRED

    assert not session.active
    assert session.navigator.history() == (ATTRACT,)
    assert not session.elderly
    assert session.search.query == "" and session.search.results == ()
    assert not session.has_drafts()
    assert session.rating_form().level is None and session.rating_form().phone.digits == ""
    assert session.suggestion_form().selected == frozenset()
    assert session.disclosure_form().node is None
    assert resets == [1]
    # The attract loop does not count down, and the next citizen starts afresh.
    clock.t += 1000
    assert session.tick().phase is IdlePhase.SUSPENDED
    session.start()
    assert session.tick().phase is IdlePhase.ACTIVE


def test_elderly_default_is_restored_on_reset_and_listeners_hear_changes() -> None:
    session = _session(Clock(), elderly_default=True)
    changes: list[bool] = []
    session.on_elderly(lambda s: changes.append(s.elderly))
    session.start()
    assert session.elderly
    session.set_elderly(False)
    session.reset()
    assert session.elderly
    assert changes == [False, True]


def test_touch_in_the_attract_loop_does_not_start_the_clock() -> None:
    clock = Clock()
    session = _session(clock)
    session.touch()
    clock.t += 100
    assert session.tick().phase is IdlePhase.SUSPENDED


def test_drafts_survive_navigation_until_discarded() -> None:
    session = _session(Clock())
    session.start()
    form = session.suggestion_form()
    form.toggle_topic("hours")
    session.navigator.push(Route("home"))
    assert session.suggestion_form() is form
    session.discard_form("suggestion")
    assert session.suggestion_form() is not form


def test_a_disclosure_request_about_a_node_starts_a_fresh_draft() -> None:
    session = _session(Clock())
    session.disclosure_form().toggle_topic("budget")  # an earlier draft, about topics only
    form = session.start_disclosure_request("gov.finance", "财政预决算")
    assert form.node == ("gov.finance", "财政预决算") and form.selected == frozenset()
    assert session.disclosure_form() is form  # the draft the 点题公开 tab shows
    assert form.problems() == []  # the node alone is a complete request
