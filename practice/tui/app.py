"""The Textual application and its factory."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from practice.workspace import Workspace


class PracticeApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "practice"
    SUB_TITLE = "interview rehearsal studio"
    BINDINGS = [Binding("q", "quit", "Quit")]

    def __init__(self, place: Workspace) -> None:
        super().__init__()
        self.place = place

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "The rehearsal studio is being built.\n\n"
            "Works today: [b]practice analyze FILE[/b] gives feedback on a recorded answer.\n"
            f"Workspace: {self.place.home}",
            id="welcome",
        )
        yield Footer()


def make_app(place: Workspace) -> PracticeApp:
    """Build the app; the CLI and the tests both use this."""
    return PracticeApp(place)
