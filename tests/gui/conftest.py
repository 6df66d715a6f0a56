"""Environment for every GUI test process. Kivy reads it at import time, so nothing imports Kivy here.

Each GUI suite runs in its own pytest process (see the Makefile): Kivy allows one window per process.
"""

from __future__ import annotations

from tests.kivy_env import use_quiet_kivy

use_quiet_kivy()
