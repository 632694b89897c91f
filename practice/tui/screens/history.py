"""Past sessions (History) and one session's answers (Review), each opening the feedback again.

Reached from Home with ``h``; History shows the trends, ``b`` narrows them (and the list) to one
bank at a time, ``v`` shows the progress by question and ``k`` saves a meeting sheet. From
Review, ``c`` compares an answer with any other attempt at the same question, in this session or
another on the same bank (the one just before it is offered first).
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.markup import escape
from textual.widgets import DataTable, Footer, Static

from practice.compare import PastAttempt, attempts_at_question
from practice.records import Attempt, Session, SessionSummary
from practice.times import when
from practice.tui.messages import AttemptsGathered, HistoryLoaded, SessionLoaded
from practice.tui.screens.base import StudioScreen, cut, fill_width, score_cell, shown, wpm_cell
from practice.tui.screens.compare import CompareScreen, PickAttemptScreen
from practice.tui.screens.feedback import FeedbackScreen
from practice.tui.services import Services
from practice.tui.widgets.header import StudioHeader
from practice.tui.widgets.trends import Trends


def score_text(score: int | None) -> str:
    return "—" if score is None else str(score)


class HistoryScreen(StudioScreen[None]):
    BINDINGS = [
        Binding("enter", "open", "Review", priority=True),
        Binding("b", "next_bank", "Bank filter"),
        Binding("k", "kit", "Meeting sheet"),
        Binding("v", "progress", "By question"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.sub_title = "history"
        self.sessions: tuple[SessionSummary, ...] = ()
        self.banks: dict[str, str] = {}
        """Bank id → name, of the banks the readable sessions were on."""
        self.bank: str | None = None
        """The bank the trends and the list are narrowed to; None for every bank."""

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        yield Static(f"Sessions in {shown(self.services.place.recordings_dir)}", id="where")
        yield Static("", id="trend-title")
        yield Trends(id="trends")
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def opened(self) -> None:
        table = self.query_one("#sessions", DataTable)
        table.add_columns("Started", "Bank", "Answers", "Score", "WPM", "Fill/min")
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _load(self) -> None:
        sessions = self.services.store.history()
        self.post_message(HistoryLoaded(sessions))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        self.sessions = tuple(message.sessions)
        self.banks = {past.bank_id: past.bank_name for past in self.sessions if not past.damaged}
        if not self.sessions:
            self.query_one("#where", Static).update("No sessions yet.")
        self._show()

    def action_next_bank(self) -> None:
        order: list[str | None] = [None, *self.banks]
        self.bank = order[(order.index(self.bank) + 1) % len(order)]
        self._show()

    def _show(self) -> None:
        which = "every bank" if self.bank is None else self.banks[self.bank]
        more = " · b: one bank at a time" if len(self.banks) > 1 else ""
        self.query_one("#trend-title", Static).update(f"Trends, {escape(which)}{more}")
        self.query_one("#trends", Trends).show(self.sessions, self.bank)
        table = self.query_one("#sessions", DataTable)
        table.clear()
        for past in self.sessions:
            if self.bank is not None and (past.damaged or past.bank_id != self.bank):
                continue
            started = when(past.started)
            if past.damaged:
                damaged = escape(f"damaged: {past.damaged}")
                table.add_row(started, damaged, "", "", "", "", key=past.id)
                continue
            table.add_row(
                started,
                cut(past.bank_name, 32),
                str(past.answers),
                score_text(past.score),
                "—" if past.wpm is None else f"{past.wpm:.0f}",
                "—" if past.fillers_per_minute is None else f"{past.fillers_per_minute:.1f}",
                key=past.id,
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return self.query_one("#sessions", DataTable).row_count > 0
        if action == "next_bank":
            return len(self.banks) > 1
        if action == "kit":
            return self._kit_bank() is not None
        return True

    def _kit_bank(self) -> str | None:
        """The bank of the meeting sheet: the filter's, else the highlighted session's."""
        if self.bank is not None:
            return self.bank
        table = self.query_one("#sessions", DataTable)
        if table.row_count == 0:
            return None
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        past = next((s for s in self.sessions if s.id == row.value and not s.damaged), None)
        known = {bank.id for bank in self.services.banks}
        return past.bank_id if past is not None and past.bank_id in known else None

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def action_progress(self) -> None:
        from practice.tui.screens.progress import ProgressScreen

        self.app.push_screen(ProgressScreen(self.services, self.bank))

    def action_kit(self) -> None:
        bank_id = self._kit_bank()
        if bank_id is not None:
            self.write_kit(bank_id)

    def action_open(self) -> None:
        table = self.query_one("#sessions", DataTable)
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        if row.value is not None:
            self._open(row.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _open(self, session_id: str) -> None:
        session = self.services.store.load(session_id)
        self.post_message(SessionLoaded(session))

    def on_session_loaded(self, message: SessionLoaded) -> None:
        self.app.push_screen(ReviewScreen(self.services, message.session))


class ReviewScreen(StudioScreen[None]):
    """One session's answers; Enter shows an answer's feedback again, ``c`` compares it."""

    BINDINGS = [
        Binding("enter", "open", "Feedback", priority=True),
        Binding("c", "compare", "Compare attempts"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, services: Services, session: Session) -> None:
        super().__init__(services)
        self.sub_title = "review"
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        yield StudioHeader()
        yield Static(
            f"[b]{escape(session.bank_name)}[/b] · {session.started[:16].replace('T', ' ')} · "
            f"score {score_text(session.score)} · {shown(session.folder)}",
            id="where",
        )
        yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def opened(self) -> None:
        table = self.query_one("#attempts", DataTable)
        table.add_columns("#", "Try", "Score", "WPM", "Question")
        for position, attempt in enumerate(self.session.attempts):
            report = attempt.report
            table.add_row(
                str(attempt.question + 1),
                str(attempt.number),
                score_cell(report, attempt.typed_text is not None),
                wpm_cell(report),
                cut(self.session.questions[attempt.question].text, fill_width(self, 30)),
                key=str(position),
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":
            return bool(self.session.attempts)
        if action == "compare":
            chosen = self._chosen()
            return chosen is not None and chosen.report is not None
        return True

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.refresh_bindings()

    def _chosen(self) -> Attempt | None:
        attempts = self.session.attempts
        return attempts[self.query_one("#attempts", DataTable).cursor_row] if attempts else None

    def action_compare(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self._gather(chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _gather(self, chosen: Attempt) -> None:
        found = attempts_at_question(self.services.store, self.session, chosen.question)
        self.post_message(AttemptsGathered(PastAttempt(self.session, chosen), found))

    def on_attempts_gathered(self, message: AttemptsGathered) -> None:
        chosen = message.chosen
        others = [past for past in message.attempts if past.key != chosen.key]
        if not others:
            self.notify("There is no other analysed attempt at this question yet.")
            return
        earlier = [p for p in others if p.attempt.recorded_at <= chosen.attempt.recorded_at]
        start = len(earlier) - 1 if earlier else 0

        def picked(index: int | None) -> None:
            if index is None:
                return
            first, second = sorted(
                (others[index], chosen), key=lambda p: (p.attempt.recorded_at, p.attempt.number)
            )
            labels = (first.label, second.label)
            if first.session.id == second.session.id:
                labels = (f"Attempt {first.attempt.number}", f"attempt {second.attempt.number}")
            question = self.session.questions[chosen.attempt.question]
            self.app.push_screen(
                CompareScreen(self.services, question, first.attempt, second.attempt, labels)
            )

        self.app.push_screen(PickAttemptScreen(others, chosen, start), picked)

    def action_open(self) -> None:
        session = self.session
        attempt = session.attempts[self.query_one("#attempts", DataTable).cursor_row]
        self.app.push_screen(
            FeedbackScreen(
                self.services,
                session.questions[attempt.question],
                attempt,
                session.folder,
                attempt.question,
                len(session.questions),
                review=True,
            )
        )
