"""Times and durations as people read them, the same in the CLI, the TUI and the exports."""

from __future__ import annotations


def clock(seconds: float, *, tenths: bool = False) -> str:
    """A duration or a moment in an answer: ``83.4`` → ``1:23``, or ``1:23.4`` with ``tenths``."""
    if tenths:
        minutes, rest = divmod(seconds, 60)
        return f"{int(minutes)}:{rest:04.1f}"
    whole_minutes, whole_rest = divmod(round(seconds), 60)
    return f"{whole_minutes}:{whole_rest:02d}"


def when(stamp: str) -> str:
    """A stored time stamp as people read it: ``2026-11-25T21:40:03+00:00`` →
    ``2026-11-25 21:40``."""
    return stamp[:16].replace("T", " ")
