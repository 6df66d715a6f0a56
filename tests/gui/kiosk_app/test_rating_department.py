"""A rating reaches the outbox with the department that answers for its subject, so the centre can
count 好差评 by department: a guide's 实施主体, an item's 公开主体, none for the hall."""

from __future__ import annotations

from typing import Any

from feed.uplink.wire import RatingPayload, validate_payload
from tests.gui.kiosk_app.kiosk_harness import Kiosk
from tests.gui.kiosk_app.test_back_keeps_place import open_guide
from tests.gui.kiosk_app.test_disclosure_request import NODE_TITLE
from tests.gui.kiosk_app.test_walkthrough import start


def _rate_very_satisfied(kiosk: Kiosk) -> RatingPayload:
    assert kiosk.screen == "feedback"
    screen = kiosk.app.screen("feedback")
    kiosk.tap(next(b for b in screen.ids.levels.children if b.key == "5"))
    kiosk.tap(screen.ids.submit)
    assert screen.done
    [stored] = kiosk.outbox.pending() if kiosk.outbox is not None else []
    rating = validate_payload(stored.kind, stored.payload)  # as the centre checks it
    assert isinstance(rating, RatingPayload)
    return rating


def test_a_guide_rating_names_the_guides_department(kiosk: Kiosk) -> None:
    screen: Any = open_guide(kiosk)
    guide = kiosk.reader.guide(screen.view.id)
    assert guide is not None and guide.department
    kiosk.tap(kiosk.button_with("评价此事项"))
    rating = _rate_very_satisfied(kiosk)
    assert (rating.subject.kind, rating.subject.id) == ("guide", guide.id)
    assert rating.subject.department == guide.department


def test_an_item_rating_names_the_items_publisher(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("政务公开"))
    kiosk.tap(kiosk.button_with(NODE_TITLE))
    kiosk.tap(kiosk.app.screen("catalogue").ids.listing.ids.rows.children[-1])
    assert kiosk.screen == "item"
    item = kiosk.reader.item(kiosk.app.navigator.current.param("id"))
    assert item is not None and item.publisher
    kiosk.tap(kiosk.button_with("评价此信息"))
    assert f"评价对象：{item.title}" in kiosk.texts()
    rating = _rate_very_satisfied(kiosk)
    assert (rating.subject.kind, rating.subject.id, rating.subject.title) == ("item", item.id, item.title)
    assert rating.subject.department == item.publisher


def test_a_rating_of_the_hall_names_no_department(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("好差评 / 意见建议"))
    rating = _rate_very_satisfied(kiosk)
    assert (rating.subject.kind, rating.subject.department) == ("hall", "")
