"""Paged lists keep their page: a citizen on page 2 who opens a row and taps 返回 is on page 2 again,
and turning a page does not add a step to 返回. A page holds the rows that fit whole on screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from kivy.core.window import Window

from kiosk.config import demo_config
from kiosk.logic.layout import LAYOUTS
from kiosk.ui.widgets.paged_list import PagedList
from tests.gui.kiosk_app.kiosk_harness import Kiosk, make_kiosk
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


def _assert_page_fits(kiosk: Kiosk, listing: PagedList, where: str) -> None:
    """Every row of the page shown lies whole inside the list's visible area, and the page holds as
    many rows as fit (the layout's most, or one more would not fit)."""
    kiosk.settle(frames=6)
    scroller = listing.ids.scroller
    assert scroller.scroll_y == 1, where
    _x, bottom = scroller.to_window(scroller.x, scroller.y)
    top = bottom + scroller.height
    rows = list(reversed(listing.ids.rows.children))
    assert rows, where
    for row in rows:
        _x, y = row.to_window(row.x, row.y)
        assert y >= bottom - 0.5 and y + row.height <= top + 0.5, (where, row.title, y, bottom, top)
    if listing.page + 1 < listing.pages:  # a full page: nothing more would have fitted whole
        assert len(rows) == listing.page_size, where
        used = sum(row.height for row in rows)
        assert len(rows) == listing.most_rows or used + listing.row_height() > scroller.height, where


@pytest.mark.parametrize("layout", ["portrait", "landscape", "tablet"])
@pytest.mark.parametrize("name", ["hot guides", "departments", "catalogue"])
def test_every_row_of_a_page_is_whole_on_screen(cache_copy: Path, layout: str, name: str) -> None:
    """At each layout's own screen size (the test window is resized to it, then back)."""
    config = demo_config(cache_copy)
    test_size = Window.size
    Window.size = LAYOUTS[layout].size
    kiosk = make_kiosk(cache_copy, config.replace(kiosk=config.kiosk.replace(layout=layout)))
    try:
        assert Window.size == LAYOUTS[layout].size, "the window must take the layout's size"
        start(kiosk)
        listing = LISTS[name](kiosk)
        if name == "catalogue":
            kiosk.tap(kiosk.button_with("本栏目全部信息"))  # items: title and meta on every row
        _assert_page_fits(kiosk, listing, f"{layout} {name}")
        if listing.pages > 1:  # a portrait screen has room for all the hot guides
            kiosk.tap(kiosk.button_with("下一页"))
            _assert_page_fits(kiosk, listing, f"{layout} {name} page 2")
        kiosk.tap(kiosk.app.chrome.footer.ids.elderly)  # 长辈模式: larger rows, so fewer of them
        _assert_page_fits(kiosk, listing, f"{layout} {name} 长辈模式")
    finally:
        kiosk.close()
        Window.size = test_size
