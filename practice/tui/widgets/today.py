"""Home's "Today: N questions" line: what the practice plan asks for today, and why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.markup import escape
from textual.widgets import Static

if TYPE_CHECKING:  # the plan is made after Home's first frame
    from practice.plan import Plan

SHOWN = 3
"""How many of today's questions are listed with their reasons."""


def today_text(plan: Plan, width: int = 76) -> str:
    """Today's count and the first few questions with why each is due (Textual markup)."""
    today = plan.today
    count = f"{len(today)} question{'' if len(today) == 1 else 's'}"
    lines = [f"[b]Today: {count}[/b] · d (or Enter here) rehearses them"]
    for item in today[:SHOWN]:
        why = "; ".join(item.reasons)
        line = f"{item.text} — {why}"
        if len(line) > width:
            line = line[: width - 1] + "…"
        lines.append(f"  {escape(line)}")
    if len(today) > SHOWN:
        lines.append(f"  and {len(today) - SHOWN} more (practice plan lists them)")
    return "\n".join(lines)


class TodayPanel(Static):
    """The plan's today, shown when something is due; focusable, so Enter on it rehearses (Home
    focuses it when it first appears)."""

    DEFAULT_CSS = """
    TodayPanel {
        height: auto;
        padding: 0 1;
        border: round $accent;
    }
    TodayPanel:focus {
        border: round $accent-lighten-2;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.display = self.can_focus = False  # until a plan with something due arrives

    def show(self, plan: Plan | None) -> None:
        """Show today's part of ``plan``; hidden when nothing is due."""
        self.display = self.can_focus = plan is not None and bool(plan.today)
        if plan is not None and plan.today:
            self.update(today_text(plan, max(20, self.app.size.width - 8)))
