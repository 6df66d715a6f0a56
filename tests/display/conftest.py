"""Shared fixtures of the display tests: fonts, the demo feed's real Chinese headlines, configs."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from feed.assets import assets_dir
from feed.schema import Headline
from tests.display.ledhelpers import NOTO_CJK, UNIFONT


def _font_or_skip(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} not installed (Debian fonts-unifont / fonts-noto-cjk)")
    return path


@pytest.fixture
def unifont() -> Path:
    return _font_or_skip(UNIFONT)


@pytest.fixture
def noto() -> Path:
    return _font_or_skip(NOTO_CJK)


@pytest.fixture(scope="session")
def demo_headlines() -> list[Headline]:
    """The headlines of the bundled demo feed: real Chinese texts of the kind the hall shows."""
    entries = YAML(typ="safe").load(assets_dir() / "demo" / "headlines.yaml")
    return [Headline.model_validate({"kind": "headline", **entry}) for entry in entries]
