"""Phone-form links signed offline by a kiosk: what they carry, and every way one is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from feed import FormLinkError, check_form_link, new_form_key, read_form_link, sign_form_link

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


def test_a_link_carries_kind_subject_device_and_expiry_and_nothing_personal() -> None:
    key = new_form_key()
    token = sign_form_link(key, "disclosure_request", "kiosk-hall1-entrance", "bdc-first", NOW)
    ticket = check_form_link(token, key, NOW + timedelta(minutes=29))
    assert (ticket.kind, ticket.device_id, ticket.subject) == (
        "disclosure_request",
        "kiosk-hall1-entrance",
        "bdc-first",
    )
    assert ticket.expires == int((NOW + timedelta(minutes=30)).timestamp())
    assert len(token) <= 90 and token.isascii() and "/" not in token and "+" not in token
    other = sign_form_link(key, "disclosure_request", "kiosk-hall1-entrance", "bdc-first", NOW)
    assert read_form_link(other).nonce != ticket.nonce  # two links, two nonces


def test_an_expired_link_is_refused() -> None:
    key = new_form_key()
    token = sign_form_link(key, "suggestion", "kiosk-1", "", NOW)
    with pytest.raises(FormLinkError) as refused:
        check_form_link(token, key, NOW + timedelta(minutes=30))
    assert refused.value.reason == "expired"


def test_a_link_signed_with_another_key_or_changed_is_forged() -> None:
    key = new_form_key()
    token = sign_form_link(key, "suggestion", "kiosk-1", "", NOW)
    with pytest.raises(FormLinkError, match="forged"):
        check_form_link(token, new_form_key(), NOW)
    body, tag = token.split(".")
    longer = sign_form_link(key, "suggestion", "kiosk-1", "", NOW + timedelta(days=1)).split(".")[0]
    with pytest.raises(FormLinkError, match="forged"):
        check_form_link(f"{longer}.{tag}", key, NOW)  # a later expiry under the old tag
    with pytest.raises(FormLinkError, match="forged"):
        check_form_link(f"{body}.{tag[:-2]}AA", key, NOW)


@pytest.mark.parametrize(
    "token",
    ["", "nodot", "a.b.c", "!!!.AAAA", "eHx5fHp8MXxu.AAAA", "cXxrfHx8ZmZ8bg.AAAA", "c3xLSU9TS3x8ZmZ8bg.AAAA"],
)
def test_a_malformed_link_says_so(token: str) -> None:
    with pytest.raises(FormLinkError) as refused:
        read_form_link(token)
    assert refused.value.reason == "malformed"


def test_only_ids_go_into_a_link() -> None:
    with pytest.raises(ValueError, match="must be ids"):
        sign_form_link(new_form_key(), "suggestion", "Kiosk 1", "", NOW)
    with pytest.raises(ValueError, match="must be ids"):
        sign_form_link(new_form_key(), "suggestion", "kiosk-1", "a|b", NOW)
