"""The kiosk's layers, read from the source: the logic knows no UI, the UI knows no App (screens reach
it only through `ScreenHost`), and kv rules bind to nothing of the App outside that surface."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
KIOSK = REPO / "kiosk"
# The App's three layers and what drives it; everything under kiosk/ui and kiosk/logic sits below them.
APP_MODULES = {
    *("kiosk.base_app", "kiosk.config_app", "kiosk.app"),
    *("kiosk.cli", "kiosk.tour", "kiosk.lifecycle"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (TYPE_CHECKING blocks and functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules_under(folder: str) -> list[Path]:
    paths = sorted((KIOSK / folder).rglob("*.py"))
    assert paths, folder
    return paths


def test_the_logic_imports_no_ui_and_no_app() -> None:
    for path in modules_under("logic"):
        wrong = {m for m in imported_modules(path) if m.startswith("kiosk.ui") or m in APP_MODULES}
        assert not wrong, f"{path.relative_to(REPO)} imports {sorted(wrong)}"


def test_the_ui_never_imports_the_app() -> None:
    for path in modules_under("ui"):
        wrong = imported_modules(path) & APP_MODULES
        assert not wrong, f"{path.relative_to(REPO)} imports {sorted(wrong)}: use ScreenHost"


def host_members() -> set[str]:
    tree = ast.parse((KIOSK / "ui" / "screens" / "host.py").read_text("utf-8"))
    host = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "ScreenHost")
    return {n.name for n in host.body if isinstance(n, ast.FunctionDef)}


def test_kv_rules_bind_only_to_the_screen_host() -> None:
    members = host_members()
    assert {"reader", "style", "navigate"} <= members
    for path in sorted(KIOSK.rglob("*.kv")):
        used = set(re.findall(r"\bapp\.([A-Za-z_]\w*)", path.read_text("utf-8")))
        assert used <= members, f"{path.relative_to(REPO)} uses app.{sorted(used - members)}"
