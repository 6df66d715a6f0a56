"""依申请公开: an application for government information, started here and made on the phone. The
screen says what the citizen chose (a catalogue node, or nothing: they describe it on the phone), what
the phone form asks and the statutory reply time, and shows the centre's phone form as a QR code
signed offline for this device. The kiosk stores nothing for it: the phone form creates the record."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kivy.properties import StringProperty

from kiosk.logic.application import application_text
from kiosk.logic.navigation import Route
from kiosk.logic.phone_link import phone_form_url
from kiosk.ui.kv import load_kv_once
from kiosk.ui.screens.base import BaseScreen
from kiosk.ui.widgets import buttons, qr_code, text  # noqa: F401 - classes used in the kv rules

load_kv_once(__file__)


class ApplicationScreen(BaseScreen):
    chosen = StringProperty("")
    steps = StringProperty("")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.page_title = "依申请公开"

    def enter(self, route: Route) -> None:
        super().enter(route)
        app = self.host
        node_id = str(route.param("node") or "")
        title = str(route.param("title", ""))
        if node_id and not title:
            node = app.catalog_tree.node(node_id)
            title = node.title if node is not None else ""
        config = app.kiosk_config
        url = phone_form_url(
            config.centre, config.device.id, "disclosure_application", node_id, datetime.now(UTC)
        )
        qr = self.ids.qr
        linked = application_text(title, phone_form=True)
        if url is not None and app.show_qr(qr, url, linked.caption):
            shown = linked
        else:  # no centre, no form key, or a centre address the QR policy refuses
            shown = application_text(title, phone_form=False)
            hall = app.reader.hall()
            app.show_qr(qr, hall.portal_url if hall is not None else None, shown.caption)
        self.chosen = shown.chosen
        self.steps = "\n".join(shown.steps)

    def choose_from_catalogue(self) -> None:
        """The citizen picks a node in the 公开目录; its 依申请公开 action comes back here."""
        self.go("catalogue", domain="government")

    def forget(self) -> None:
        self.host.show_qr(self.ids.qr, None, "")  # a signed link belongs to one citizen's visit
