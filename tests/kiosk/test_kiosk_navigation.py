"""Navigator history: push, back, home, reset, bounds and listeners."""

from __future__ import annotations

import pytest

from kiosk.logic.navigation import NavigationChange, Navigator, Route

HOME = Route("home")


def test_push_back_and_home() -> None:
    nav = Navigator(HOME)
    assert nav.current == HOME and nav.depth == 1 and not nav.can_go_back
    nav.push(Route("guides", {"department": "不动产登记中心"}))
    nav.push(Route("guide", {"id": "realestate-transfer"}))
    assert nav.depth == 3 and nav.can_go_back
    assert nav.current.param("id") == "realestate-transfer"
    assert nav.back() == Route("guides", {"department": "不动产登记中心"})
    nav.push(Route("search"))
    nav.home()
    assert nav.history() == (HOME,)
    assert nav.back() == HOME  # back at the bottom stays


def test_double_tap_does_not_stack_the_same_screen() -> None:
    nav = Navigator(HOME)
    nav.push(Route("guide", {"id": "a"}))
    nav.push(Route("guide", {"id": "a"}))
    assert nav.depth == 2
    nav.push(Route("guide", {"id": "b"}))
    assert nav.depth == 3


def test_history_is_bounded_and_keeps_the_bottom() -> None:
    nav = Navigator(HOME, max_depth=5)
    for number in range(100):
        nav.push(Route("item", {"id": f"item-{number}"}))
    assert nav.depth == 5
    assert nav.history()[0] == HOME
    assert [r.param("id") for r in nav.history()[1:]] == ["item-96", "item-97", "item-98", "item-99"]
    for _ in range(10):
        nav.back()
    assert nav.current == HOME


def test_reset_to_attract_then_home() -> None:
    nav = Navigator(HOME)
    nav.push(Route("feedback"))
    nav.reset_to(Route("attract"))
    assert nav.history() == (Route("attract"),) and not nav.can_go_back
    nav.home()
    assert nav.history() == (HOME,)


def test_listeners_see_every_change_with_direction() -> None:
    nav = Navigator(HOME)
    seen: list[NavigationChange] = []
    nav.add_listener(seen.append)
    nav.push(Route("guides"))
    nav.replace(Route("guides", {"page": 2}))
    nav.back()
    nav.back()  # no-op: no event
    nav.push(Route("search"))
    nav.home()
    nav.home()  # already home: no event
    nav.reset_to(Route("attract"))
    assert [(c.action, c.route.screen, c.previous.screen) for c in seen] == [
        ("push", "guides", "home"),
        ("replace", "guides", "guides"),
        ("back", "home", "guides"),
        ("push", "search", "home"),
        ("home", "home", "search"),
        ("reset", "attract", "home"),
    ]


def test_a_route_with_other_params_is_a_new_route() -> None:
    route = Route("catalogue", {"domain": "party", "node": "party.org"})
    second = route.with_params(page=1)
    assert second == Route("catalogue", {"domain": "party", "node": "party.org", "page": 1})
    assert route.param("page") is None  # the original is unchanged
    assert second.with_params(page=0).param("page") == 0


def test_route_params_are_frozen_copies() -> None:
    params = {"id": "a"}
    route = Route("item", params)
    params["id"] = "changed"
    assert route.param("id") == "a"
    with pytest.raises(TypeError):
        route.params["id"] = "b"  # type: ignore[index]


def test_breadcrumb_elides_middle_levels_then_shortens_the_last() -> None:
    from kiosk.logic.catalog_view import fit_breadcrumb

    def measure(text: str) -> float:
        return float(len(text))

    titles = ["政务公开", "本级政府信息", "重大建设项目", "征地补偿安置"]
    full = " › ".join(titles)
    assert fit_breadcrumb(titles, len(full), measure) == full
    assert fit_breadcrumb(titles, len(full) - 1, measure) == "政务公开 › … › 重大建设项目 › 征地补偿安置"
    assert fit_breadcrumb(titles, 22, measure) == "政务公开 › … › 征地补偿安置"
    assert fit_breadcrumb(titles, 16, measure) == "政务公开 › … › 征地补偿…"
    assert fit_breadcrumb(titles, 6, measure) == "征地补偿安…"
    assert fit_breadcrumb(["政务公开"], 3, measure) == "政务…"
    for width in range(1, 40):
        line = fit_breadcrumb(titles, width, measure)
        assert len(line) <= max(width, 1), (width, line)
