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


@dataclass(frozen=True)
class NavigationChange:
    action: NavAction
    route: Route  # the route now current
    previous: Route  # the route that was current before


Listener = Callable[[NavigationChange], None]


class Navigator:
    """History of routes with a home at the bottom.

    `push` ignores a route equal to the current one (double taps); the history is bounded by
    `max_depth` by dropping the oldest entries above home.
    """

    def __init__(self, home: Route, max_depth: int = 32) -> None:
        raise NotImplementedError

    @property
    def current(self) -> Route:
        raise NotImplementedError

    @property
    def home_route(self) -> Route:
        raise NotImplementedError

    @property
    def depth(self) -> int:
        """Number of routes in the history (1 when at home)."""
        raise NotImplementedError

    @property
    def can_go_back(self) -> bool:
        raise NotImplementedError

    def history(self) -> tuple[Route, ...]:
        raise NotImplementedError

    def push(self, route: Route) -> None:
        raise NotImplementedError

    def replace(self, route: Route) -> None:
        """Swap the current route (e.g. next page of a list) without growing the history."""
        raise NotImplementedError

    def back(self) -> Route:
        """Go one step back (no-op at the bottom); returns the route now current."""
        raise NotImplementedError

    def home(self) -> None:
        """Drop everything above home."""
        raise NotImplementedError

    def reset_to(self, route: Route) -> None:
        """Make `route` the only entry (e.g. the attract loop); home becomes reachable by push."""
        raise NotImplementedError

    def add_listener(self, listener: Listener) -> None:
        raise NotImplementedError

    def remove_listener(self, listener: Listener) -> None:
        raise NotImplementedError
