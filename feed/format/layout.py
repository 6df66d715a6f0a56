"""Where things live under a feed root (and, mirrored, under a cache directory)."""

from __future__ import annotations

MANIFEST_NAME = "manifest.json"
OBJECTS_DIR = "objects"


def object_path(sha256: str) -> str:
    """Relative path of a content-addressed object: objects/ab/abcdef…"""
    return f"{OBJECTS_DIR}/{sha256[:2]}/{sha256}"
