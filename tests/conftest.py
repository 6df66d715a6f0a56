"""Loaded for every test run, whichever folder it starts from: it puts `tests/` on sys.path, so the
helpers shared across folders (`storage_kit`) import by name like each folder's own helpers."""
