"""点题公开 from the catalogue: a citizen on a 公开目录 node asks for more to be published there, and
the request that reaches the outbox names the node in the form the centre accepts."""

from __future__ import annotations

from feed.uplink.wire import DisclosureRequestPayload
from tests.gui.kiosk_app.kiosk_harness import Kiosk
from tests.gui.kiosk_app.test_walkthrough import start

NODE_ID, NODE_TITLE = "gov.org", "机构职能"  # on the first rows of 政务公开


def test_a_citizen_asks_for_more_disclosure_on_a_catalogue_node(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("政务公开"))
    kiosk.tap(kiosk.button_with(NODE_TITLE))
    assert kiosk.app.navigator.current.param("node") == NODE_ID

    kiosk.tap(kiosk.button_with("建议多公开（点题公开）"))
    assert kiosk.screen == "feedback"
    screen = kiosk.app.screen("feedback")
    assert screen.kind == "disclosure_request"
    assert f"申请公开栏目：{NODE_TITLE}" in kiosk.texts()
    kiosk.tap(screen.ids.submit)  # the node alone is enough; topics are optional

    assert screen.done
    [stored] = kiosk.outbox.pending()
    assert stored.kind == "disclosure_request"
    request = DisclosureRequestPayload.model_validate(stored.payload)  # what the centre validates
    assert request.node is not None and (request.node.id, request.node.title) == (NODE_ID, NODE_TITLE)
    assert screen.ids.reference.text == f"受理编号：{stored.reference}"

    kiosk.tap(kiosk.app.chrome.footer.ids.back)
    assert kiosk.screen == "catalogue" and kiosk.app.navigator.current.param("node") == NODE_ID


def test_the_node_stays_with_the_draft_when_the_citizen_looks_at_another_form(kiosk: Kiosk) -> None:
    start(kiosk)
    kiosk.tap(kiosk.button_with("政务公开"))
    kiosk.tap(kiosk.button_with(NODE_TITLE))
    kiosk.tap(kiosk.button_with("建议多公开（点题公开）"))
    kiosk.tap(kiosk.button_with("好差评"))
    kiosk.tap(kiosk.button_with("点题公开"))
    assert f"申请公开栏目：{NODE_TITLE}" in kiosk.texts()
    kiosk.tap(kiosk.app.screen("feedback").ids.submit)
    [stored] = kiosk.outbox.pending()
    assert stored.payload["node"] == {"id": NODE_ID, "title": NODE_TITLE}
