"""Score, pace, fillers per minute, hedges per answer and STAR parts per story over past sessions,
each as a row of bars, oldest first.

Each session is one bar on a fixed scale (score 0–100, WPM 0–250, fillers 0–12 a minute, hedges
0–5 an answer, STAR parts 0–4, or the highest value when it is more), so 56 → 66 looks like the
small step it is, one session is one bar, and no sessions is no bars. The newest sessions are
kept when there are more than fit.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from practice.records import SessionSummary

METRICS = (
    ("score", "Score", 0, 100.0),
    ("wpm", "WPM", 0, 250.0),
    ("fillers_per_minute", "Fillers/min", 1, 12.0),
    ("hedges_per_answer", "Hedges/answer", 1, 5.0),
    ("star_parts", "STAR parts/4", 1, 4.0),
)
"""(SessionSummary field, label, decimals shown, top of the scale)."""
BARS = "▁▂▃▄▅▆▇█"


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


def bars(values: Sequence[float], top: float, width: int) -> str:
    """One bar per value on the scale 0 to ``top`` (or the largest value), the newest ``width``."""
    if not values or width <= 0:
        return ""
    shown = values[-width:]
    scale = max(top, *shown)
    return "".join(BARS[round(max(0.0, value) / scale * (len(BARS) - 1))] for value in shown)


class TrendBars(Static):
    """A row of bars, one per session (see :func:`bars`)."""

    def __init__(self, top: float, *, id: str) -> None:
        super().__init__(id=id)
        self.top = top
        self.values: list[float] = []

    def show(self, values: Sequence[float]) -> None:
        self.values = list(values)
        self.refresh(layout=False)

    def render(self) -> str:
        return bars(self.values, self.top, self.size.width)


class Trends(Vertical):
    def compose(self) -> ComposeResult:
        for metric, label, _decimals, top in METRICS:
            with Horizontal(classes="trend"):
                yield Static(label, classes="trend-label")
                yield TrendBars(top, id=f"trend-{metric}")
                yield Static("—", id=f"trend-{metric}-change", classes="trend-change")

    def show(self, sessions: Sequence[SessionSummary], bank_id: str | None) -> None:
        for metric, _label, decimals, _top in METRICS:
            values = series(sessions, metric, bank_id)
            self.query_one(f"#trend-{metric}", TrendBars).show(values)
            self.query_one(f"#trend-{metric}-change", Static).update(change_text(values, decimals))
