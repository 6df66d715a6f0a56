"""The layers stay apart: the apps and the centre reach the core only through its public namespace
(`from feed import X`, X in `feed.__all__`), the core imports none of them and never its own
namespace (which would load everything lazily at once), and no app imports another."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import feed

REPO = Path(__file__).resolve().parents[1]
CLIENTS = ("kiosk", "display", "centre")
PUBLIC = {*feed.__all__, "__version__"}

# The kiosk's imports of the core's modules when the namespace arrived; its own change moves them to
# `from feed import …`. Empty this set as they go: a module listed here that the kiosk no longer
# imports fails the test below, so the list can only shrink.
KNOWN_KIOSK_MODULES = {
    "feed.api",
    "feed.assets",
    "feed.config",
    "feed.dev.demo",
    "feed.errors",
    "feed.format.layout",
    "feed.format.signing",
    "feed.outbox",
    "feed.runtime.logs",
    "feed.runtime.service",
    "feed.schema",
    "feed.schema.catalog",
    "feed.screen.colours",
    "feed.screen.glyphs",
    "feed.screen.images",
    "feed.screen.line_breaking",
    "feed.screen.links",
    "feed.screen.text",
    "feed.store.reader",
    "feed.uplink.uplink",
}


def imports(package: str, root: Path = REPO) -> Iterator[tuple[str, str, str | None]]:
    """(file, module, name) of every import in `package`: name None for `import module`."""
    for path in sorted((root / package).rglob("*.py")):
        where = str(path.relative_to(root))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((where, alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield from ((where, node.module, alias.name) for alias in node.names)


def outside_the_surface(package: str, root: Path = REPO) -> list[tuple[str, str, str | None]]:
    return [
        (where, module, name)
        for where, module, name in imports(package, root)
        if (module == "feed" and name not in PUBLIC) or module.startswith("feed.")
    ]


@pytest.mark.parametrize("package", ["display", "centre"])
def test_the_display_and_the_centre_use_only_the_public_namespace(package: str) -> None:
    assert outside_the_surface(package) == []


def test_the_kiosk_uses_only_the_public_namespace_or_a_module_it_used_before() -> None:
    used = outside_the_surface("kiosk")
    assert [found for found in used if found[1] not in KNOWN_KIOSK_MODULES] == []
    assert {module for _, module, _ in used} >= KNOWN_KIOSK_MODULES, "empty the list of what is gone"


def test_the_core_imports_no_app_and_not_its_own_namespace() -> None:
    found = [
        (where, module, name)
        for where, module, name in imports("feed")
        if module.split(".")[0] in CLIENTS or (module == "feed" and name != "__version__")
    ]
    assert found == []


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("kiosk", {"display", "centre"}), ("display", {"kiosk", "centre"}), ("centre", {"kiosk", "display"})],
)
def test_no_app_imports_another(package: str, forbidden: set[str]) -> None:
    assert [found for found in imports(package) if found[1].split(".")[0] in forbidden] == []


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "screen.py").write_text(
        "from feed import StoreReader, __version__\n"
        "from feed.store.reader import StoreReader as Reader\n"
        "import feed.outbox\n"
        "from feed import Store\n",
        encoding="utf-8",
    )
    assert outside_the_surface("app", tmp_path) == [
        ("app/screen.py", "feed.store.reader", "StoreReader"),
        ("app/screen.py", "feed.outbox", None),
        ("app/screen.py", "feed", "Store"),
    ]
