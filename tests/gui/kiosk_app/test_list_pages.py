"""Paged lists keep their page: a citizen on page 2 who opens a row and taps 返回 is on page 2 again,
and turning a page does not add a step to 返回."""

from __future__ import annotations

import pytest

from kiosk.ui.widgets.paged_list import PagedList
from tests.gui.kiosk_app.kiosk_harness import Kiosk
from tests.gui.kiosk_app.test_walkthrough import start


def hot_guides(kiosk: Kiosk) -> PagedList:
    kiosk.tap(kiosk.button_with("办事指南"))
    listing: PagedList = kiosk.app.screen("guides").ids.listing
    return listing


def departments(kiosk: Kiosk) -> PagedList:
    listing = hot_guides(kiosk)
    kiosk.tap(kiosk.button_with("按部门"))
    assert kiosk.app.screen("guides").heading == "请选择部门"
    return listing


def personal_guides(kiosk: Kiosk) -> PagedList:
    listing = hot_guides(kiosk)
    kiosk.tap(kiosk.button_with("个人办事"))
    assert kiosk.app.screen("guides").heading == "个人办事"
    return listing


def catalogue(kiosk: Kiosk) -> PagedList:
    kiosk.tap(kiosk.button_with("政务公开"))
    listing: PagedList = kiosk.app.screen("catalogue").ids.listing
    return listing


def search_results(kiosk: Kiosk) -> PagedList:
    kiosk.tap(kiosk.button_with("搜索"))
    kiosk.tap(kiosk.app.screen("search").ids.keyboard.key_button("b"))
    kiosk.settle(frames=4)
    listing: PagedList = kiosk.app.screen("search").ids.listing
    return listing


LISTS = {
    "hot guides": hot_guides,
    "departments": departments,
    "personal guides": personal_guides,
    "catalogue": catalogue,
    "search results": search_results,
}


@pytest.mark.parametrize("name", list(LISTS))
def test_back_returns_to_the_page_the_citizen_left(kiosk: Kiosk, name: str) -> None:
    start(kiosk)
    listing = LISTS[name](kiosk)
    list_screen = kiosk.screen
    assert listing.pages > 1, "the demo list needs a second page on a tablet"
    first_page = listing.visible_titles()
    depth = kiosk.app.navigator.depth

    kiosk.tap(kiosk.button_with("下一页"))
    assert listing.page == 1
    second_page = listing.visible_titles()
    assert second_page and second_page != first_page
    assert kiosk.app.navigator.depth == depth  # a page turn replaces the route, it is not a step

    kiosk.tap(listing.ids.rows.children[-1])  # the first row of page 2
    assert kiosk.app.navigator.depth == depth + 1

    kiosk.tap(kiosk.app.chrome.footer.ids.back)
    assert kiosk.screen == list_screen
    assert listing.page == 1
    assert listing.visible_titles() == second_page
    assert f"第 2/{listing.pages} 页　共 {listing.total} 条" in kiosk.texts()


def test_a_new_query_starts_on_the_first_page(kiosk: Kiosk) -> None:
    start(kiosk)
    listing = search_results(kiosk)
    kiosk.tap(kiosk.button_with("下一页"))
    assert listing.page == 1
    kiosk.tap(kiosk.app.screen("search").ids.keyboard.key_button("a"))  # "ba": two pages again
    kiosk.settle(frames=4)
    assert listing.pages > 1 and listing.page == 0
    kiosk.tap(listing.ids.rows.children[-1])
    kiosk.tap(kiosk.app.chrome.footer.ids.back)
    assert kiosk.screen == "search" and listing.page == 0
