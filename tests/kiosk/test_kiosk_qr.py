"""The QR allow-list against URL tricks, and the codes themselves decoded by a real decoder."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from kiosk.logic.qr import QrPolicy, WithheldLinks, qr_png

POLICY = QrPolicy(["qinghe.example", "*.qinghe.example", "www.gov.cn"])


@pytest.mark.parametrize(
    "url",
    [
        "https://zwfw.qinghe.example/guide/000173002000",
        "http://qinghe.example/",
        "https://a.b.qinghe.example/x?y=1#z",
        "https://ZWFW.Qinghe.Example/upper-case-host",
        "https://zwfw.qinghe.example./trailing-dot",
        "https://zwfw.qinghe.example:8443/port",
        "https://www.gov.cn/zhengce/",
    ],
)
def test_allowed(url: str) -> None:
    decision = POLICY.decide(url)
    assert decision.allowed, decision.reason


@pytest.mark.parametrize(
    ("url", "why"),
    [
        (None, "没有链接"),
        ("", "没有链接"),
        ("https://evil.example/", "不在允许列表"),
        ("https://gov.cn/", "不在允许列表"),  # only www.gov.cn is listed, not the bare domain
        ("https://evilqinghe.example/", "不在允许列表"),  # suffix must start at a dot
        ("https://zwfw.qinghe.example.evil.com/", "不在允许列表"),
        ("https://zwfw.qinghe.example@evil.com/", "用户信息"),
        ("https://user:pass@zwfw.qinghe.example/", "用户信息"),
        ("https://evil.com\\@zwfw.qinghe.example/", "反斜杠"),
        ("https://evil.com\\.qinghe.example/", "反斜杠"),
        ("https://zwfw.qinghe.example%2eevil.com/", "不允许的字符"),
        ("https://zwfw.qinghе.example/", "非ASCII"),  # Cyrillic "е"
        ("https://zwfw．qinghe．example/", "非ASCII"),  # full-width dots
        ("https://xn--zwfw-qinghe-w2c.example/", "不在允许列表"),
        ("javascript:alert(1)", "协议"),
        ("ftp://zwfw.qinghe.example/file", "协议"),
        ("data:text/html,<script>", "协议"),
        ("//zwfw.qinghe.example/no-scheme", "协议"),
        ("https://zwfw.qinghe.example:99999/", "端口"),
        ("https://zwfw.qinghe.example/a b", "空白"),
        ("https://zwfw.qinghe.example/\nx", "空白"),
        ("https:///path-only", "主机"),
        ("https://10.0.0.1/", "不在允许列表"),
        ("https://[::1]/", "不在允许列表"),
        ("https://" + "a" * 64 + ".qinghe.example/", "不允许的字符"),  # a DNS label holds 63 at most
        ("https://zwfw.qinghe.example/?q=" + "a" * 1200, "过密"),  # decided by module size, not length
    ],
)
def test_refused(url: str | None, why: str) -> None:
    decision = POLICY.decide(url)
    assert not decision.allowed
    assert why in decision.reason


def test_wildcard_does_not_cover_the_bare_domain_unless_listed() -> None:
    only_wildcard = QrPolicy(["*.qinghe.example"])
    assert only_wildcard.allows("https://zwfw.qinghe.example/")
    assert not only_wildcard.allows("https://qinghe.example/")


def test_unicode_allow_list_entries_are_compared_in_punycode() -> None:
    policy = QrPolicy(["*.政务.中国"])
    assert policy.allows("https://www.xn--zfr164b.xn--fiqs8s/")
    assert not policy.allows("https://www.政务.中国/")  # the URL itself must be punycode
    with pytest.raises(ValueError):
        QrPolicy(["*.com\u0000"])
    with pytest.raises(ValueError):
        QrPolicy(["*.cn"])  # a wildcard over a whole top-level domain is a mistake


def test_empty_allow_list_allows_nothing() -> None:
    assert not QrPolicy([]).allows("https://zwfw.qinghe.example/")


def test_decision_names_the_host_it_judged() -> None:
    assert POLICY.decide("https://Evil.Example:444/x").host == "evil.example"


def _decode(png: bytes) -> list[str]:
    pyzbar = pytest.importorskip("pyzbar.pyzbar")
    try:
        decoded = pyzbar.decode(Image.open(io.BytesIO(png)))
    except ImportError:  # pragma: no cover - libzbar0 missing
        pytest.skip("libzbar0 is not installed")
    return [symbol.data.decode("utf-8") for symbol in decoded]


def test_qr_png_decodes_back_to_the_url() -> None:
    url = "https://zwfw.qinghe.example/guide/000173002000?from=kiosk"
    png = qr_png(url)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert _decode(png) == [url]


def test_qr_png_honours_box_size_and_border_and_is_cached() -> None:
    url = "https://zwfw.qinghe.example/bdc/transfer"
    small = Image.open(io.BytesIO(qr_png(url, box_size=4, border=4)))
    large = Image.open(io.BytesIO(qr_png(url, box_size=8, border=4)))
    assert large.size[0] == 2 * small.size[0]
    modules = small.size[0] // 4 - 2 * 4
    assert modules >= 21 and (modules - 21) % 4 == 0  # a valid QR version: 21, 25, 29 … modules
    assert qr_png(url, box_size=4, border=4) is qr_png(url, box_size=4, border=4)


def test_withheld_links_are_bounded_and_the_latest_refusal_comes_first() -> None:
    withheld = WithheldLinks(limit=3)
    for n in range(5):
        withheld.note(f"https://evil.example/{n}", f"reason {n}")
    assert [url for url, _ in withheld.newest_first()] == [f"https://evil.example/{n}" for n in (4, 3, 2)]
    withheld.note("https://evil.example/2", "again")  # refused again: now the newest
    assert withheld.newest_first()[0] == ("https://evil.example/2", "again")
    assert withheld.reason("https://evil.example/0") is None  # dropped, oldest first
    assert len(withheld.newest_first()) == 3


SITE = "https://zwfw.qinghe.example/feed/m/"
WITH_SITE = QrPolicy(["www.gov.cn"], SITE)


def test_a_record_whose_own_link_is_allowed_keeps_it() -> None:
    decision = WITH_SITE.decide_record("https://www.gov.cn/zhengce/1.htm", "item", "notice-1")
    assert decision.allowed and decision.url == "https://www.gov.cn/zhengce/1.htm"
    assert not decision.phone_page


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        (None, "没有链接"),
        ("https://evil.example/phish", "不在允许列表"),
        ("javascript:alert(1)", "不支持的协议"),
        ("https://www.gov.cn/" + "x" * 3000, "二维码过密"),
    ],
)
def test_a_record_without_an_allowed_link_gets_its_phone_page(url: str | None, refusal: str) -> None:
    for kind, folder in (("guide", "g"), ("item", "i")):
        decision = WITH_SITE.decide_record(url, kind, "realestate-transfer")
        assert decision.allowed and decision.phone_page
        assert decision.url == f"{SITE}{folder}/realestate-transfer.html"
        assert _decode(qr_png(decision.url)) == [decision.url]
        # the refusal of the record's own link is kept, for the admin screen's list
        assert decision.replaced is not None and refusal in decision.replaced.reason


def test_without_a_phone_site_a_refused_link_stays_refused() -> None:
    decision = QrPolicy(["www.gov.cn"]).decide_record("https://evil.example/", "guide", "a")
    assert not decision.allowed and "不在允许列表" in decision.reason and not decision.phone_page


def test_a_phone_page_whose_code_cannot_fit_is_refused_with_the_own_reason() -> None:
    crowded = QrPolicy([], "https://zwfw.qinghe.example/" + "m" * 1500 + "/")
    decision = crowded.decide_record(None, "guide", "a")
    assert not decision.allowed and decision.reason == "没有链接"
