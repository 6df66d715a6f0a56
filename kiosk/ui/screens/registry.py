"""Screen name → class, imported on first use so a cold start loads only the attract screen's kv."""

from __future__ import annotations

import importlib

from kiosk.ui.screens.base import BaseScreen

SCREEN_MODULES: dict[str, tuple[str, str]] = {
    "attract": ("kiosk.ui.screens.attract", "AttractScreen"),
    "home": ("kiosk.ui.screens.home", "HomeScreen"),
    "catalogue": ("kiosk.ui.screens.catalogue", "CatalogueScreen"),
    "item": ("kiosk.ui.screens.item", "ItemScreen"),
    "image": ("kiosk.ui.screens.image", "ImageScreen"),
    "form": ("kiosk.ui.screens.form", "FormScreen"),
    "guides": ("kiosk.ui.screens.guides", "GuidesScreen"),
    "guide": ("kiosk.ui.screens.guide", "GuideScreen"),
    "search": ("kiosk.ui.screens.search", "SearchScreen"),
    "feedback": ("kiosk.ui.screens.feedback", "FeedbackScreen"),
    "application": ("kiosk.ui.screens.application", "ApplicationScreen"),
    "admin_pin": ("kiosk.ui.screens.admin_pin", "AdminPinScreen"),
    "admin": ("kiosk.ui.screens.admin", "AdminScreen"),
}


def screen_class(name: str) -> type[BaseScreen]:
    module_name, class_name = SCREEN_MODULES[name]
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, BaseScreen)):
        raise TypeError(f"{module_name}.{class_name} is not a screen")
    return cls
