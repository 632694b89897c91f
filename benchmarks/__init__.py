"""Benchmarks: scripts that measure practice and print figures (not tests)."""
