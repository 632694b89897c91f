"""The end of a session: a row per question, the session score, and where the files are."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Static

from practice.tui.messages import SessionFinished
from practice.tui.screens.base import StudioScreen, shown
from practice.tui.services import Bank, Question, Services, Take


def session_score(takes: Sequence[Take]) -> int | None:
    """The mean of each question's last scored answer; None when nothing was scored."""
    last: dict[int, int] = {}
    for take in takes:
        if take.report is not None:
            last[take.question] = take.report.score
    return round(sum(last.values()) / len(last)) if last else None


class SummaryScreen(StudioScreen[None]):
    BINDINGS = [
        Binding("enter", "home", "Home", priority=True),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        services: Services,
        bank: Bank,
        questions: Sequence[Question],
        takes: Sequence[Take],
        folder: Path | None,
    ) -> None:
        super().__init__(services)
        self.bank = bank
        self.questions = tuple(questions)
        self.takes = tuple(takes)
        self.folder = folder

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="summary"):
            yield Static(self._headline(None, saved=False), id="session-score")
            yield DataTable(id="answers", cursor_type="row", zebra_stripes=True)
            yield Static(id="files")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.bank.name}: session summary"
        table = self.query_one("#answers", DataTable)
        table.add_columns("#", "Question", "Tries", "Score", "WPM", "Fill/min")
        for index, question in enumerate(self.questions):
            takes = [take for take in self.takes if take.question == index]
            scored = [take.report for take in takes if take.report is not None]
            last = scored[-1] if scored else None
            typed = any(take.typed_text is not None for take in takes)
            table.add_row(
                str(index + 1),
                question.text if len(question.text) <= 40 else question.text[:39] + "…",
                str(len(takes)) if takes else "—",
                str(last.score) if last else ("typed" if typed else "—"),
                f"{last.pace.wpm:.0f}" if last else "—",
                f"{last.fillers_per_minute:.1f}" if last else "—",
            )
        self.query_one("#files", Static).update("Saving the session…")
        self._finish_session()

    @work(thread=True, exclusive=True, exit_on_error=False, group="journal")
    def _finish_session(self) -> None:
        journal = self.services.journal
        journal.finish()
        previous = journal.previous_score(self.bank.id)
        self.post_message(
            SessionFinished(self.folder or self.services.place.recordings_dir, previous)
        )

    def on_session_finished(self, message: SessionFinished) -> None:
        self.query_one("#session-score", Static).update(
            self._headline(message.previous, saved=True)
        )
        self.query_one("#files", Static).update(
            f"Answers and reports are saved in {shown(message.folder)}"
        )

    def _headline(self, previous: int | None, *, saved: bool) -> str:
        score = session_score(self.takes)
        answered = len({take.question for take in self.takes})
        head = f"{answered} of {len(self.questions)} questions answered"
        if score is None:
            return f"{head}; no answer was scored."
        line = f"[b]Session score {score}/100[/b] · {head}"
        if not saved:
            return line
        if previous is None:
            return f"{line} · first scored session on this bank"
        change = score - previous
        return f"{line} · {change:+d} since the last session on this bank ({previous})"

    def action_home(self) -> None:
        self.dismiss()
