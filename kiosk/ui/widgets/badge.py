"""A small rounded label such as 一次办, 全程网办 or 演示."""

from __future__ import annotations

from kivy.properties import StringProperty
from kivy.uix.label import Label

from kiosk.ui.kv import load_kv_once

load_kv_once(__file__)


class Badge(Label):
    tone = StringProperty("info")  # success / info / neutral / warning / danger
