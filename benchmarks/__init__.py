"""Benchmarks: scripts that measure practice and print figures (not tests)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""The checkout."""


def shared_data(*parts: str) -> Path:
    """``shared/data/<parts>`` next to the checkout or one of its parents (so a worktree finds
    it too); the place next to the checkout when there is none."""
    for folder in ROOT.parents:
        candidate = folder.joinpath("shared", "data", *parts)
        if candidate.exists():
            return candidate
    return ROOT.parent.joinpath("shared", "data", *parts)
