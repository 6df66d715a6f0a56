"""Where the citizen is: a stack of routes with back, home and reset, and change listeners."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

NavAction = Literal["push", "back", "home", "reset", "replace"]


@dataclass(frozen=True)
class Route:
    """A screen name and its parameters, e.g. Route("guide", {"id": "bdc-001"})."""

    screen: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Read-only view, so a route kept in the history cannot change under it.
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def param(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    def with_params(self, **changes: Any) -> Route:
        """The same screen with `changes` over these parameters, e.g. `route.with_params(page=2)`."""
        return Route(self.screen, {**self.params, **changes})


@dataclass(frozen=True)
class NavigationChange:
    action: NavAction
    route: Route  # the route now current
    previous: Route  # the route that was current before


Listener = Callable[[NavigationChange], None]


class Navigator:
    """History of routes with a home at the bottom.

    `push` ignores a route equal to the current one (double taps); the history is bounded by
    `max_depth` by dropping the oldest entries above the bottom one. `home()` always leads to the
    home route, even after `reset_to` put another route (the attract loop) at the bottom.
    """

    def __init__(self, home: Route, max_depth: int = 32) -> None:
        if max_depth < 2:
            raise ValueError("max_depth must allow at least home and one screen")
        self._home = home
        self._stack: list[Route] = [home]
        self._max_depth = max_depth
        self._listeners: list[Listener] = []

    @property
    def current(self) -> Route:
        return self._stack[-1]

    @property
    def depth(self) -> int:
        """Number of routes in the history (1 when at home)."""
        return len(self._stack)

    @property
    def can_go_back(self) -> bool:
        return len(self._stack) > 1

    def history(self) -> tuple[Route, ...]:
        return tuple(self._stack)

    def push(self, route: Route) -> None:
        if route == self.current:
            return
        previous = self.current
        self._stack.append(route)
        if len(self._stack) > self._max_depth:
            # Keep the bottom entry (home) so "back" always ends there.
            del self._stack[1]
        self._notify("push", previous)

    def replace(self, route: Route) -> None:
        """Swap the current route (e.g. next page of a list) without growing the history."""
        if route == self.current:
            return
        previous = self.current
        self._stack[-1] = route
        self._notify("replace", previous)

    def back(self) -> Route:
        """Go one step back (no-op at the bottom); returns the route now current."""
        if len(self._stack) > 1:
            previous = self._stack.pop()
            self._notify("back", previous)
        return self.current

    def home(self) -> None:
        """Drop everything and show home."""
        previous = self.current
        if self._stack == [self._home]:
            return
        self._stack = [self._home]
        self._notify("home", previous)

    def reset_to(self, route: Route) -> None:
        """Make `route` the only entry (e.g. the attract loop); listeners run even if it is current."""
        previous = self.current
        self._stack = [route]
        self._notify("reset", previous)

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _notify(self, action: NavAction, previous: Route) -> None:
        change = NavigationChange(action, self.current, previous)
        for listener in list(self._listeners):
            listener(change)
