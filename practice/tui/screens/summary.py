"""The end of a session: a row per question, the session score, and where the files are."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Static

from practice.records import Session
from practice.sessions import SESSION_FILE
from practice.tui.messages import SessionFinished
from practice.tui.screens.base import StudioScreen, cut, fill_width, score_cell, shown, wpm_cell
from practice.tui.services import Services
from practice.tui.widgets.header import StudioHeader

OTHER_COLUMNS = 48
"""What the table's other columns, its padding and the screen's margins take."""


class SummaryScreen(StudioScreen[None]):
    BINDINGS = [
        Binding("enter", "home", "Home", priority=True),
        Binding("r", "review", "Review answers"),
        Binding("k", "kit", "Meeting sheet"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(
        self, services: Services, session: Session, skipped: frozenset[int] = frozenset()
    ) -> None:
        """``skipped``: the questions skipped with ``n``, shown as such (not as never reached)."""
        super().__init__(services)
        self.sub_title = f"{session.bank_name}: session summary"
        self.session = session
        self.skipped = skipped

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        with Vertical(id="summary"):
            yield Static(self._headline(None, saved=False), id="session-score")
            yield DataTable(id="answers", cursor_type="row", zebra_stripes=True)
            yield Static("Saving the session…", id="files")
        yield Footer()

    def opened(self) -> None:
        session = self.session
        table = self.query_one("#answers", DataTable)
        table.add_columns("#", "Question", "Tries", "Last score", "WPM", "Fill/min")
        width = fill_width(self, OTHER_COLUMNS)
        for index, question in enumerate(session.questions):
            attempts = session.attempts_at(index)
            last = session.latest_report(index)
            typed = any(a.typed_text is not None for a in attempts)
            spoken = last is not None and not last.no_speech
            table.add_row(
                str(index + 1),
                cut(question.text, width),
                str(len(attempts)) if attempts else ("skipped" if index in self.skipped else "—"),
                score_cell(last, typed),
                wpm_cell(last),
                f"{last.fillers_per_minute:.1f}" if last and spoken else "—",
            )
        self._finish_session()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _finish_session(self) -> None:
        store = self.services.store
        recorded = any(f.name != SESSION_FILE for f in self.session.folder.iterdir())
        if self.session.attempts or recorded:
            session = store.finish(self.session)
            previous = store.previous_score(session.bank_id, session.id)
        else:  # nothing was answered or recorded: keep no empty session
            store.delete(self.session.id)
            session, previous = self.session, None
        self.post_message(SessionFinished(session, previous))

    def on_session_finished(self, message: SessionFinished) -> None:
        self.session = message.session
        self.refresh_bindings()
        self.query_one("#session-score", Static).update(
            self._headline(message.previous, saved=True)
        )
        if message.session.finished is None:
            self.query_one("#files", Static).update("Nothing was recorded, so nothing was kept.")
            return
        self.query_one("#files", Static).update(
            f"Answers and reports are saved in {shown(message.session.folder)}\n"
            f"Review them later with: practice show {message.session.id}"
        )

    def _headline(self, previous: int | None, *, saved: bool) -> str:
        session = self.session
        head = f"{session.answers} of {len(session.questions)} questions answered"
        score = session.score
        if score is None:
            return f"{head}; no answer was scored."
        line = f"[b]Session score {score}/100[/b] · {head}"
        if not saved:
            return line
        if previous is None:
            return f"{line} · first scored session on this bank"
        return f"{line} · {score - previous:+d} since the last session on this bank ({previous})"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":  # once the session is saved (a session with no answer is not)
            return self.session.finished is not None and bool(self.session.attempts)
        return True

    def action_review(self) -> None:
        from practice.tui.screens.history import ReviewScreen

        self.app.push_screen(ReviewScreen(self.services, self.session))

    def action_kit(self) -> None:
        self.write_kit(self.session.bank_id)

    def action_home(self) -> None:
        self.dismiss()
