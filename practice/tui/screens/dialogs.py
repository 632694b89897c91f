"""Small modal dialogs: confirm, type an answer, import a recording."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from practice.text import printable

END_SESSION = "End this session? Every answer recorded so far is kept."


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(escape(self.question))
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", id="yes", variant="error")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TypedAnswerScreen(ModalScreen[str | None]):
    """Type an answer instead of speaking it (no microphone, or a quiet room)."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Submit"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label(escape(self.question), classes="dialog-title")
            yield Label("Type your answer; ctrl+s submits, Esc cancels.")
            yield TextArea(id="typed")
            yield Label("", id="typed-error", classes="error")

    def action_submit(self) -> None:
        text = self.query_one("#typed", TextArea).text.strip()
        if not text:
            self.query_one("#typed-error", Label).update("The answer is empty.")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportScreen(ModalScreen[Path | None]):
    """Use an existing recording as the answer."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Label("Import a recording as the answer (WAV, FLAC, OGG, MP3, M4A; ~ for home)")
            yield Input(placeholder="path to the file, then Enter", id="import-path")
            yield Label("", id="import-error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip():
            problem = "Type the path of a recording."
        elif not path.is_file():
            problem = f"{path}: no such file"
        else:
            self.dismiss(path)
            return
        self.query_one("#import-error", Label).update(escape(printable(problem)))

    def action_cancel(self) -> None:
        self.dismiss(None)
