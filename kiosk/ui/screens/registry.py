"""Screen name → class. Importing this module imports every screen (and loads its .kv once)."""

from __future__ import annotations

from kiosk.ui.screens.admin import AdminPinScreen, AdminScreen
from kiosk.ui.screens.attract import AttractScreen
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.screens.catalogue import CatalogueScreen
from kiosk.ui.screens.feedback import FeedbackScreen
from kiosk.ui.screens.guide import GuideScreen
from kiosk.ui.screens.guides import GuidesScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.search import SearchScreen

SCREEN_CLASSES: dict[str, type[BaseScreen]] = {
    "attract": AttractScreen,
    "home": HomeScreen,
    "catalogue": CatalogueScreen,
    "item": ItemScreen,
    "guides": GuidesScreen,
    "guide": GuideScreen,
    "search": SearchScreen,
    "feedback": FeedbackScreen,
    "admin_pin": AdminPinScreen,
    "admin": AdminScreen,
}
