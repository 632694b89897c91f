"""Score, pace, fillers per minute, hedges per answer and STAR parts per story over past sessions,
each as a sparkline, oldest first."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline, Static

from practice.sessions import SessionSummary

METRICS = (
    ("score", "Score", 0),
    ("wpm", "WPM", 0),
    ("fillers_per_minute", "Fillers/min", 1),
    ("hedges_per_answer", "Hedges/answer", 1),
    ("star_parts", "STAR parts/4", 1),
)
"""(SessionSummary field, label, decimals shown)."""


def series(
    sessions: Sequence[SessionSummary], metric: str, bank_id: str | None = None
) -> list[float]:
    """``metric`` of the readable sessions (on ``bank_id``, or every bank), oldest first."""
    chosen = [
        past
        for past in sessions
        if not past.damaged and (bank_id is None or past.bank_id == bank_id)
    ]
    chosen.sort(key=lambda past: (past.started, past.id))  # ids grow with time too
    values = (getattr(past, metric) for past in chosen)
    return [float(value) for value in values if value is not None]


def change_text(values: Sequence[float], decimals: int) -> str:
    """``65 → 72 over 4 sessions``; ``—`` when there is nothing to show."""
    if not values:
        return "—"
    if len(values) == 1:
        return f"{values[0]:.{decimals}f} (1 session)"
    return f"{values[0]:.{decimals}f} → {values[-1]:.{decimals}f} over {len(values)} sessions"


class Trends(Vertical):
    def compose(self) -> ComposeResult:
        for metric, label, _decimals in METRICS:
            with Horizontal(classes="trend"):
                yield Static(label, classes="trend-label")
                yield Sparkline([], id=f"trend-{metric}")
                yield Static("—", id=f"trend-{metric}-change", classes="trend-change")

    def show(self, sessions: Sequence[SessionSummary], bank_id: str | None) -> None:
        for metric, _label, decimals in METRICS:
            values = series(sessions, metric, bank_id)
            self.query_one(f"#trend-{metric}", Sparkline).data = values
            self.query_one(f"#trend-{metric}-change", Static).update(change_text(values, decimals))
