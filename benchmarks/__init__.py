"""Benchmarks that print numbers (speed targets are measured here, not asserted in tests)."""
