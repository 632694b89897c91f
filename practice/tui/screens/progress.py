"""Progress by question (``v`` on History): each question's attempts over time, the score and the
part that was weakest each time, and whether the answer improved."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from practice.plan import Track, read_sessions, tracks, trend
from practice.text import points_text
from practice.tui.messages import TracksLoaded
from practice.tui.screens.base import StudioScreen, cut
from practice.tui.services import Services
from practice.tui.widgets.header import StudioHeader

QUESTION_WIDTH = 30
SHOWN_SCORES = 4
"""The latest scores shown per question."""


def scores_text(track: Track) -> str:
    """``72 → 92 → 92``: the latest attempts' scores, oldest first (typed answers as "typed")."""
    shown = [
        "typed" if result.typed else "—" if result.score is None else str(result.score)
        for result in track.outcomes[-SHOWN_SCORES:]
    ]
    more = "… " if len(track.outcomes) > SHOWN_SCORES else ""
    return more + " → ".join(shown)


def weakest_text(track: Track) -> str:
    """The weakest part of the latest attempt, with its points."""
    weakest = track.last.weakest
    if weakest is None or weakest.fraction >= 1:
        return "—"
    return f"{weakest.name} {points_text(weakest.points, weakest.possible)}"


class ProgressScreen(StudioScreen[None]):
    BINDINGS = [
        Binding("k", "kit", "Meeting sheet"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, services: Services, bank_id: str | None = None) -> None:
        super().__init__(services)
        self.sub_title = "progress by question"
        self.bank_id = bank_id
        """Only this bank's questions; None for every bank."""
        self.tracks: tuple[Track, ...] = ()

    def compose(self) -> ComposeResult:
        yield StudioHeader()
        yield Static("Reading your answers…", id="where")
        yield DataTable(id="questions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def opened(self) -> None:
        table = self.query_one("#questions", DataTable)
        table.add_columns("Question", "Scores, oldest first", "Trend", "Weakest last", "Bank")
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="store")
    def _load(self) -> None:
        found = tracks(read_sessions(self.services.store))
        chosen = [t for t in found if self.bank_id is None or t.bank_id == self.bank_id]
        chosen.sort(key=lambda track: track.last.when, reverse=True)
        self.post_message(TracksLoaded(chosen))

    def on_tracks_loaded(self, message: TracksLoaded) -> None:
        self.tracks = tuple(message.tracks)
        where = "every bank" if self.bank_id is None else self.bank_id
        count = len(self.tracks)
        self.query_one("#where", Static).update(
            f"{count} question{'' if count == 1 else 's'} answered, {where}; latest first"
            if count
            else "No answers yet."
        )
        table = self.query_one("#questions", DataTable)
        for index, track in enumerate(self.tracks):
            table.add_row(
                cut(track.text, QUESTION_WIDTH),
                scores_text(track),
                trend(track),
                weakest_text(track),
                cut(track.bank_name, 24),
                key=str(index),
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "kit":
            return bool(self.tracks)
        return True

    def action_kit(self) -> None:
        if self.tracks:
            track = self.tracks[self.query_one("#questions", DataTable).cursor_row]
            self.write_kit(track.bank_id)
