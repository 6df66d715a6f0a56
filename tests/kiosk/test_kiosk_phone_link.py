"""The feedback screen's "扫码在手机上继续填写" link: the centre's phone form, signed offline with the
device's form key, short enough for the kiosk's smallest code, and absent (the portal instead) when
there is no key to sign with or no phone form for the kind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from feed import CentreLinkConfig, check_form_link, new_form_key
from kiosk.logic.phone_link import phone_form_url
from kiosk.logic.qr import QrPolicy

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
CENTRE_URL = "https://centre.qinghe.example/"


def _centre(tmp_path: Path, key: str | None) -> CentreLinkConfig:
    key_file = None
    if key is not None:
        key_file = tmp_path / "form.key"
        key_file.write_text(key + "\n", encoding="ascii")
    return CentreLinkConfig(url=CENTRE_URL, token_file=tmp_path / "centre.token", form_key_file=key_file)


def test_the_link_opens_the_centres_form_for_this_device_and_fits_the_smallest_code(tmp_path: Path) -> None:
    key = new_form_key()
    url = phone_form_url(_centre(tmp_path, key), "kiosk-hall1-entrance", "disclosure_request", "gov.org", NOW)
    assert url is not None and url.startswith(CENTRE_URL + "p/")
    ticket = check_form_link(url.removeprefix(CENTRE_URL + "p/"), key, NOW + timedelta(minutes=29))
    assert (ticket.kind, ticket.device_id, ticket.subject) == (
        "disclosure_request",
        "kiosk-hall1-entrance",
        "gov.org",
    )
    decision = QrPolicy(["*.qinghe.example"]).decide(url)  # the layouts' smallest code space
    assert decision.allowed, decision.reason
    assert len(url) <= 130


def test_no_key_no_phone_form_kind_or_an_unreadable_key_gives_no_link(tmp_path: Path) -> None:
    assert phone_form_url(None, "kiosk-1", "suggestion", "", NOW) is None
    assert phone_form_url(_centre(tmp_path, None), "kiosk-1", "suggestion", "", NOW) is None
    keyed = _centre(tmp_path, new_form_key())
    assert phone_form_url(keyed, "kiosk-1", "rating", "", NOW) is None  # a rating needs no free text
    assert phone_form_url(keyed, "kiosk-1", "suggestion", "", NOW) is not None
    assert keyed.form_key_file is not None
    keyed.form_key_file.unlink()
    assert phone_form_url(keyed, "kiosk-1", "suggestion", "", NOW) is None
